// The toolchain is built from Go modules pinned in toolchain/*/go.mod and
// cached under the versions in scripts/versions.env: the two must agree, and
// the CLI must match the @pulumi/pulumi SDK the programs use.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { pinnedVersions, repoRoot } from "../../lab/engine";

function requiredVersion(moduleDir: string, module: string): string | undefined {
  const goMod = fs.readFileSync(path.join(repoRoot, "toolchain", moduleDir, "go.mod"), "utf8");
  const escaped = module.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return new RegExp(`^\\s*(?:require\\s+)?${escaped} v(\\S+)`, "m").exec(goMod)?.[1];
}

describe("pinned versions", () => {
  const pins = pinnedVersions();

  it("the CLI module is the version the cache is keyed by, and the SDK's", () => {
    expect(requiredVersion("cli", "github.com/pulumi/pulumi/pkg/v3")).toBe(pins.PULUMI_VERSION);
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));
    expect(pkg.dependencies["@pulumi/pulumi"]).toBe(pins.PULUMI_VERSION);
  });

  it("the Node.js and YAML language hosts are the versions the cache is keyed by", () => {
    expect(requiredVersion("langhost", "github.com/pulumi/pulumi/sdk/v3")).toBe(pins.LANGHOST_SDK_VERSION);
    expect(requiredVersion("yaml", "github.com/pulumi/pulumi-yaml")).toBe(pins.PULUMI_YAML_VERSION);
  });

  it("the Kubernetes plugin is registered as the version the @pulumi/kubernetes SDK asks for", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));
    expect(pkg.dependencies["@pulumi/kubernetes"]).toBe(pins.KUBERNETES_PLUGIN_VERSION);
    // A commit of the provider module after that release (the module proxy serves no tag).
    expect(requiredVersion("kubernetes", "github.com/pulumi/pulumi-kubernetes/provider/v4")).toMatch(
      /^4\.0\.0-\d{14}-[0-9a-f]{12}$/,
    );
  });

  it("the lab's control plane is the Kubernetes release the cache is keyed by", () => {
    expect(requiredVersion("kubernetes-lab", "k8s.io/kubernetes")).toBe(pins.KUBERNETES_VERSION);
  });
});
