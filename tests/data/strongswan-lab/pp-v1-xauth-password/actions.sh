$WHACK --ctlsocket $LW --name gw --initiate >/dev/null 2>&1 &
