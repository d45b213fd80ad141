#!/usr/bin/env bash
# Installs the OpenStack lab: Debian bookworm's Zed packages (facts 1-4) and
# the config files that put every service on 127.0.0.1 (facts 11-21).
# Idempotent: the packages once per package list (a marker keyed by it), the
# config files rewritten only when their content differs.
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/common.sh"

# nova-compute-ironic satisfies nova-compute's hypervisor dependency without
# qemu-system, libvirt and systemd-container; its nova-compute.conf is never read (P2, P6).
PACKAGES=(
  mariadb-server python3-pymysql rabbitmq-server keystone glance-api placement-api
  nova-api nova-conductor nova-scheduler nova-compute nova-compute-ironic
  neutron-server neutron-linuxbridge-agent python3-openstackclient qemu-utils iproute2 sudo curl jq
)

# Every OpenStack package question answered "no": no dbconfig-common, no rabbit
# user, no endpoint registration at install time (fact 2, P1).
preseed() {
  local q
  for q in keystone/{configure_db,create-admin-tenant,register-endpoint} \
    glance/{configure_db,configure_rabbit,configure_ksat,configure_api-endpoint} \
    placement/{configure_db,configure_ksat,configure_api-endpoint} \
    nova/{configure_db,configure_rabbit,configure_ksat,configure_neutron,configure_placement,configure_api-endpoint} \
    novaapi/configure_db \
    neutron/{configure_db,configure_rabbit,configure_ksat,configure_nova,configure_api-endpoint}; do
    echo "${q%%/*} $q boolean false"
  done
}

install_packages() {
  local marker="$STATE/packages.installed" want
  want="$( (printf '%s\n' "${PACKAGES[@]}"; preseed) | sha256sum | cut -c1-16)"
  [ "$(cat "$marker" 2>/dev/null)" = "$want" ] && return 0
  # One apt at a time: ./socle test installs its own Debian tools meanwhile.
  exec 8>/var/tmp/socle-apt.lock
  flock -w 1800 8 || die "another apt run of socle holds /var/tmp/socle-apt.lock"
  # No daemon may start from a postinst: there is no init system, and the lab
  # starts its own processes. Kept afterwards so later apt runs start nothing either.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
  fi
  preseed | debconf-set-selections
  local start=$SECONDS
  run_logged "installing the OpenStack lab's Debian packages (${#PACKAGES[@]} asked)" "$LOGS/apt.log" \
    env DEBIAN_FRONTEND=noninteractive bash -c "apt-get update -qq && apt-get install -y --no-install-recommends \
      -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold ${PACKAGES[*]}"
  # The figure bench/openstack-lab reports when the packages are already there.
  printf '{"seconds": %d, "at": "%s"}\n' "$((SECONDS - start))" "$(date -u +%FT%TZ)" >"$STATE/install-time.json"
  echo "$want" >"$marker"
}

# Writes stdin to FILE (mode MODE, owner OWNER) when the content differs.
put() {
  local file="$1" mode="$2" owner="$3" tmp
  tmp="$(mktemp)"
  cat >"$tmp"
  if cmp -s "$tmp" "$file"; then rm -f "$tmp"; return 0; fi
  install -D -m "$mode" -o "${owner%:*}" -g "${owner#*:}" "$tmp" "$file"
  rm -f "$tmp"
}

db() { echo "mysql+pymysql://os:ospass@127.0.0.1/$1"; }

# The service user NAME's credentials, as keystonemiddleware and keystoneauth read them (fact 14).
service_auth() {
  cat <<CONF
auth_url = http://127.0.0.1:5000
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $1
password = servicepass
CONF
}

authtoken() {
  printf '[keystone_authtoken]\nwww_authenticate_uri = http://127.0.0.1:5000\nservice_token_roles_required = true\n'
  service_auth "$1"
}

# [SECTION] for a service that calls PEER's API as PEER's service user.
peer_api() {
  printf '[%s]\n' "$1"
  service_auth "$2" | sed 's#5000$#5000/v3#'
  echo "region_name = $REGION"
}

# Zed's role-based policy defaults (see below) and keystonemiddleware for SERVICE.
policy_and_authtoken() {
  printf '[oslo_policy]\nenforce_new_defaults = true\n'
  authtoken "$1"
}

