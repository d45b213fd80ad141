// A detached lab that cannot start says why: the last line its process
// logged, not only where the log is.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startDetached } from "../../../lab/background";

describe("startDetached", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "socle-background-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("a lab process that exits names its reason and its log", async () => {
    const script = path.join(dir, "failing-lab.js");
    fs.writeFileSync(
      script,
      'console.error("starting");\nconsole.error("switch r1: cannot listen on 127.0.0.1:2301 (EADDRINUSE)");\nprocess.exit(1);\n',
    );
    await expect(startDetached(script, [], dir, path.join(dir, "manifest.json"))).rejects.toThrow(
      `the lab did not start: switch r1: cannot listen on 127.0.0.1:2301 (EADDRINUSE) (log: ${path.join(dir, "lab.log")})`,
    );
  });
});
