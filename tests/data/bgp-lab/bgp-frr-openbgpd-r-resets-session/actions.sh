sleep 8; ip netns exec R bgpctl neighbor 192.0.2.1 clear
