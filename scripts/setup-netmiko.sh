#!/usr/bin/env bash
# A Python virtualenv with Netmiko from PyPI, the third-party client that
# checks the switch simulator and the baseline of bench/switch. Cached by
# version. Prints the venv's python.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

venv="$SOCLE_CACHE/netmiko-$NETMIKO_VERSION"
pip_venv "$venv" "netmiko==$NETMIKO_VERSION" python -c "import netmiko"
echo "$venv/bin/python"
