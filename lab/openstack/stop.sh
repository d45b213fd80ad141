#!/usr/bin/env bash
# Stops the OpenStack lab (fact 32): the OpenStack services' process groups
# together (TERM, then KILL after 12 s: keystone's uwsgi (P13) and nova-compute
# can hang on exit), then RabbitMQ, epmd and MariaDB (gracefully), and removes br-ex.
# Data stays: the next start only starts the processes.
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/common.sh"

exec 9>"$RUN/.lock"
flock -w 900 9 || die "another start or stop of the OpenStack lab holds $RUN/.lock"
rm -f "$RUN/manifest.json"

start=$SECONDS
stop_groups 12 "${SERVICES[@]}"
stop_groups 30 rabbitmq
stop_groups 10 epmd
stop_groups 60 mariadb
ip link del br-ex 2>/dev/null || true
log "OpenStack lab stopped in $((SECONDS - start))s"