# [oslo_policy] enforce_new_defaults: Zed's role-based defaults (reader reads,
# member changes, admin administers). Without it the legacy rules still let
# any role on a project, a reader included, create servers and networks.
# Glance insists on enforce_secure_rbac alongside.
write_configs() {
  put /etc/mysql/mariadb.conf.d/99-oslab.cnf 644 root:root <<CONF
# OpenStack lab (socle lab/openstack): loopback only.
[mysqld]
bind-address = 127.0.0.1
skip-name-resolve
max_connections = 1000
innodb_buffer_pool_size = 128M
innodb_flush_log_at_trx_commit = 2
CONF

  # A fixed node name, so it does not depend on the hostname; Erlang
  # distribution and epmd on loopback too (fact 12).
  put /etc/rabbitmq/rabbitmq-env.conf 644 rabbitmq:rabbitmq <<'CONF'
NODENAME=rabbit@localhost
NODE_IP_ADDRESS=127.0.0.1
NODE_PORT=5672
SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
CONF
  put /etc/rabbitmq/rabbitmq.conf 644 rabbitmq:rabbitmq <<'CONF'
listeners.tcp.default = 127.0.0.1:5672
CONF

  put /etc/keystone/keystone.conf 640 root:keystone <<CONF
[DEFAULT]
log_dir = $LOGS
log_file = keystone.log
[database]
connection = $(db keystone)
[token]
provider = fernet
[fernet_tokens]
key_repository = /etc/keystone/fernet-keys
[credential]
key_repository = /etc/keystone/credential-keys
CONF

  # hashing_algorithm: glance's os_hash_value is then the image's sha256.
  put /etc/glance/glance-api.conf 640 root:glance <<CONF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = 9292
workers = 1
enabled_backends = fs:file
hashing_algorithm = sha256
enforce_secure_rbac = true
log_dir = $LOGS
log_file = glance-api.log
[database]
connection = $(db glance)
[glance_store]
default_backend = fs
[fs]
filesystem_store_datadir = /var/lib/glance/images/
[os_glance_staging_store]
filesystem_store_datadir = /var/lib/glance/staging/
[os_glance_tasks_store]
filesystem_store_datadir = /var/lib/glance/tasks_work_dir/
[oslo_concurrency]
lock_path = /var/lib/glance/lock
[paste_deploy]
flavor = keystone
$(policy_and_authtoken glance)
CONF

  # log_file, or placement logs to uwsgi's log (fact 16).
  put /etc/placement/placement.conf 640 root:placement <<CONF
[DEFAULT]
log_dir = $LOGS
log_file = placement-api.log
[api]
auth_strategy = keystone
[placement_database]
connection = $(db placement)
$(authtoken placement)
CONF

  # Quotas: unlimited defaults (P10), yet nova still enforces what a test sets
  # on a project through the API.
  put /etc/nova/nova.conf 640 root:nova <<CONF
[DEFAULT]
host = $OSLAB_HOST
my_ip = 127.0.0.1
state_path = /var/lib/nova
log_dir = $LOGS
transport_url = rabbit://guest:guest@127.0.0.1:5672/
compute_driver = fake.FakeDriver
enabled_apis = osapi_compute
osapi_compute_listen = 127.0.0.1
osapi_compute_listen_port = 8774
osapi_compute_workers = 1
allow_resize_to_same_host = true
vif_plugging_is_fatal = false
vif_plugging_timeout = 0
[api_database]
connection = $(db nova_api)
[database]
connection = $(db nova)
[conductor]
workers = 1
[scheduler]
workers = 1
[quota]
instances = -1
cores = -1
ram = -1
[vnc]
enabled = false
[wsgi]
api_paste_config = /etc/nova/api-paste.ini
[oslo_concurrency]
lock_path = /var/lib/nova/tmp
$(policy_and_authtoken nova)
$(peer_api placement placement)
$(peer_api neutron neutron)
CONF

  # [experimental] linuxbridge: Zed refuses to start without it (P5);
  # report_interval 5: the agent shows alive seconds after it starts (P19).
  # [quotas]: raised defaults for tests; per-project quotas set through the API still apply.
  put /etc/neutron/neutron.conf 640 root:neutron <<CONF
[DEFAULT]
host = $OSLAB_HOST
bind_host = 127.0.0.1
bind_port = 9696
state_path = /var/lib/neutron
log_dir = $LOGS
api_workers = 1
rpc_workers = 1
rpc_state_report_workers = 1
core_plugin = ml2
service_plugins = router
allow_overlapping_ips = true
notify_nova_on_port_status_changes = true
notify_nova_on_port_data_changes = true
transport_url = rabbit://guest:guest@127.0.0.1:5672/
[agent]
root_helper = sudo neutron-rootwrap /etc/neutron/rootwrap.conf
report_interval = 5
[experimental]
linuxbridge = true
[database]
connection = $(db neutron)
[oslo_concurrency]
lock_path = /var/lib/neutron/lock
[quotas]
quota_network = 500
quota_subnet = 500
quota_port = 2000
quota_router = 100
quota_floatingip = 500
quota_security_group = 200
quota_security_group_rule = 2000
$(policy_and_authtoken neutron)
$(peer_api nova nova)
CONF

  put /etc/neutron/plugins/ml2/ml2_conf.ini 644 root:neutron <<'CONF'
[ml2]
type_drivers = flat,vlan,vxlan,local
tenant_network_types = vxlan
mechanism_drivers = linuxbridge,l2population
extension_drivers = port_security
[ml2_type_flat]
flat_networks = external
[ml2_type_vxlan]
vni_ranges = 1:1000
[securitygroup]
enable_security_group = true
enable_ipset = false
firewall_driver = noop
CONF

  # br-ex is an empty bridge with no uplink: the agent must live for ports to
  # bind (P7), and nothing it maps may reach a real network (P8).
  put /etc/neutron/plugins/ml2/linuxbridge_agent.ini 644 root:neutron <<'CONF'
[linux_bridge]
bridge_mappings = external:br-ex
[vxlan]
enable_vxlan = true
local_ip = 127.0.0.1
l2_population = true
[securitygroup]
enable_security_group = true
firewall_driver = noop
[agent]
polling_interval = 2
CONF

  install -d /var/lib/glance/images /var/lib/glance/staging /var/lib/glance/tasks_work_dir /var/lib/glance/lock \
    /var/lib/nova/tmp /var/lib/neutron/lock
}

install_packages
write_configs
