swanctl --initiate --child net --uri $L >/dev/null 2>&1 &
sleep 3
ip netns exec R iptables -A INPUT -p udp -j DROP; ip netns exec R iptables -A OUTPUT -p udp -j DROP
