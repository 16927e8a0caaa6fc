sleep 6
ip netns exec R iptables -A INPUT -p tcp --dport 179 -j DROP; ip netns exec R iptables -A INPUT -p tcp --sport 179 -j DROP
sleep 14
ip netns exec R iptables -F
