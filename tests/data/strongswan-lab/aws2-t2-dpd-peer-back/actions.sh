# tunnel 2's endpoint: a second address on R (and an address in its subnet, which kernel-libipsec routes from)
ip netns exec R ip addr replace 192.0.2.3/24 dev vr; ip netns exec R ip addr replace 10.3.0.1/32 dev lo
sleep 1
swanctl --initiate --child tunnel1-net --uri $L >/dev/null 2>&1 &
sleep 1
swanctl --initiate --child tunnel2-net --uri $L >/dev/null 2>&1 &
sleep 3
ip netns exec R iptables -A INPUT -d 192.0.2.3 -p udp -j DROP; ip netns exec R iptables -A OUTPUT -s 192.0.2.3 -p udp -j DROP
sleep 12; ip netns exec R iptables -F
