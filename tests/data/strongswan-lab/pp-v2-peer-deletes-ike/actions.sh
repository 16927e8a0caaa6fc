$WHACK --ctlsocket $LW --name gw --initiate >/dev/null 2>&1 &
sleep 4
$WHACK --ctlsocket $RW --name gw --terminate >/dev/null 2>&1
