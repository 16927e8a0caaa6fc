$WHACK --ctlsocket $LW --name gw --initiate >/dev/null 2>&1 &
sleep 4
# L drops every IKE message of exchange type 36 (CREATE_CHILD_SA) once the SAs are up: the IKE header's exchange
# type is the 19th byte, after the 8-byte UDP header (and the 4-byte non-ESP marker on UDP 4500).
ip netns exec L nft add table ip ccdrop; ip netns exec L nft add chain ip ccdrop in '{ type filter hook input priority 0; }'; ip netns exec L nft add rule ip ccdrop in udp dport 500 @th,208,8 36 drop; ip netns exec L nft add rule ip ccdrop in udp dport 4500 @th,240,8 36 drop
