#!/usr/bin/env bash
# The seed's way (seed 002): the MedicArche tenant made by sequential
# `openstack` CLI calls in bash, one resource after the other, waiting for
# each server, and torn down the same way. It makes the same OpenStack
# resources as socle's `medicarche` stack and bench/openstack/tofu/main.tf.
#
#   medicarche-cli.sh create|delete INPUT_DIR
#
# Credentials: the OS_* environment (the lab's admin-openrc). INPUT_DIR holds
# what the bench prepared: `settings` (PREFIX, ADMIN_CIDR, CLIENT_CIDR,
# EXTERNAL_NETWORK, SUBNET_CIDR, IMAGE_PATH), `id.pub`, `user-data/<app>.yaml`
# and `passwords/<role>`.
set -euo pipefail
action="${1:?usage: medicarche-cli.sh create|delete INPUT_DIR}"
input="${2:?usage: medicarche-cli.sh create|delete INPUT_DIR}"
# shellcheck source=/dev/null
source "$input/settings"
os() { openstack "$@"; }
value() { openstack "$@" -f value -c id; }

apps="odoo nextcloud syncthing wordpress"
declare -A flavor=([odoo]="2 2048 9" [nextcloud]="2 2048 8" [syncthing]="1 1024 5" [wordpress]="1 1024 5" [proxy]="1 512 5")
declare -A backend_port=([odoo]=8069 [nextcloud]=80 [syncthing]=8384 [wordpress]=80)
declare -A public_port=([odoo]=8087 [nextcloud]=8806 [syncthing]=8885 [wordpress]=8088)
declare -A users=([admin]="$PREFIX-dsi-admin" [member]="$PREFIX-dsi-member" [reader]="$PREFIX-audit-reader")

create() {
  local name
  for name in odoo nextcloud syncthing wordpress proxy; do
    read -r vcpus ram disk <<<"${flavor[$name]}"
    os flavor create --public --vcpus "$vcpus" --ram "$ram" --disk "$disk" "$PREFIX-$name" >/dev/null
  done
  image=$(value image create --disk-format qcow2 --container-format bare --private \
    --property os_distro=ubuntu --file "$IMAGE_PATH" "$PREFIX-ubuntu")

  net=$(value network create "$PREFIX-private")
  subnet=$(value subnet create --network "$net" --subnet-range "$SUBNET_CIDR" --ip-version 4 "$PREFIX-private")
  router=$(value router create --external-gateway "$EXTERNAL_NETWORK" "$PREFIX-private")
  os router add subnet "$router" "$subnet"

  # Neutron gives each new group two allow-all egress rules: deleted, only ours stay.
  edge=$(value security group create --description "reverse proxy: seed ports from clients, SSH from admins" "$PREFIX-edge")
  backend=$(value security group create --description "application servers: app ports from the proxy only, SSH from admins" "$PREFIX-apps")
  for rule in $(openstack security group rule list "$edge" -f value -c ID) $(openstack security group rule list "$backend" -f value -c ID); do
    os security group rule delete "$rule"
  done
  for group in "$edge" "$backend"; do
    os security group rule create --egress --ethertype IPv4 --remote-ip 0.0.0.0/0 --description "outbound traffic" "$group" >/dev/null
    os security group rule create --ingress --protocol tcp --dst-port 22 --remote-ip "$ADMIN_CIDR" --description "SSH from administrators only" "$group" >/dev/null
  done
  for port in 80 443 8087 8088 8806 8885; do
    os security group rule create --ingress --protocol tcp --dst-port "$port" --remote-ip "$CLIENT_CIDR" "$edge" >/dev/null
  done
  for port in 80 8069 8384; do
    os security group rule create --ingress --protocol tcp --dst-port "$port" --remote-group "$edge" "$backend" >/dev/null
  done

  os keypair create --public-key "$input/id.pub" "$PREFIX-admin" >/dev/null

  local ip proxy_conf="$input/user-data/proxy.yaml"
  printf '#cloud-config\nhostname: %s-proxy\ntimezone: Europe/Paris\npackages: [nginx]\nwrite_files:\n  - path: /etc/nginx/conf.d/medicarche.conf\n    content: |\n' "$PREFIX" >"$proxy_conf"
  for name in $apps; do
    port=$(value port create --network "$net" --fixed-ip subnet="$subnet" --security-group "$backend" "$PREFIX-$name")
    os server create --flavor "$PREFIX-$name" --image "$image" --key-name "$PREFIX-admin" \
      --user-data "$input/user-data/$name.yaml" --port "$port" --wait \
      --property socle-app="$name" --property socle-data-bearing=true \
      --property socle-user-data-sha256="$(sha256sum <"$input/user-data/$name.yaml" | cut -d' ' -f1)" \
      "$PREFIX-$name" >/dev/null
    ip=$(openstack port show "$port" -f json -c fixed_ips | sed -n 's/.*"ip_address": "\([0-9.]*\)".*/\1/p' | head -1)
    printf '      server { listen %s; location / { proxy_pass http://%s:%s; } }\n' "${public_port[$name]}" "$ip" "${backend_port[$name]}" >>"$proxy_conf"
  done
  printf 'runcmd:\n  - [systemctl, reload, nginx]\n' >>"$proxy_conf"
  port=$(value port create --network "$net" --fixed-ip subnet="$subnet" --security-group "$edge" "$PREFIX-proxy")
  os server create --flavor "$PREFIX-proxy" --image "$image" --key-name "$PREFIX-admin" \
    --user-data "$proxy_conf" --port "$port" --wait \
    --property socle-app=reverse-proxy --property socle-data-bearing=false \
    --property socle-user-data-sha256="$(sha256sum <"$proxy_conf" | cut -d' ' -f1)" \
    "$PREFIX-proxy" >/dev/null
  fip=$(openstack floating ip create --description "$PREFIX-proxy" "$EXTERNAL_NETWORK" -f value -c floating_ip_address)
  os floating ip set --port "$port" "$fip"

  local project role
  project=$(openstack token issue -f value -c project_id)
  for role in admin member reader; do
    os user create --domain default --project "$project" --password "$(cat "$input/passwords/$role")" "${users[$role]}" >/dev/null
    os role add --project "$project" --user "${users[$role]}" "$role"
  done
}

