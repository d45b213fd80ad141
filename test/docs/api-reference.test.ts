// The API reference (issue 6): typedoc generates it from the doc comments of
// every public entry point, and any undocumented export, broken link or
// missing referenced type fails the generation.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../lab/engine";

const run = promisify(execFile);

describe("API reference (typedoc)", () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "socle-apidoc-"));
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it("generates with no warning: every export documented, every link resolved", async () => {
    const typedoc = path.join(repoRoot, "node_modules", "typedoc", "bin", "typedoc");
    const result = await run(process.execPath, [typedoc, "--out", out, "--treatWarningsAsErrors"], {
      cwd: repoRoot,
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`typedoc failed:\n${error.stdout ?? ""}${error.stderr ?? ""}`);
    });
    expect(result.stdout).toMatch(/html generated/);
  });

  it("documents the components a team uses, with their args and defaults", () => {
    const page = (kind: string, name: string) => {
      const pages = fs.readdirSync(path.join(out, kind));
      const file = pages.find((p) => p.endsWith(`.${name}.html`));
      if (!file) throw new Error(`no page for ${name} in ${kind}/`);
      return fs.readFileSync(path.join(out, kind, file), "utf8");
    };
    expect(page("classes", "SwitchFleet")).toContain("SwitchFleetArgs");
    expect(page("interfaces", "SwitchFleetArgs")).toMatch(/maintenanceWindow[\s\S]*Reboot window/);
    expect(page("classes", "Bubble")).toContain("BubbleArgs");
    expect(page("interfaces", "BubbleArgs")).toContain("10.20.0.0/24");
    expect(page("classes", "SwitchFirmware")).toContain("SwitchFirmwareArgs");
  });
});
