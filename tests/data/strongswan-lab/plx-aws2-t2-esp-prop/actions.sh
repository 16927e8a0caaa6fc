. "$SC/../generate/second-endpoint.sh"
$WHACK --ctlsocket $LW --name tunnel1 --initiate >/dev/null 2>&1 &
sleep 1
$WHACK --ctlsocket $LW --name tunnel2 --initiate >/dev/null 2>&1 &
