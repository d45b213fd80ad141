#!/usr/bin/env bash
# Shared by the OpenStack lab's scripts (install.sh, start.sh, stop.sh): where
# things live, the service list, and process helpers. The recipe behind every
# choice is ../shared/openstack-lab.md (facts 1-32, pitfalls P1-P21).
# Its variables are used by the scripts that source it:
# shellcheck source-path=SCRIPTDIR disable=SC2034
# shellcheck source=../../scripts/lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../scripts/lib.sh"

# The packaged entry points use /usr/bin/python3; a python3 earlier on PATH
# (pyenv here) lacks the OpenStack modules (P17).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL=C.UTF-8

[ "$(id -u)" -eq 0 ] || die "the OpenStack lab runs its services as root (and installs Debian packages): run it as root"

OSLAB_DIR="$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
# Runtime: pid files, logs, timings, manifest, openrc files.
RUN="${OSLAB_RUN:-/var/tmp/oslab}"
LOGS="$RUN/logs"
# Lasting state beside the databases: install and initialisation markers, the image file.
STATE=/var/lib/oslab
# nova's `host` and neutron's `host` must be equal: it is the port-binding host (fact 17).
OSLAB_HOST=oslab
AUTH_URL=http://127.0.0.1:5000/v3
REGION=RegionOne

# OpenStack services in start order (fact 28); infrastructure comes before them.
INFRA=(mariadb epmd rabbitmq)
SERVICES=(keystone glance-api placement-api neutron-server nova-api nova-conductor nova-scheduler nova-compute neutron-linuxbridge-agent)

mkdir -p "$LOGS" "$STATE"

pid_of() { cat "$RUN/$1.pid" 2>/dev/null || true; }

alive() {
  local pid
  pid="$(pid_of "$1")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# Starts CMD in its own session and process group (fact 7): from this
# non-interactive shell `setsid` execs in place, so $! is both PID and PGID,
# and workers, uwsgi children and privsep helpers stay in that group (P12).
# fd 9 (start.sh's lock) is closed so that no daemon keeps the lock.
start_service() {
  local name="$1"; shift
  if alive "$name"; then return 0; fi
  setsid "$@" </dev/null >>"$LOGS/$name.out" 2>&1 9>&- &
  echo $! >"$RUN/$name.pid"
}

# Sends SIGNAL to the process group of NAME (nothing if it is not running).
signal_group() {
  local name="$1" signal="$2" pid
  pid="$(pid_of "$name")"
  if [ -n "$pid" ]; then kill "-$signal" -- "-$pid" 2>/dev/null || true; fi
}

# True while any process of NAME's group is left.
group_alive() {
  local pid
  pid="$(pid_of "$1")"
  [ -n "$pid" ] && kill -0 -- "-$pid" 2>/dev/null
}

# TERM to the groups of the named services, then KILL what is left after GRACE seconds.
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

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

http_code() { curl -s -o /dev/null -m 5 -w '%{http_code}' "$1" || true; }

# Polls COMMAND... every 0.5 s until it succeeds, or dies after SECONDS naming WHAT and LOG.
wait_until() {
  local what="$1" seconds="$2" logfile="$3"; shift 3
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      [ -f "$logfile" ] && tail -n 20 "$logfile" >&2
      die "$what was not ready after ${seconds}s (log: $logfile)"
    fi
    sleep 0.5
  done
}

# The health checks of fact 29: each API's status code on its root.
declare -A API_URL=(
  [keystone]=http://127.0.0.1:5000/v3 [glance]=http://127.0.0.1:9292/ [placement]=http://127.0.0.1:8778/
  [nova]=http://127.0.0.1:8774/ [neutron]=http://127.0.0.1:9696/
)
declare -A API_CODE=([keystone]=200 [glance]=300 [placement]=200 [nova]=200 [neutron]=200)
api_ok() { [ "$(http_code "${API_URL[$1]}")" = "${API_CODE[$1]}" ]; }
all_apis_ok() {
  local api
  for api in "${!API_URL[@]}"; do api_ok "$api" || return 1; done
}
