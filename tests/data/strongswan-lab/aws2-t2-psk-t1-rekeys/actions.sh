. "$SC/../generate/second-endpoint.sh"
swanctl --initiate --child tunnel1-net --uri $L >/dev/null 2>&1 &
sleep 1
swanctl --initiate --child tunnel2-net --uri $L >/dev/null 2>&1 &
