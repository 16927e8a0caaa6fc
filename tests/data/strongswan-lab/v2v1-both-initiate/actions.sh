swanctl --initiate --child net --uri $L >/dev/null 2>&1 &
sleep 2
swanctl --initiate --child net --uri $R >/dev/null 2>&1 &
