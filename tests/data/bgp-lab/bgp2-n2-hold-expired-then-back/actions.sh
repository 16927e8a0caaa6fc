sleep 8
ip netns exec R iptables -A INPUT -d 192.0.2.3 -p tcp --dport 179 -j DROP; ip netns exec R iptables -A INPUT -d 192.0.2.3 -p tcp --sport 179 -j DROP
sleep 14; ip netns exec R iptables -F
