#!/usr/bin/env bash
# Debian packages the tests drive as real third-party tools, installed once:
#   rsync            gitlab-ci-local copies the work tree with it
#   cloud-init       `cloud-init schema` validates our user-data
#   python3-openstackclient  the `openstack` CLI of the OpenStack lab tests
#   python3-venv     the Netmiko virtualenv
#   openssh-client   plain `sftp`, the baseline of bench/switch
#   etcd-server      the store behind the Kubernetes lab's API server
#   openssh-server   sshd on loopback ports, the hosts of the Ansible tests (lab/ssh)
#   postgresql       a throwaway server for the PostgreSQL state backend (lab/postgres)
# No daemon may start while installing (there is no init system here): a
# policy-rc.d refuses service starts for the duration of the install only.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

declare -A wanted=([rsync]=rsync [cloud-init]=cloud-init [openstack]=python3-openstackclient [sftp]=openssh-client [etcd]=etcd-server)
need=()
for tool in "${!wanted[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || need+=("${wanted[$tool]}")
done
python3 -c 'import ensurepip, venv' 2>/dev/null || need+=(python3-venv)
# Daemons the operations tests start themselves (not on PATH for every user).
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
[ -x "/usr/lib/postgresql/$POSTGRES_MAJOR/bin/initdb" ] || need+=("postgresql-$POSTGRES_MAJOR")
[ "${#need[@]}" -eq 0 ] && exit 0

command -v apt-get >/dev/null || die "missing tools (${need[*]}) and no apt-get to install them: install them by hand"
# One apt at a time: the OpenStack lab's install may run beside us (./socle test starts it early).
exec 8>/var/tmp/socle-apt.lock
flock -w 1800 8 || die "another apt run of socle holds /var/tmp/socle-apt.lock"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
policy=/usr/sbin/policy-rc.d
own_policy=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod 755 "$policy" && own_policy=1
fi
trap '[ -n "$own_policy" ] && $sudo rm -f "$policy"' EXIT
run_logged "installing Debian packages: ${need[*]}" "$SOCLE_CACHE/logs/apt.log" \
  $sudo env DEBIAN_FRONTEND=noninteractive bash -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold ${need[*]}"
