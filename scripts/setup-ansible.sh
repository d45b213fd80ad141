#!/usr/bin/env bash
# A Python virtualenv with ansible-core from PyPI: `ansible`, `ansible-inventory`
# and `ansible-playbook`, run by socle's playbook resource and the operations
# tests. Cached by version, like Netmiko. Prints the venv's bin directory.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

venv="$SOCLE_CACHE/ansible-core-$ANSIBLE_CORE_VERSION"
pip_venv "$venv" "ansible-core==$ANSIBLE_CORE_VERSION" ansible --version
echo "$venv/bin"
