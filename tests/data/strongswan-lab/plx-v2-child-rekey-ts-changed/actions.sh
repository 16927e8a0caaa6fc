$WHACK --ctlsocket $LW --name gw --initiate >/dev/null 2>&1 &
sleep 3; swanctl --load-conns --file $SC/R2.conf --uri $R >/dev/null 2>&1
