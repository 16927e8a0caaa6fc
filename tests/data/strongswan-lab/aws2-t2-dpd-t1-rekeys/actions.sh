. "$SC/../generate/second-endpoint.sh"
swanctl --initiate --child tunnel1-net --uri $L >/dev/null 2>&1 &
sleep 1
swanctl --initiate --child tunnel2-net --uri $L >/dev/null 2>&1 &
sleep 3
ip netns exec R iptables -A INPUT -d 192.0.2.3 -p udp -j DROP; ip netns exec R iptables -A OUTPUT -s 192.0.2.3 -p udp -j DROP
