#!/usr/bin/env bash
# Installs the client-side tools the OpenStack tests need, idempotently:
#   - cloud-init (its `cloud-init schema` validates our user-data),
#   - python3-openstackclient (the `openstack` CLI used by lab tests).
# No daemon is started: policy-rc.d forbids it (there is no systemd here).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

need=()
command -v cloud-init >/dev/null 2>&1 || need+=(cloud-init)
command -v openstack >/dev/null 2>&1 || need+=(python3-openstackclient)
if [ "${#need[@]}" -eq 0 ]; then
  echo "install-tools: cloud-init and openstack CLI already present"
  exit 0
fi

if [ ! -x /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${need[@]}"
echo "install-tools: installed ${need[*]}"
