swanctl --initiate --ike gw --uri $L >/dev/null 2>&1 &
