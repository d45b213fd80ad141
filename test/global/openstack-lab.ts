// vitest global set-up for the OpenStack lab. It starts nothing: the first test
// that calls ensureOpenStackLab() starts the lab (unit-only runs pay nothing),
// and leaves a marker file if it did; the teardown then stops it. A lab that
// was already running before the test run is left running.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { STARTED_MARKER_ENV, stopOpenStackLab } from "../../lab/openstack";

export default function setup(): () => Promise<void> {
  const marker = path.join(os.tmpdir(), `socle-oslab-started-by-${process.pid}`);
  fs.rmSync(marker, { force: true });
  // Test workers are started after this and inherit the environment.
  process.env[STARTED_MARKER_ENV] = marker;
  return async () => {
    if (!fs.existsSync(marker)) return;
    fs.rmSync(marker, { force: true });
    await stopOpenStackLab();
  };
}
