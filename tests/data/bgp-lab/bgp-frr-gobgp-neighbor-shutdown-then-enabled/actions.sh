sleep 6; vtysh --vty_socket $RUN/L -d bgpd -c "configure terminal" -c "router bgp 65000" -c "neighbor 192.0.2.2 shutdown"
sleep 5; vtysh --vty_socket $RUN/L -d bgpd -c "configure terminal" -c "router bgp 65000" -c "no neighbor 192.0.2.2 shutdown"
