swanctl --initiate --ike gw --uri $L >/dev/null 2>&1
sleep 4; swanctl --terminate --ike gw --uri $L >/dev/null 2>&1 &
