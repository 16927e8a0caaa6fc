sleep 8; ip netns exec R gobgp neighbor 192.0.2.1 reset
