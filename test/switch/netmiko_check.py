"""Drives a simulated switch with Netmiko's hp_comware driver, as the hospital's
original script did, and prints what it saw as JSON for the vitest test."""
import json
import sys

from netmiko import ConnectHandler


def main() -> None:
    host, port, username, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    conn = ConnectHandler(
        device_type="hp_comware",
        host=host,
        port=port,
        username=username,
        password=password,
        fast_cli=False,
    )
    try:
        result = {
            "prompt": conn.find_prompt(),
            "version": conn.send_command("display version"),
            "config": conn.send_config_set(["vlan 42", "name netmiko-check"]),
            "save": conn.save_config(),
            "vlan": conn.send_command("display current-configuration"),
        }
    finally:
        conn.disconnect()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
