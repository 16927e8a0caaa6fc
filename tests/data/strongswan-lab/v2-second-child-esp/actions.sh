swanctl --initiate --child net --uri $L >/dev/null 2>&1; swanctl --initiate --child net2 --uri $L >/dev/null 2>&1 &
