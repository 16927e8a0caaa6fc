ip netns exec R nft add table ip fragdrop; ip netns exec R nft add chain ip fragdrop pre '{ type filter hook prerouting priority -500; }'; ip netns exec R nft add rule ip fragdrop pre 'ip frag-off & 0x3fff != 0 drop'
$WHACK --ctlsocket $LW --name gw --initiate >/dev/null 2>&1 &
