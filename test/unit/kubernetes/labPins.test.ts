// The Kubernetes lab's programs are cached under the versions of
// scripts/versions.env: those must be the versions the Go modules build.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { pinnedVersions, repoRoot } from "../../../lab/engine";
import { controlPlanePath, simulatedNode } from "../../../lab/kubernetes";

const goMod = (dir: string) => fs.readFileSync(path.join(repoRoot, "toolchain", dir, "go.mod"), "utf8");

describe("Kubernetes lab pins", () => {
  it("kwok's module is the version its cache folder is named after", () => {
    const pins = pinnedVersions();
    expect(goMod("kwok")).toMatch(
      new RegExp(`^require sigs\\.k8s\\.io/kwok v${pins.KWOK_VERSION.replace(/\./g, "\\.")}$`, "m"),
    );
    expect(controlPlanePath("kwok")).toContain(`kwok-${pins.KWOK_VERSION}`);
    expect(controlPlanePath("kube-scheduler")).toContain(`kubernetes-${pins.KUBERNETES_VERSION}`);
  });

  it("a simulated node carries kwok's annotation, no taint, and its capacity", () => {
    expect(simulatedNode("n1", 4, 16)).toMatchObject({
      metadata: { name: "n1", annotations: { "kwok.x-k8s.io/node": "fake" } },
      status: { capacity: { cpu: "4", memory: "16Gi", pods: "110" } },
    });
    expect(JSON.stringify(simulatedNode("n1", 4, 16))).not.toContain("taints");
  });
});
