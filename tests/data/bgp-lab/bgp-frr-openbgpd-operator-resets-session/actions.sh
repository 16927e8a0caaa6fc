sleep 6; vtysh --vty_socket $RUN/L -d bgpd -c "clear bgp 192.0.2.2"
