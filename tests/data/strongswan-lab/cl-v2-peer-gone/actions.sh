swanctl --initiate --ike gw --uri $L >/dev/null 2>&1 &
sleep 3
# L drops all UDP once the IKE SA is up (the peer is gone)
ip netns exec L iptables -A INPUT -p udp -j DROP; ip netns exec L iptables -A OUTPUT -p udp -j DROP
