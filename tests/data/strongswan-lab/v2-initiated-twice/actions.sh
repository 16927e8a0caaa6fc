swanctl --initiate --child net --uri $L >/dev/null 2>&1
sleep 3; swanctl --initiate --child net --uri $L >/dev/null 2>&1 &
