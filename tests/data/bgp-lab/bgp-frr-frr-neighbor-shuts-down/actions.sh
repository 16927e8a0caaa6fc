sleep 8
vtysh --vty_socket $RUN/R -d bgpd -c 'configure terminal' -c 'router bgp 64512' -c 'neighbor 192.0.2.1 shutdown'