# Tears down whatever exists of the tenant, in reverse order (a half-made one too).
delete() {
  local name id
  for name in proxy $apps; do
    openstack server show "$PREFIX-$name" >/dev/null 2>&1 && os server delete --wait "$PREFIX-$name"
  done
  for id in $(openstack floating ip list --long -f value -c ID -c Description | awk -v d="$PREFIX-proxy" '$2 == d { print $1 }'); do
    os floating ip delete "$id"
  done
  for name in proxy $apps; do
    openstack port show "$PREFIX-$name" >/dev/null 2>&1 && os port delete "$PREFIX-$name"
  done
  if openstack router show "$PREFIX-private" >/dev/null 2>&1; then
    os router remove subnet "$PREFIX-private" "$PREFIX-private" 2>/dev/null || true
    os router delete "$PREFIX-private"
  fi
  openstack network show "$PREFIX-private" >/dev/null 2>&1 && os network delete "$PREFIX-private"
  for name in edge apps; do
    openstack security group show "$PREFIX-$name" >/dev/null 2>&1 && os security group delete "$PREFIX-$name"
  done
  openstack keypair show "$PREFIX-admin" >/dev/null 2>&1 && os keypair delete "$PREFIX-admin"
  openstack image show "$PREFIX-ubuntu" >/dev/null 2>&1 && os image delete "$PREFIX-ubuntu"
  for name in odoo nextcloud syncthing wordpress proxy; do
    openstack flavor show "$PREFIX-$name" >/dev/null 2>&1 && os flavor delete "$PREFIX-$name"
  done
  for name in "${users[@]}"; do
    openstack user show "$name" >/dev/null 2>&1 && os user delete "$name"
  done
  return 0
}

case "$action" in
  create) create ;;
  delete) delete ;;
  *) echo "usage: medicarche-cli.sh create|delete INPUT_DIR" >&2 && exit 2 ;;
esac
