"""Drives a simulated switch with Netmiko's hp_comware driver, as the hospital's
original script did, and prints what it saw as JSON for the vitest test."""
import json
import re
import sys

from netmiko import ConnectHandler
from netmiko.ssh_autodetect import SSH_MAPPER_DICT


def main() -> None:
    host, port, username, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    params = {"host": host, "port": port, "username": username, "password": password}
    conn = ConnectHandler(device_type="hp_comware", fast_cli=False, **params)
    try:
        result = {
            "prompt": conn.find_prompt(),
            "irf": conn.send_command("display irf"),
            "version": conn.send_command("display version"),
            "config": conn.send_config_set(["vlan 42", "name netmiko-check"]),
            "save": conn.save_config(),
            "vlan": conn.send_command("display current-configuration"),
        }
    finally:
        conn.disconnect()
    # Netmiko's autodetection patterns for `display version` (SSHDetect's table, without its
    # slow probing of every other platform): HP/HPE Comware -> hp_comware.
    result["detected"] = ",".join(
        name
        for name, entry in SSH_MAPPER_DICT.items()
        if entry["cmd"] == "display version"
        and any(re.search(p, result["version"]) for p in entry["search_patterns"])
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
