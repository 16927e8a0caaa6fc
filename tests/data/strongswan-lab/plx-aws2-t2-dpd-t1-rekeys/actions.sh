. "$SC/../generate/second-endpoint.sh"
$WHACK --ctlsocket $LW --name tunnel1 --initiate >/dev/null 2>&1 &
sleep 1
$WHACK --ctlsocket $LW --name tunnel2 --initiate >/dev/null 2>&1 &
sleep 4
ip netns exec R iptables -A INPUT -d 192.0.2.3 -p udp -j DROP; ip netns exec R iptables -A OUTPUT -s 192.0.2.3 -p udp -j DROP
