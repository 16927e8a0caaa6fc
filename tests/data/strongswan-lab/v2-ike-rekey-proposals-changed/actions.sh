swanctl --initiate --child net --uri $L >/dev/null 2>&1 &
sleep 2; swanctl --load-conns --file $SC/R2.conf --uri $R >/dev/null 2>&1
