ip netns exec R iptables -A INPUT -p udp --dport 4500 -j DROP
swanctl --initiate --child net --uri $L >/dev/null 2>&1 &
