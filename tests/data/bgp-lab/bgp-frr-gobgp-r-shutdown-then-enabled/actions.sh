sleep 8; ip netns exec R gobgp neighbor 192.0.2.1 disable
sleep 5; ip netns exec R gobgp neighbor 192.0.2.1 enable
