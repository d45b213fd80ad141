#!/usr/bin/env bash
# Stops the OpenStack lab (fact 32): the OpenStack services' process groups
# together (TERM, KILL after 12 s: keystone's uwsgi can hang on exit, P13),
# then RabbitMQ, epmd and MariaDB (gracefully), and removes br-ex.
# Data stays: the next start only starts the processes.
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/common.sh"

exec 9>"$RUN/.lock"
flock -w 900 9 || die "another start or stop of the OpenStack lab holds $RUN/.lock"
rm -f "$RUN/manifest.json"

# TERM to the groups, then KILL what is left after GRACE seconds.
stop_groups() {
  local grace="$1" name; shift
  for name in "$@"; do signal_group "$name" TERM; done
  local deadline=$((SECONDS + grace)) left
  while :; do
    left=()
    for name in "$@"; do group_alive "$name" && left+=("$name"); done
    [ "${#left[@]}" -eq 0 ] && break
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "  still running after ${grace}s, killed: ${left[*]}"
      for name in "${left[@]}"; do signal_group "$name" KILL; done
      sleep 0.5
      break
    fi
    sleep 0.2
  done
  for name in "$@"; do rm -f "$RUN/$name.pid"; done
}

start=$SECONDS
stop_groups 12 "${SERVICES[@]}"
stop_groups 30 rabbitmq
stop_groups 10 epmd
stop_groups 60 mariadb
ip link del br-ex 2>/dev/null || true
log "OpenStack lab stopped in $((SECONDS - start))s"
