#!/usr/bin/env bash
# Starts the OpenStack lab on 127.0.0.1 (facts 22-31). The first start also
# installs it and initialises it (databases, migrations, keystone bootstrap,
# catalog, users admin/adminpass and demo/demopass, then the seed: the shared
# external network `external`, flavor `lab.small` and public image `cirros-lab`);
# later starts only start the processes. Ready means: the 5 APIs answer, the
# hypervisor is discovered, nova-compute is up and the linuxbridge agent alive.
# Already running and healthy: returns at once. Writes $RUN/manifest.json,
# $RUN/admin-openrc, $RUN/demo-openrc and appends to $RUN/timings.txt.
# SC2031: the subshells (as_admin) only read the settings of common.sh.
# shellcheck source-path=SCRIPTDIR disable=SC2031
# shellcheck source=common.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/common.sh"

# One start or stop at a time (a test run and a person may both ask).
exec 9>"$RUN/.lock"
flock -w 900 9 || die "another start or stop of the OpenStack lab holds $RUN/.lock"

T0="$(date +%s.%N)"
T0_EPOCH="${T0%.*}"
MANIFEST="$RUN/manifest.json"
elapsed() { awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

healthy() {
  local name
  for name in "${INFRA[@]}" "${SERVICES[@]}"; do alive "$name" || return 1; done
  [ -f "$MANIFEST" ] && all_apis_ok
}

record_start() {
  local kind="$1" apis="${2:-0}" ready="${3:-0}" total
  total="$(elapsed)"
  printf '{"kind": "%s", "apisSeconds": %s, "readySeconds": %s, "totalSeconds": %s, "at": "%s"}\n' \
    "$kind" "$apis" "$ready" "$total" "$(date -u +%FT%TZ)" >"$RUN/last-start.json"
  [ "$kind" = already-running ] || echo "$(date -u +%FT%TZ) $kind apis=${apis}s ready=${ready}s total=${total}s" >>"$RUN/timings.txt"
}

if healthy; then
  record_start already-running
  log "OpenStack lab already running and healthy: $MANIFEST"
  cat "$MANIFEST"
  exit 0
fi

bash "$OSLAB_DIR/install.sh" 9>&-

openrc() {
  cat <<RC
# OpenStack lab (socle lab/openstack): \`source\` this file, then use \`openstack\`.
export OS_AUTH_URL=$AUTH_URL
export OS_IDENTITY_API_VERSION=3
export OS_USERNAME=$1
export OS_PASSWORD=$2
export OS_PROJECT_NAME=$3
export OS_USER_DOMAIN_NAME=Default
export OS_PROJECT_DOMAIN_NAME=Default
export OS_REGION_NAME=$REGION
export OS_INTERFACE=public
RC
}
openrc admin adminpass admin >"$RUN/admin-openrc"
openrc demo demopass demo >"$RUN/demo-openrc"
# shellcheck disable=SC1091
as_admin() { ( source "$RUN/admin-openrc" && "$@" ); }

mariadb_ready() { mysqladmin --protocol=socket ping >/dev/null 2>&1; }
rabbit_ready() { port_open 5672; }

start_infrastructure() {
  install -d -o mysql -g root /run/mysqld
  start_service mariadb /usr/sbin/mariadbd --user=mysql
  wait_until MariaDB 60 "$LOGS/mariadb.out" mariadb_ready
  # Our own epmd, on loopback: the one RabbitMQ would spawn leaves its group and survives a stop (P11).
  start_service epmd /usr/bin/epmd -address 127.0.0.1
  wait_until epmd 20 "$LOGS/epmd.out" port_open 4369
  start_service rabbitmq env HOME=/var/lib/rabbitmq ERL_EPMD_ADDRESS=127.0.0.1 \
    setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups /usr/lib/rabbitmq/bin/rabbitmq-server
}

# uwsgi for keystone and placement. `Connection: close`: the CLI re-uses
# connections uwsgi's http-socket has closed (P4).
uwsgi_service() {
  local name="$1" port="$2" app="$3" processes="$4"
  start_service "$name" uwsgi --plugin python3 --http-socket "127.0.0.1:$port" --wsgi-file "$app" \
    --master --processes "$processes" --threads 4 --enable-threads --lazy-apps --die-on-term --need-app \
    --buffer-size 65535 --add-header 'Connection: close' --logto "$LOGS/$name-uwsgi.log"
}

keystone_db() {
  keystone-manage db_sync &&
    keystone-manage fernet_setup --keystone-user root --keystone-group root &&
    keystone-manage credential_setup --keystone-user root --keystone-group root &&
    keystone-manage bootstrap --bootstrap-password adminpass --bootstrap-username admin \
      --bootstrap-project-name admin --bootstrap-role-name admin --bootstrap-service-name keystone \
      --bootstrap-region-id "$REGION" --bootstrap-admin-url "$AUTH_URL" \
      --bootstrap-public-url "$AUTH_URL" --bootstrap-internal-url "$AUTH_URL"
}
# Within nova the order matters (fact 25).
nova_db() {
  local nm=(nova-manage --config-file /etc/nova/nova.conf)
  "${nm[@]}" api_db sync && "${nm[@]}" cell_v2 map_cell0 &&
    "${nm[@]}" cell_v2 create_cell --name=cell1 && "${nm[@]}" db sync
}
glance_db() { glance-manage db_sync; }
placement_db() { placement-manage db sync; }
neutron_db() {
  neutron-db-manage --config-file /etc/neutron/neutron.conf \
    --config-file /etc/neutron/plugins/ml2/ml2_conf.ini upgrade head
}

# One `openstack` process reads every command from stdin (fact 27). No quoted
# arguments in this mode (P3).
catalog_commands() {
  local user type url interface
  echo "project create --domain default service"
  echo "role create service"
  for user in glance placement nova neutron; do
    echo "user create --domain default --password servicepass $user"
    echo "role add --project service --user $user admin"
    echo "role add --project service --user $user service"
  done
  echo "project create --domain default demo"
  echo "user create --domain default --password demopass demo"
  echo "role add --project demo --user demo member"
  while read -r user type url; do
    echo "service create --name $user $type"
    for interface in public internal admin; do
      echo "endpoint create --region $REGION $type $interface $url"
    done
  done <<'LIST'
glance image http://127.0.0.1:9292
placement placement http://127.0.0.1:8778
nova compute http://127.0.0.1:8774/v2.1
neutron network http://127.0.0.1:9696
LIST
}

# Databases from scratch (a half-done earlier attempt is dropped), the
# migrations in parallel, keystone bootstrapped and started, the catalog.
initialise() {
  log "first start: databases, migrations, keystone bootstrap, catalog (about 1 min)"
  # Services left from a half-done attempt must not see their databases dropped.
  stop_groups 12 "${SERVICES[@]}"
  local dbs=(keystone glance placement nova_api nova nova_cell0 neutron) sql="" d
  for d in "${dbs[@]}"; do
    sql+="DROP DATABASE IF EXISTS $d; CREATE DATABASE $d CHARACTER SET utf8mb3;"
    sql+="GRANT ALL PRIVILEGES ON $d.* TO 'os'@'127.0.0.1'; GRANT ALL PRIVILEGES ON $d.* TO 'os'@'localhost';"
  done
  mariadb -u root -e "CREATE USER IF NOT EXISTS 'os'@'127.0.0.1' IDENTIFIED BY 'ospass';
    CREATE USER IF NOT EXISTS 'os'@'localhost' IDENTIFIED BY 'ospass'; $sql FLUSH PRIVILEGES;"
  rm -rf /etc/keystone/fernet-keys /etc/keystone/credential-keys /var/lib/glance/images/* "$STATE/seeded"

  local steps=(keystone_db glance_db placement_db nova_db neutron_db) pids=() i failed=""
  for d in "${steps[@]}"; do
    "$d" >"$LOGS/init-$d.log" 2>&1 9>&- &
    pids+=($!)
  done
  for i in "${!steps[@]}"; do
    wait "${pids[$i]}" || failed+=" ${steps[$i]} (log: $LOGS/init-${steps[$i]}.log)"
  done
  [ -z "$failed" ] || die "migrations failed:$failed"
  log "  migrations and keystone bootstrap done at $(elapsed)s"

  uwsgi_service keystone 5000 /usr/bin/keystone-wsgi-public 2
  wait_until keystone 120 "$LOGS/keystone.log" api_ok keystone
  catalog_commands | as_admin openstack >"$LOGS/init-catalog.log" 2>&1 9>&-
  # The batch mode always exits 0: its output tells.
  if grep -Eqi 'error|unable|exception' "$LOGS/init-catalog.log"; then
    die "creating the catalog and users failed (log: $LOGS/init-catalog.log)"
  fi
  log "  catalog and users done at $(elapsed)s"
  touch "$STATE/initialised"
}

start_openstack() {
  uwsgi_service keystone 5000 /usr/bin/keystone-wsgi-public 2
  start_service glance-api glance-api --config-file /etc/glance/glance-api.conf
  uwsgi_service placement-api 8778 /usr/bin/placement-api 1
  start_service neutron-server neutron-server --config-file /etc/neutron/neutron.conf \
    --config-file /etc/neutron/plugins/ml2/ml2_conf.ini
  # Always --config-file: otherwise nova-compute-ironic's nova-compute.conf is read too (P6).
  local service
  for service in nova-api nova-conductor nova-scheduler; do
    start_service "$service" "$service" --config-file /etc/nova/nova.conf
  done
  wait_until placement 120 "$LOGS/placement-api.log" api_ok placement
  start_service nova-compute nova-compute --config-file /etc/nova/nova.conf
  # The agent's physnet bridge: empty, no uplink, no address (P8).
  ip link show br-ex >/dev/null 2>&1 || ip link add br-ex type bridge
  ip link set br-ex up
  # Started once neutron answers, so its first state report lands (P19).
  wait_until neutron-server 120 "$LOGS/neutron-server.log" api_ok neutron
  start_service neutron-linuxbridge-agent neutron-linuxbridge-agent --config-file /etc/neutron/neutron.conf \
    --config-file /etc/neutron/plugins/ml2/linuxbridge_agent.ini
  wait_until "the OpenStack APIs" 120 "$LOGS" all_apis_ok
}

# REST calls with an admin token: much cheaper than one CLI run per check.
TOKEN=""
admin_token() {
  local body='{"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin",
    "domain": {"name": "Default"}, "password": "adminpass"}}}, "scope": {"project": {"name": "admin",
    "domain": {"name": "Default"}}}}}'
  TOKEN="$(curl -s -m 10 -D - -o /dev/null -H 'Content-Type: application/json' -d "$body" "$AUTH_URL/auth/tokens" |
    awk 'tolower($1) == "x-subject-token:" { print $2 }' | tr -d '\r')"
  [ -n "$TOKEN" ] || die "keystone gave no admin token (log: $LOGS/keystone.log)"
}
api() { curl -sf -m 10 -H "X-Auth-Token: $TOKEN" "$1"; }

hypervisor_listed() {
  api http://127.0.0.1:8774/v2.1/os-hypervisors |
    jq -e --arg h "$OSLAB_HOST" '.hypervisors | any(.hypervisor_hostname == $h)' >/dev/null
}
# The periodic host discovery does not work in this nova (P9): ask for it until the hypervisor shows.
discover_hosts() {
  hypervisor_listed && return 0
  nova-manage --config-file /etc/nova/nova.conf cell_v2 discover_hosts >>"$LOGS/discover-hosts.log" 2>&1 9>&-
  hypervisor_listed
}
# Up, and heard from since this start (a record from before a stop still looks up for a minute).
compute_up() {
  api "http://127.0.0.1:8774/v2.1/os-services?binary=nova-compute&host=$OSLAB_HOST" |
    jq -e --argjson since "$T0_EPOCH" '.services | any(.state == "up" and
      ((.updated_at // "") | sub("\\..*$"; "") | strptime("%Y-%m-%dT%H:%M:%S") | mktime) >= $since)' >/dev/null 2>&1
}
agent_alive() {
  api "http://127.0.0.1:9696/v2.0/agents?binary=neutron-linuxbridge-agent&host=$OSLAB_HOST" |
    jq -e --argjson since "$T0_EPOCH" '.agents | any(.alive and
      ((.heartbeat_timestamp // "") | sub("\\..*$"; "") | strptime("%Y-%m-%d %H:%M:%S") | mktime) >= $since)' >/dev/null 2>&1
}

wait_ready() {
  admin_token
  wait_until "the hypervisor ($OSLAB_HOST)" 180 "$LOGS/discover-hosts.log" discover_hosts
  wait_until "nova-compute" 120 "$LOGS/nova-compute.log" compute_up
  wait_until "the linuxbridge agent" 120 "$LOGS/neutron-linuxbridge-agent.log" agent_alive
}

NEUTRON=http://127.0.0.1:9696/v2.0
first_id() { api "$1" | jq -r "$2 | first | .id // empty"; }

# The seed, each piece made only if it is missing. Admin makes the external
# network: a member could not set its provider attributes (P21).
seed() {
  local net subnet
  net="$(first_id "$NEUTRON/networks?name=external" .networks)"
  if [ -z "$net" ]; then
    log "  seed: shared external network 'external' (flat, physnet external; no data plane)"
    net="$(as_admin openstack network create --external --share --provider-network-type flat \
      --provider-physical-network external -f value -c id external 9>&-)"
  fi
  subnet="$(first_id "$NEUTRON/subnets?network_id=$net" .subnets)"
  if [ -z "$subnet" ]; then
    as_admin openstack subnet create --network "$net" --subnet-range 203.0.113.0/24 --gateway 203.0.113.1 \
      --allocation-pool start=203.0.113.10,end=203.0.113.250 --no-dhcp external-subnet >/dev/null 9>&-
  fi
  if ! api http://127.0.0.1:8774/v2.1/flavors | jq -e '.flavors | any(.name == "lab.small")' >/dev/null; then
    log "  seed: public flavor 'lab.small' (1 vCPU, 256 MiB, 1 GiB)"
    as_admin openstack flavor create --public --vcpus 1 --ram 256 --disk 1 lab.small >/dev/null 9>&-
  fi
  local image="$STATE/cirros-lab.qcow2" found
  found="$(api "http://127.0.0.1:9292/v2/images?name=cirros-lab" | jq -r '.images[] | .id + " " + .status')"
  if ! grep -q ' active$' <<<"$found"; then
    log "  seed: public image 'cirros-lab' (empty qcow2, 16 MiB virtual)"
    [ -f "$image" ] || qemu-img create -q -f qcow2 "$image" 16M
    local id
    while read -r id _; do
      if [ -n "$id" ]; then as_admin openstack image delete "$id" 9>&-; fi
    done <<<"$found"
    as_admin openstack image create --public --disk-format qcow2 --container-format bare \
      --file "$image" cirros-lab >/dev/null 9>&-
  fi
}

write_manifest() {
  local net subnet flavor image
  net="$(api "$NEUTRON/networks?name=external" | jq -c '.networks[0]')"
  subnet="$(api "$NEUTRON/subnets?network_id=$(jq -r .id <<<"$net")" | jq -c '.subnets[0]')"
  flavor="$(api http://127.0.0.1:8774/v2.1/flavors | jq -c 'first(.flavors[] | select(.name == "lab.small"))')"
  image="$(api "http://127.0.0.1:9292/v2/images?name=cirros-lab" | jq -c 'first(.images[] | select(.status == "active"))')"
  [ "$(jq -r .os_hash_algo <<<"$image")" = sha256 ] || die "image cirros-lab has no sha256 (glance hashing_algorithm)"
  jq -n --arg authUrl "$AUTH_URL" --arg region "$REGION" --arg run "$RUN" \
    --argjson net "$net" --argjson subnet "$subnet" --argjson flavor "$flavor" --argjson image "$image" '{
    authUrl: $authUrl, region: $region, interface: "public",
    admin: { username: "admin", password: "adminpass", projectName: "admin", domain: "Default" },
    demo: { username: "demo", password: "demopass", projectName: "demo", domain: "Default" },
    externalNetwork: { name: $net.name, id: $net.id, subnetId: $subnet.id, cidr: $subnet.cidr },
    image: { name: $image.name, id: $image.id, sha256: $image.os_hash_value, diskFormat: $image.disk_format },
    flavor: { name: $flavor.name, id: $flavor.id },
    endpoints: { identity: $authUrl, image: "http://127.0.0.1:9292", placement: "http://127.0.0.1:8778",
      compute: "http://127.0.0.1:8774/v2.1", network: "http://127.0.0.1:9696" },
    runDir: $run, logDir: ($run + "/logs"),
    openrc: { admin: ($run + "/admin-openrc"), demo: ($run + "/demo-openrc") }
  }' >"$MANIFEST.tmp"
  mv "$MANIFEST.tmp" "$MANIFEST"
}

kind=start
start_infrastructure
wait_until RabbitMQ 90 "$LOGS/rabbitmq.out" rabbit_ready
if [ ! -f "$STATE/initialised" ]; then
  kind=initialise
  initialise
fi
start_openstack
apis="$(elapsed)"
log "  the 5 APIs answer at ${apis}s"
wait_ready
ready="$(elapsed)"
seed
write_manifest
record_start "$kind" "$apis" "$ready"
log "OpenStack lab ready in $(elapsed)s ($kind): manifest $MANIFEST, logs in $LOGS"
cat "$MANIFEST"
