# L's bgpd dies without a word (as on a crash or a kill) and is started again 3 s later: L announced graceful restart
sleep 10; kill -9 "$(cat $RUN/L/bgpd.pid)"
sleep 3; ip netns exec L /usr/lib/frr/bgpd -Z -n -f $RUN/L/bgpd.conf -i $RUN/L/bgpd.pid --vty_socket $RUN/L -u frr -g frr > /dev/null 2>&1 &
