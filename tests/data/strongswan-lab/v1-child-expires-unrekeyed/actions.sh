swanctl --initiate --child net --uri $L >/dev/null 2>&1 &
