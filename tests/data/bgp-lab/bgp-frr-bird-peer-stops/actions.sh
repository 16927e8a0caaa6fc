sleep 6; kill $(cat $RUN/R/bird.pid)
