#!/usr/bin/env bash
# A Python virtualenv with ansible-core from PyPI: `ansible`, `ansible-inventory`
# and `ansible-playbook`, run by socle's playbook resource and the operations
# tests. Cached by version, like Netmiko. Prints the venv's bin directory.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

venv="$SOCLE_CACHE/ansible-core-$ANSIBLE_CORE_VERSION"
if [ ! -x "$venv/bin/ansible-playbook" ] || ! "$venv/bin/ansible" --version >/dev/null 2>&1; then
  command -v python3 >/dev/null || die "python3 is needed for ansible-core (apt-get install python3 python3-venv)"
  rm -rf "$venv"
  python3 -m venv "$venv" || die "could not create a Python venv in $venv (apt-get install python3-venv)"
  run_logged "installing ansible-core $ANSIBLE_CORE_VERSION from PyPI" "$SOCLE_CACHE/logs/ansible-core.log" \
    "$venv/bin/pip" install --disable-pip-version-check --quiet "ansible-core==$ANSIBLE_CORE_VERSION"
fi
echo "$venv/bin"
