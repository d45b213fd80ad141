#!/usr/bin/env bash
# A Python virtualenv with Netmiko from PyPI, the third-party client that
# checks the switch simulator and the baseline of bench/switch. Cached by
# version. Prints the venv's python.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

venv="$SOCLE_CACHE/netmiko-$NETMIKO_VERSION"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import netmiko" 2>/dev/null; then
  command -v python3 >/dev/null || die "python3 is needed for the Netmiko checks (apt-get install python3 python3-venv)"
  rm -rf "$venv"
  python3 -m venv "$venv" || die "could not create a Python venv in $venv (apt-get install python3-venv)"
  run_logged "installing netmiko $NETMIKO_VERSION from PyPI" "$SOCLE_CACHE/logs/netmiko.log" \
    "$venv/bin/pip" install --disable-pip-version-check --quiet "netmiko==$NETMIKO_VERSION"
fi
echo "$venv/bin/python"
