// Velero's lab tools are cached under the versions of scripts/versions.env and
// a hash of toolchain/velero: the lab must look where setup part `velero`
// builds, and the pins must be the versions go.mod builds.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { cacheDir, pinnedVersions, repoRoot } from "../../../lab/engine";
import { veleroToolPath } from "../../../lab/kubernetes/velero";

describe("Velero lab pins", () => {
  const pins = pinnedVersions();
  const goMod = fs.readFileSync(path.join(repoRoot, "toolchain", "velero", "go.mod"), "utf8");

  it("go.mod builds the Velero and AWS plugin versions of versions.env", () => {
    expect(goMod).toMatch(new RegExp(`github\\.com/vmware-tanzu/velero v${pins.VELERO_VERSION}\\b`));
    expect(goMod).toMatch(
      new RegExp(`github\\.com/vmware-tanzu/velero-plugin-for-aws v${pins.VELERO_PLUGIN_AWS_VERSION}\\b`),
    );
  });

  it("the lab looks for the tools in the folder setup-toolchain.sh builds them in", () => {
    // The same key as scripts/setup-toolchain.sh's velero part computes.
    const key = execFileSync(
      "bash",
      ["-c", "cat toolchain/velero/{go.mod,go.sum,tools.go,s3lab/main.go} | sha256sum | cut -c1-12"],
      { cwd: repoRoot, encoding: "utf8" },
    ).trim();
    const folder = `velero-${pins.VELERO_VERSION}-aws-${pins.VELERO_PLUGIN_AWS_VERSION}-${key}`;
    expect(veleroToolPath("velero")).toBe(path.join(cacheDir(), "toolchain", folder, "velero"));
    expect(veleroToolPath("plugins")).toBe(path.join(cacheDir(), "toolchain", folder, "plugins"));
    const script = fs.readFileSync(path.join(repoRoot, "scripts", "setup-toolchain.sh"), "utf8");
    expect(script).toContain(
      'velero_key="$(cat "$SOCLE_ROOT/toolchain/velero/"{go.mod,go.sum,tools.go,s3lab/main.go} | sha256sum | cut -c1-12)"',
    );
    expect(script).toContain(
      'velero_dir="$SOCLE_CACHE/toolchain/velero-$VELERO_VERSION-aws-$VELERO_PLUGIN_AWS_VERSION-$velero_key"',
    );
  });
});
