"""The seed's approach as a baseline: back up every switch's running
configuration with Netmiko, one after the other (workers=1) or with a thread
pool. Prints the elapsed seconds as JSON."""
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from netmiko import ConnectHandler


def backup(switch: dict, out_dir: Path) -> None:
    conn = ConnectHandler(
        device_type="hp_comware",
        host=switch["host"],
        port=switch["port"],
        username=switch["username"],
        password=switch["password"],
    )
    try:
        text = conn.send_command("display current-configuration", read_timeout=60)
    finally:
        conn.disconnect()
    (out_dir / f"{switch['name']}.cfg").write_text(text)


def main() -> None:
    manifest = json.loads(Path(sys.argv[1]).read_text())
    out_dir = Path(sys.argv[2])
    workers = int(sys.argv[3])
    out_dir.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    if workers == 1:
        for switch in manifest["switches"]:
            backup(switch, out_dir)
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(lambda s: backup(s, out_dir), manifest["switches"]))
    print(json.dumps({"seconds": time.monotonic() - start}))


if __name__ == "__main__":
    main()
