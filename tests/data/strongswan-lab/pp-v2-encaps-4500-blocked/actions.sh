ip netns exec R nft add table ip fragdrop; ip netns exec R nft add chain ip fragdrop in '{ type filter hook input priority 0; }'; ip netns exec R nft add rule ip fragdrop in udp dport 4500 drop
$WHACK --ctlsocket $LW --name gw --initiate >/dev/null 2>&1 &
