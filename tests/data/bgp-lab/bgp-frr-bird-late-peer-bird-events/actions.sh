ip netns exec R iptables -A INPUT -p tcp --dport 179 -j REJECT --reject-with tcp-reset
ip netns exec R iptables -A INPUT -p tcp --sport 179 -j DROP
sleep 20
ip netns exec R iptables -F
