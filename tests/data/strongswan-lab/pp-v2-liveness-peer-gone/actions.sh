$WHACK --ctlsocket $LW --name gw --initiate >/dev/null 2>&1 &
sleep 4
# R's host stops answering: every UDP packet to R is dropped
ip netns exec R nft add table ip gone; ip netns exec R nft add chain ip gone in '{ type filter hook input priority 0; }'; ip netns exec R nft add rule ip gone in udp dport '{ 500, 4500 }' drop
