// A team adopting socle: the packed tarball installs in a new project, the
// examples typecheck against it, and the switch examples preview and go up under
// the real engine against the switch lab, running socle's compiled JavaScript
// from the tarball; the YAML example does the same through socle's component
// package (`pulumi package add`, then the `socle` resource plugin). The OpenStack
// examples go up in the OpenStack lab through socle's OpenStack plugin, as the
// lab's administrator, and are destroyed.
//
// Only asynchronous child processes here: the lab answers SSH from this process.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { LocalWorkspace, PulumiCommand, type EngineEvent, type Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineEnv, repoRoot, toolchainBinDir } from "../../lab/engine";
import { startSwitchLab, type SwitchHandle, type SwitchLab } from "../../lab/switch";
import { labGet, startKubernetesLab } from "../../lab/kubernetes";
import {
  ensureOpenStackLab,
  openStackEnv,
  openstackCli,
  type OpenStackLabManifest,
} from "../../lab/openstack";
import { storedStateText } from "../e2e/harness";

const run = promisify(execFile);
const typescriptExamples = ["switch-fleet", "switch-backup", "openstack-bubble"];
const examples = [...typescriptExamples, "yaml-fleet", "yaml-platform", "yaml-bubble"];
const firmwareImage = "s5120ei-cmw520-r2221p25.bin";
const labPassword = randomBytes(12).toString("base64url");

interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function readPackageJson(dir: string): PackageJson {
  return JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as PackageJson;
}

/** Builds socle and packs it into `dest`; returns the tarball's path. */
async function packSocle(dest: string): Promise<string> {
  await run("npm", ["run", "build"], { cwd: repoRoot });
  const { stdout } = await run("npm", ["pack", "--silent", "--pack-destination", dest], { cwd: repoRoot });
  return path.join(dest, stdout.trim().split("\n").pop() ?? "");
}

/**
 * Copies the examples under `scratch` beside one package.json holding the union
 * of their dependencies, socle pointing at the tarball: one `npm install` serves
 * all of them, like a team's repository with one folder per program.
 */
function layOutExamples(scratch: string, tarball: string): void {
  const union: Required<PackageJson> = { dependencies: {}, devDependencies: {} };
  for (const name of examples) {
    const dir = path.join(scratch, name);
    fs.cpSync(path.join(repoRoot, "examples", name), dir, { recursive: true });
    const pkg = readPackageJson(dir);
    Object.assign(union.dependencies, pkg.dependencies, { socle: `file:${tarball}` });
    Object.assign(union.devDependencies, pkg.devDependencies);
  }
  fs.writeFileSync(
    path.join(scratch, "package.json"),
    JSON.stringify({ name: "team-infra", private: true, ...union }, null, 2),
  );
}

/** Opens stack `lab` of the program in `workDir` with the engine socle built, state in `stateDir`. */
async function openStack(
  workDir: string,
  stateDir: string,
  extraEnv: Record<string, string> = {},
): Promise<Stack> {
  const envVars = { ...engineEnv(stateDir), ...extraEnv };
  return LocalWorkspace.createOrSelectStack(
    { stackName: "lab", workDir },
    {
      envVars,
      pulumiHome: envVars.PULUMI_HOME,
      pulumiCommand: await PulumiCommand.get({ root: path.dirname(toolchainBinDir()) }),
    },
  );
}

/** Previews `stack` and lists the resources it plans to create as "type name", sorted. */
async function plannedCreates(stack: Stack): Promise<string[]> {
  const creates: string[] = [];
  const onEvent = (event: EngineEvent) => {
    const step = event.resourcePreEvent?.metadata;
    // Default providers are created too but, like the engine's summary, not counted here.
    const name = step?.urn.split("::").pop() ?? "";
    const defaultProvider = step?.type.startsWith("pulumi:providers:") && name.startsWith("default");
    if (step?.op === "create" && !defaultProvider) creates.push(`${step.type} ${name}`);
  };
  const preview = await stack.preview({ onEvent });
  expect(preview.changeSummary.create).toBe(creates.length);
  return creates.sort();
}

function connectionOf(sw: SwitchHandle) {
  return { name: sw.name, host: sw.host, port: sw.port, hostKeySha256: sw.hostKeyFingerprint };
}

