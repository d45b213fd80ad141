// Our OpenStack provider plugin (toolchain/openstack) against the SDK it must
// answer: every token @pulumi/openstack can send is served (or named here as
// gone upstream), and every input socle's own resources can set is accepted.
// An SDK or provider bump makes these lists move, and the failure says what.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cacheDir, engineEnv, pinnedVersions, repoRoot, toolchainBinDir } from "../../lab/engine";
import { readSdkTokens, sdkFolder } from "../../toolchain/openstack/sdkTokens";

interface PluginSchema {
  resources: Record<string, { inputProperties?: Record<string, unknown> }>;
  functions: Record<string, { inputs?: { properties?: Record<string, unknown> } }>;
}

// SDK 3.15.2 tokens whose Terraform resource terraform-provider-openstack v3.4.0 removed.
const RESOURCES_GONE_UPSTREAM = [
  "openstack:blockstorage/quoteSetV2:QuoteSetV2",
  "openstack:blockstorage/volumeAttachV2:VolumeAttachV2",
  "openstack:blockstorage/volumeV1:VolumeV1",
  "openstack:blockstorage/volumeV2:VolumeV2",
  "openstack:compute/floatingIp:FloatingIp",
  "openstack:compute/floatingIpAssociate:FloatingIpAssociate",
  "openstack:compute/secGroup:SecGroup",
  "openstack:firewall/firewall:Firewall",
  "openstack:firewall/policy:Policy",
  "openstack:firewall/rule:Rule",
  "openstack:loadbalancer/memberV1:MemberV1",
  "openstack:loadbalancer/monitorV1:MonitorV1",
  "openstack:loadbalancer/poolV1:PoolV1",
  "openstack:loadbalancer/vip:Vip",
];
const FUNCTIONS_GONE_UPSTREAM = [
  "openstack:blockstorage/getSnapshotV2:getSnapshotV2",
  "openstack:blockstorage/getVolumeV2:getVolumeV2",
  "openstack:firewall/getPolicy:getPolicy",
];

// SDK inputs of the resources socle uses that the upstream provider dropped;
// socle must not set them (see ../shared/openstack-plugin.md).
const INPUTS_GONE_UPSTREAM: Record<string, string[]> = {
  "openstack:compute/instance:Instance": ["accessIpV4", "accessIpV6", "floatingIp", "volumes"],
  "openstack:networking/router:Router": ["externalGateway"],
  "openstack:networking/subnet:Subnet": ["allocationPoolsCollection", "hostRoutes"],
};

/** The `XxxArgs` interface's property names of one SDK resource, read from its .d.ts. */
function sdkInputNames(token: string): string[] {
  const [, member, name] = token.split(":");
  const dts = fs.readFileSync(path.join(sdkFolder(repoRoot), `${member}.d.ts`), "utf8");
  const body = new RegExp(`export interface ${name}Args \\{([\\s\\S]*?)\\n\\}`).exec(dts)?.[1];
  if (body === undefined) throw new Error(`no ${name}Args in ${member}.d.ts`);
  return [...body.matchAll(/^ {4}(?:readonly )?(\w+)\??:/gm)].map((m) => m[1]).sort();
}

/** The SDK resources socle's components, stacks and examples construct: `new openstack.<module>.<Name>(`. */
function resourcesSocleUses(): string[] {
  const found = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== "node_modules") walk(file);
      else if (entry.name.endsWith(".ts")) {
        const text = fs.readFileSync(file, "utf8");
        for (const m of text.matchAll(/new openstack\.(\w+)\.(\w+)\(/g)) {
          found.add(`openstack:${m[1]}/${m[2][0].toLowerCase()}${m[2].slice(1)}:${m[2]}`);
        }
      }
    }
  };
  for (const dir of ["components", "stacks", "examples"]) walk(path.join(repoRoot, dir));
  return [...found].sort();
}

describe("our OpenStack provider plugin answers the @pulumi/openstack SDK", () => {
  const version = pinnedVersions().OPENSTACK_PLUGIN_VERSION;
  const pluginDir = path.join(cacheDir(), "pulumi-home", "plugins", `resource-openstack-v${version}`);
  let schema: PluginSchema;

  beforeAll(() => {
    const binary = path.join(pluginDir, "pulumi-resource-openstack");
    if (!fs.existsSync(binary)) {
      throw new Error(`the OpenStack plugin is not registered in ${pluginDir}: run ./socle test (or scripts/setup-toolchain.sh openstack)`);
    }
    const env = { ...process.env, ...engineEnv(fs.mkdtempSync(path.join(os.tmpdir(), "socle-os-"))) };
    const text = execFileSync(path.join(toolchainBinDir(), "pulumi"), ["package", "get-schema", binary], {
      env,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    schema = JSON.parse(text) as PluginSchema;
  });

  it("is registered as the SDK's version and `pulumi plugin ls` shows it", () => {
    const sdkPackage = JSON.parse(fs.readFileSync(path.join(sdkFolder(repoRoot), "package.json"), "utf8")) as { version: string };
    expect(version).toBe(sdkPackage.version.replace(/^v/, "")); // the SDK writes "v3.15.2"
    const binary = path.join(pluginDir, "pulumi-resource-openstack");
    expect(execFileSync(binary, ["-version"], { encoding: "utf8" }).trim()).toBe(version);
    const env = { ...process.env, ...engineEnv(repoRoot) };
    const list = execFileSync(path.join(toolchainBinDir(), "pulumi"), ["plugin", "ls"], { env, encoding: "utf8" });
    expect(list).toMatch(new RegExp(`openstack\\s+resource\\s+${version.replace(/\./g, "\\.")}`));
  });

  it("serves every resource token the SDK can send, but those removed upstream", () => {
    const sdk = readSdkTokens(sdkFolder(repoRoot));
    const missing = sdk.resources.filter((token) => !(token in schema.resources));
    expect(missing).toEqual(RESOURCES_GONE_UPSTREAM);
    expect(sdk.resources.length - missing.length).toBeGreaterThan(85);
  });

  it("serves every function token the SDK can send", () => {
    const sdk = readSdkTokens(sdkFolder(repoRoot));
    const missing = sdk.functions.filter((token) => !(token in schema.functions));
    expect(missing).toEqual(FUNCTIONS_GONE_UPSTREAM);
  });

  it("accepts every SDK input of the resources socle uses, but those named as gone upstream", () => {
    const used = resourcesSocleUses();
    expect(used).toContain("openstack:compute/instance:Instance");
    const refused: Record<string, string[]> = {};
    for (const token of used) {
      expect(schema.resources[token], `${token} is not served`).toBeDefined();
      const accepted = Object.keys(schema.resources[token].inputProperties ?? {});
      const gone = sdkInputNames(token).filter((name) => !accepted.includes(name));
      if (gone.length > 0) refused[token] = gone;
    }
    const expected = Object.fromEntries(Object.entries(INPUTS_GONE_UPSTREAM).filter(([token]) => used.includes(token)));
    expect(refused).toEqual(expected);
  });
});