describe("examples against the packed package", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-examples-"));
  const stateDir = path.join(scratch, "state");
  let tarball = "";
  let lab: SwitchLab;

  beforeAll(async () => {
    tarball = await packSocle(scratch);
    layOutExamples(scratch, tarball);
    await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], {
      cwd: scratch,
    });
    fs.mkdirSync(stateDir);
    lab = await startSwitchLab({
      dir: path.join(scratch, "lab"),
      // One account on every switch, as a team's backup account would be.
      switches: [
        { name: "room-1", members: 2, username: "netops", password: labPassword },
        { name: "room-2", members: 1, username: "netops", password: labPassword },
      ],
    });
  });
  afterAll(async () => {
    await lab?.close();
    if (osLab) {
      for (const flavor of flavorsMade) await openstackCli(osLab, "admin", ["flavor", "delete", flavor]);
    }
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  // The OpenStack lab, shared with other runs: names of our own, flavors made here deleted after.
  let osLab: OpenStackLabManifest | undefined;
  const flavorsMade: string[] = [];
  const runId = randomBytes(3).toString("hex");

  /** The lab, with a 2 vCPU / 4 GiB flavor of this run (what the templates' VMs need). */
  async function openStackLab(): Promise<{ lab: OpenStackLabManifest; flavor: string }> {
    osLab ??= await ensureOpenStackLab();
    const flavor = `ex-${runId}-medium`;
    if (!flavorsMade.includes(flavor)) {
      // prettier-ignore
      await openstackCli(osLab, "admin", ["flavor", "create", "--vcpus", "2", "--ram", "4096", "--disk", "40", flavor]);
      flavorsMade.push(flavor);
    }
    return { lab: osLab, flavor };
  }

  /** The config both OpenStack examples need in the lab, and the stack opened with the admin's OS_* variables. */
  async function openOpenStackExample(
    name: string,
  ): Promise<{ stack: Stack; lab: OpenStackLabManifest; flavor: string }> {
    const { lab: os, flavor } = await openStackLab();
    const stack = await openStack(path.join(scratch, name), stateDir, openStackEnv(os, "admin"));
    await stack.setAllConfig({
      externalNetworkId: { value: os.externalNetwork.id },
      imageId: { value: os.image.id },
      "openstack:authUrl": { value: os.authUrl },
      "openstack:region": { value: os.region },
    });
    return { stack, lab: os, flavor };
  }

  /** After a failure: whatever part of the bubble exists goes, protection lifted first. */
  async function tearDown(stack: Stack): Promise<void> {
    await stack.setConfig("protectData", { value: "false" });
    await stack.up().catch(() => undefined);
    await stack.destroy().catch(() => undefined);
  }

  /** Lifts the protection of the data-bearing VMs, destroys the stack and checks the bubble's project is gone. */
  async function destroyBubble(stack: Stack, os: OpenStackLabManifest, projectId: string): Promise<void> {
    await stack.setConfig("protectData", { value: "false" });
    expect((await stack.up()).summary.result).toBe("succeeded");
    expect((await stack.destroy()).summary.result).toBe("succeeded");
    const projects = JSON.parse(await openstackCli(os, "admin", ["project", "list", "-f", "json"])) as {
      ID: string;
    }[];
    expect(projects.map((p) => p.ID)).not.toContain(projectId);
  }

  it("each example depends on the packed tarball and on socle's own @pulumi/pulumi", () => {
    const socleSdk = readPackageJson(repoRoot).dependencies?.["@pulumi/pulumi"];
    for (const name of examples) {
      const deps = readPackageJson(path.join(repoRoot, "examples", name)).dependencies ?? {};
      expect(deps.socle, name).toBe("file:../../socle-0.1.0.tgz");
      expect(deps["@pulumi/pulumi"], name).toBe(socleSdk);
      expect(fs.existsSync(path.join(repoRoot, "examples", name, "README.md")), name).toBe(true);
    }
    expect(path.basename(tarball)).toBe("socle-0.1.0.tgz");
  });

  it("installs socle from the tarball with its compiled code and types, without tests or labs", () => {
    const installed = path.join(scratch, "node_modules", "socle");
    expect(fs.existsSync(path.join(installed, "dist", "components", "network", "index.d.ts"))).toBe(true);
    expect(fs.existsSync(path.join(installed, "dist", "providers", "switch", "runtime.js"))).toBe(true);
    expect(fs.existsSync(path.join(installed, "test"))).toBe(false);
    expect(fs.existsSync(path.join(installed, "examples"))).toBe(false);
  });

  for (const name of typescriptExamples) {
    it(`typechecks ${name} with tsc --noEmit in its own folder`, async () => {
      const tsc = path.join(scratch, "node_modules", ".bin", "tsc");
      await expect(
        run(tsc, ["--noEmit", "-p", "."], { cwd: path.join(scratch, name) }),
      ).resolves.toBeDefined();
    });
  }

  it("previews switch-fleet under the real engine, then brings it up on the lab switch", async () => {
    const sw = lab.switches[0];
    const image = path.join(scratch, firmwareImage);
    fs.writeFileSync(image, Buffer.alloc(1024 * 1024, 1));
    const backups = path.join(scratch, "fleet-backups");
    const stack = await openStack(path.join(scratch, "switch-fleet"), stateDir);
    await stack.setAllConfig({
      stacks: { value: JSON.stringify([connectionOf(sw)]) },
      username: { value: sw.username },
      password: { value: sw.password, secret: true },
      imagePath: { value: image },
      release: { value: "2221P25" },
      backupDirectory: { value: backups },
    });

    expect(await plannedCreates(stack)).toEqual([
      "pulumi-nodejs:dynamic/switch:ConfigBackup room-1-backup",
      "pulumi-nodejs:dynamic/switch:Configuration room-1-config",
      "pulumi-nodejs:dynamic/switch:Firmware room-1-firmware",
      "pulumi:pulumi:Stack switch-fleet-lab",
      "socle:network:SwitchFleet campus",
    ]);
    // A preview reads the switch but changes nothing on it.
    expect(sw.bootInfo().some((m) => m.main?.endsWith(firmwareImage))).toBe(false);
    expect(sw.runningConfig()).not.toContain("name urgences");

    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(sw.bootInfo().every((m) => m.main?.endsWith(firmwareImage))).toBe(true);
    expect(sw.savedConfig()).toContain("sysname room-1");
    expect(sw.savedConfig()).toMatch(/vlan 10\s+name urgences/);
    expect(sw.savedConfig()).toMatch(/vlan 20\s+name imagerie/);
    expect(fs.readdirSync(path.join(backups, "room-1")).some((f) => f.endsWith(".cfg"))).toBe(true);
    // Converged: a second preview plans nothing.
    expect(Object.keys((await stack.preview()).changeSummary)).toEqual(["same"]);
  });

  it("previews switch-backup for two switches, then archives both in one git repository", async () => {
    const backups = path.join(scratch, "nightly-backups");
    const stack = await openStack(path.join(scratch, "switch-backup"), stateDir);
    const [first] = lab.switches;
    await stack.setAllConfig({
      switches: { value: JSON.stringify(lab.switches.map(connectionOf)) },
      username: { value: first.username },
      password: { value: first.password, secret: true },
      backupDirectory: { value: backups },
    });

    expect(await plannedCreates(stack)).toEqual([
      "pulumi-nodejs:dynamic/switch:ConfigBackup room-1-backup",
      "pulumi-nodejs:dynamic/switch:ConfigBackup room-2-backup",
      "pulumi:pulumi:Stack switch-backup-lab",
    ]);
    expect(fs.existsSync(backups)).toBe(false);

    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    const latest = up.outputs.latest.value as string[];
    expect(latest.map((file) => file.split(path.sep)[0]).sort()).toEqual(["room-1", "room-2"]);
    for (const file of latest) {
      expect(fs.readFileSync(path.join(backups, file), "utf8")).toContain("sysname");
    }
    const { stdout } = await run("git", ["-C", backups, "log", "--format=%s"]);
    expect(stdout.trim().split("\n")).toHaveLength(2);
    expect(Object.keys((await stack.preview()).changeSummary)).toEqual(["same"]);
  });

  it("adds socle's component package to the YAML example, previews it and brings it up", async () => {
    const sw = lab.switches[1];
    const workDir = path.join(scratch, "yaml-fleet");
    // A team's YAML project has socle in its own node_modules; here the shared one stands in.
    fs.symlinkSync(path.join(scratch, "node_modules"), path.join(workDir, "node_modules"));
    // `pulumi package add` asks the plugin for its schema and records the package.
    const projectFile = path.join(workDir, "Pulumi.yaml");
    const withoutPackages = fs.readFileSync(projectFile, "utf8").replace(/^packages:\n( {2}.*\n)+/m, "");
    fs.writeFileSync(projectFile, withoutPackages);
    const added = await run(
      path.join(toolchainBinDir(), "pulumi"),
      ["package", "add", "./node_modules/socle/bin/pulumi-resource-socle"],
      { cwd: workDir, env: { ...process.env, ...engineEnv(stateDir) } },
    );
    expect(added.stderr).toContain("Added package socle");
    expect(fs.readFileSync(projectFile, "utf8")).toMatch(/^packages:\n {2}socle: socle@0\.1\.0$/m);

    const stack = await openStack(workDir, stateDir);
    await stack.setAllConfig({
      host: { value: sw.host },
      port: { value: String(sw.port) },
      hostKeySha256: { value: sw.hostKeyFingerprint },
      username: { value: sw.username },
      password: { value: sw.password, secret: true },
    });
    expect(await plannedCreates(stack)).toEqual([
      "pulumi-nodejs:dynamic/switch:Configuration psv-r1-config",
      "pulumi:pulumi:Stack yaml-fleet-lab",
      "socle:network:SwitchFleet campus",
    ]);
    expect(sw.runningConfig()).not.toContain("sysname psv-r1");

    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(sw.savedConfig()).toContain("sysname psv-r1");
    expect(sw.savedConfig()).toMatch(/vlan 10\s+name urgences/);
    expect(up.outputs.drift.value).toBe("");
    // The password crossed into the plugin as a secret: nowhere in clear in the state.
    expect(storedStateText(stateDir)).toContain("yaml-fleet");
    expect(storedStateText(stateDir)).not.toContain(sw.password);
    expect(Object.keys((await stack.preview()).changeSummary)).toEqual(["same"]);
  });

  it("brings up the YAML platform example's team namespaces in the Kubernetes lab", async () => {
    const k8sLab = await startKubernetesLab({ dir: path.join(scratch, "k8s-lab") });
    try {
      const workDir = path.join(scratch, "yaml-platform");
      fs.symlinkSync(path.join(scratch, "node_modules"), path.join(workDir, "node_modules"));
      const stack = await openStack(workDir, stateDir);
      await stack.setConfig("kubeconfig", { value: k8sLab.kubeconfig, secret: true });
      expect(await plannedCreates(stack)).toEqual([
        "kubernetes:core/v1:Namespace labo",
        "kubernetes:core/v1:Namespace radiologie",
        "kubernetes:core/v1:ResourceQuota labo-quota",
        "kubernetes:core/v1:ResourceQuota radiologie-quota",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy labo-isolation",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy radiologie-isolation",
        "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding radiologie-editors",
        "pulumi:providers:kubernetes cluster",
        "pulumi:pulumi:Stack yaml-platform-lab",
        "socle:kubernetes:TeamNamespace labo",
        "socle:kubernetes:TeamNamespace radiologie",
      ]);
      const up = await stack.up();
      expect(up.summary.result).toBe("succeeded");
      expect(up.outputs.namespaces.value).toEqual(["radiologie", "labo"]);
      const labo = JSON.parse((await labGet(k8sLab, "/api/v1/namespaces/labo")).body);
      expect(labo.metadata.labels).toMatchObject({
        "pod-security.kubernetes.io/enforce": "baseline",
        "socle-owner": "biologie",
      });
      const quota = JSON.parse(
        (await labGet(k8sLab, "/api/v1/namespaces/radiologie/resourcequotas/team-quota")).body,
      );
      expect(quota.spec.hard["requests.memory"]).toBe("16Gi");
      expect(storedStateText(stateDir)).not.toContain(k8sLab.token);
      expect(Object.keys((await stack.preview()).changeSummary)).toEqual(["same"]);
      await stack.destroy();
      expect((await labGet(k8sLab, "/api/v1/namespaces/labo")).status).toBe(404);
    } finally {
      await k8sLab.close();
    }
  });

  it("previews openstack-bubble, brings the bubble up in the OpenStack lab, then destroys it", async () => {
    const bubble = `exb-${runId}`;
    const { stack, lab: os, flavor } = await openOpenStackExample("openstack-bubble");
    let destroyed = false;
    try {
      await stack.setAllConfig({
        bubbleName: { value: bubble },
        flavors: { value: JSON.stringify([{ name: flavor, vcpus: 2, ramMiB: 4096, diskGiB: 40 }]) },
      });
      const creates = await plannedCreates(stack);
      for (const expected of [
        `socle:openstack:Bubble ${bubble}`,
        `openstack:identity/project:Project ${bubble}`,
        `socle:openstack:AppServer ${bubble}-erp-db`,
        `openstack:networking/port:Port ${bubble}-erp-app`,
        `openstack:compute/instance:Instance ${bubble}-erp-app`,
        `pulumi:providers:openstack ${bubble}-scoped`,
      ]) {
        expect(creates).toContain(expected);
      }

      const up = await stack.up();
      expect(up.summary.result).toBe("succeeded");
      const projectId = String(up.outputs.projectId.value);
      const checklist = up.outputs.checklist.value as { items: { item: string; done: boolean }[] };
      expect(checklist.items.filter((i) => !i.done)).toEqual([]);
      expect(up.outputs.operatorPassword.secret).toBe(true);
      // prettier-ignore
      const servers = JSON.parse(await openstackCli(os, "admin", [
        "server", "list", "--all-projects", "--project", projectId, "-f", "json",
      ])) as { Name: string; Status: string; Flavor: string }[];
      expect(servers.map((v) => `${v.Name} ${v.Status} ${v.Flavor}`).sort()).toEqual([
        `${bubble}-erp-app ACTIVE ${flavor}`,
        `${bubble}-erp-db ACTIVE ${flavor}`,
      ]);
      expect(Object.keys((await stack.preview()).changeSummary)).toEqual(["same"]);
      await destroyBubble(stack, os, projectId);
      destroyed = true;
    } finally {
      if (!destroyed) await tearDown(stack);
    }
  });

  it("brings up the YAML bubble example (Bubble and OdooApp from the component package) in the OpenStack lab, then destroys it", async () => {
    const bubble = `exy-${runId}`;
    const workDir = path.join(scratch, "yaml-bubble");
    fs.symlinkSync(path.join(scratch, "node_modules"), path.join(workDir, "node_modules"));
    // The lab is shared: this run's own bubble name (Keystone project and user names are global).
    const projectFile = path.join(workDir, "Pulumi.yaml");
    fs.writeFileSync(projectFile, fs.readFileSync(projectFile, "utf8").replaceAll("clinique-est", bubble));
    const { stack, lab: os, flavor } = await openOpenStackExample("yaml-bubble");
    let destroyed = false;
    try {
      await stack.setConfig("flavorName", { value: flavor });
      const creates = await plannedCreates(stack);
      for (const expected of [
        `socle:openstack:Bubble ${bubble}`,
        // The role crossed from YAML as the enum's value.
        `openstack:identity/roleAssignment:RoleAssignment ${bubble}-users-${bubble}-admin-admin`,
        `socle:openstack:OdooApp erp`,
        `socle:openstack:AppServer erp`,
        `openstack:networking/port:Port erp`,
        "openstack:networking/network:Network erpNetwork",
      ]) {
        expect(creates).toContain(expected);
      }

      const up = await stack.up();
      expect(up.summary.result).toBe("succeeded");
      const checklist = up.outputs.checklist.value as { items: { item: string; done: boolean }[] };
      expect(checklist.items.filter((i) => !i.done)).toEqual([]);
      expect(up.outputs.operatorPassword.secret).toBe(true);
      expect(up.outputs.erpPublicPort.value).toBe(8087);
      const erpAddress = String(up.outputs.erpAddress.value);
      expect(erpAddress).toMatch(/^192\.168\.88\.\d+$/);
      // The Odoo server's port, on the network the YAML program declared, with the address it reported.
      // prettier-ignore
      const ports = JSON.parse(await openstackCli(os, "admin", [
        "port", "list", "--network", String(up.outputs.erpNetworkId.value), "--long", "-f", "json",
      ])) as { "Fixed IP Addresses": { ip_address: string }[]; "Device Owner": string }[];
      const erpPort = ports.find((p) => p["Fixed IP Addresses"].some((ip) => ip.ip_address === erpAddress));
      expect(erpPort?.["Device Owner"]).toMatch(/^compute:/);
      expect(Object.keys((await stack.preview()).changeSummary)).toEqual(["same"]);
      await destroyBubble(stack, os, String(up.outputs.projectId.value));
      destroyed = true;
    } finally {
      if (!destroyed) await tearDown(stack);
    }
  });
});
