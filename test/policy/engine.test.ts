// The policy pack under the real engine: `pulumi preview --policy-pack` on a
// program with socle's switch resources (its dynamic providers), on one with
// Kubernetes resources (the Kubernetes provider plugin socle builds from its Go
// module; no cluster: the provider previews against an unreachable one, and the
// policies judge the inputs), and on OpenStack programs through socle's own
// OpenStack plugin logged in to the OpenStack lab as its admin (a preview
// creates nothing there): one that breaks every OpenStack rule, the same
// program fixed, and the repository's medicarche and chu-bubbles stacks.
//
// The engine (3.259) starts a nodejs policy pack through the language host's
// RunPlugin, which the language host we can build (SDK 3.68) does not have.
// The engine still has its older launcher, `pulumi-analyzer-policy-<runtime>`
// on PATH, used for runtimes without a language host: the test copies the
// pack's files with runtime "socle-nodejs" and puts a two-line launcher for it
// on PATH. The policy code run is the same; only the way it is started differs.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256OfFile } from "../../components/openstack";
import { engineEnv, repoRoot } from "../../lab/engine";
import { ensureOpenStackLab, openStackEnv, type OpenStackLabManifest } from "../../lab/openstack";
import { openRepoStack } from "../e2e/harness";

const run = promisify(execFile);
/** A well-formed pin: a preview never connects, so no switch needs to hold the key. */
const HOST_KEY = `SHA256:${"Q".repeat(43)}`;
let scratch: string;
let programDir: string;
let kubernetesDir: string;
let packDir: string;
let env: NodeJS.ProcessEnv;

// socle's own switch resources, loaded from the repository: the policy judges
// what the real SwitchFirmware registers (its type token and its inputs). A
// preview only checks the inputs (the provider's check); it opens no session.
const PROGRAM = `import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
const config = new pulumi.Config();
const socle = require(path.join(config.require("socleRoot"), "providers", "switch"));
const window = config.getObject<{ start: string; end: string }>("maintenanceWindow");
const connection = {
  switchName: "core-irf",
  host: "127.0.0.1",
  port: 1,
  username: "admin",
  password: config.requireSecret("password"),
  hostKeySha256: config.require("hostKeySha256"),
};
new socle.SwitchFirmware("core-irf-firmware", {
  ...connection,
  imagePath: config.require("imagePath"),
  release: "2221P25",
  ...(window ? { maintenanceWindow: window } : {}),
});
new socle.SwitchConfiguration("core-irf-config", { ...connection, config: "#\\nvlan 10\\n#\\n" });
new socle.SwitchConfigBackup("core-irf-backup", { ...connection, directory: "/var/tmp/socle-policy-backups" });
`;

// Team namespaces and pods as a platform team might first write them.
const KUBERNETES_PROGRAM = `import * as k8s from "@pulumi/kubernetes";
// A cluster that does not answer: preview goes on from the inputs alone.
const kubeconfig = JSON.stringify({
  apiVersion: "v1", kind: "Config", "current-context": "lab",
  clusters: [{ name: "lab", cluster: { server: "https://127.0.0.1:1" } }],
  contexts: [{ name: "lab", context: { cluster: "lab", user: "lab" } }],
  users: [{ name: "lab", user: { token: "lab-token" } }],
});
const provider = new k8s.Provider("lab", { kubeconfig });
new k8s.core.v1.Namespace("team-radiologie", {
  metadata: { name: "team-radiologie", labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
}, { provider });
new k8s.core.v1.Namespace("team-urgences", { metadata: { name: "team-urgences" } }, { provider });
new k8s.apps.v1.Deployment("pacs-viewer", {
  metadata: { namespace: "team-radiologie" },
  spec: {
    selector: { matchLabels: { app: "pacs-viewer" } },
    template: {
      metadata: { labels: { app: "pacs-viewer" } },
      spec: { containers: [{ name: "viewer", image: "registry.local/pacs-viewer:1.0", securityContext: { privileged: true } }] },
    },
  },
}, { provider });
`;

// OpenStack resources as a team might first write them: SSH and PostgreSQL
// open to the world, a server logging in with a password, an image nobody can
// verify, a network that says nothing of its owner. IDs are placeholders: a
// preview sends them to no API.
const OPENSTACK_PROGRAM = `import * as openstack from "@pulumi/openstack";
const web = new openstack.networking.SecGroup("pol-web", { name: "pol-web", description: "web servers" });
new openstack.networking.SecGroupRule("pol-ssh-world", {
  securityGroupId: web.id, direction: "ingress", ethertype: "IPv4",
  protocol: "tcp", portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: "0.0.0.0/0",
});
new openstack.networking.SecGroupRule("pol-postgres-any", {
  securityGroupId: web.id, direction: "ingress", ethertype: "IPv4",
  protocol: "tcp", portRangeMin: 5432, portRangeMax: 5432,
});
new openstack.networking.SecGroupRule("pol-https-world", {
  securityGroupId: web.id, direction: "ingress", ethertype: "IPv4",
  protocol: "tcp", portRangeMin: 443, portRangeMax: 443, remoteIpPrefix: "0.0.0.0/0",
});
const network = new openstack.networking.Network("pol-net", { name: "pol-net" });
new openstack.images.Image("pol-jammy", {
  name: "pol-jammy", containerFormat: "bare", diskFormat: "qcow2", imageSourceUrl: "http://127.0.0.1:1/jammy.qcow2",
});
new openstack.compute.Instance("pol-app", {
  name: "pol-app", flavorName: "lab.small", imageId: "00000000-0000-0000-0000-000000000000",
  adminPass: "Initial-Password-1", networks: [{ uuid: network.id }],
});
`;

/** The OpenStack program with every fix the violations name. */
const OPENSTACK_FIXED = OPENSTACK_PROGRAM.replace(
  'portRangeMax: 22, remoteIpPrefix: "0.0.0.0/0"',
  'portRangeMax: 22, remoteIpPrefix: "10.10.0.0/24"',
)
  .replace("portRangeMax: 5432,", "portRangeMax: 5432, remoteGroupId: web.id,")
  .replace(
    'imageSourceUrl: "http://127.0.0.1:1/jammy.qcow2",',
    `imageSourceUrl: "http://127.0.0.1:1/jammy.qcow2", properties: { "socle-sha256": "${"ab".repeat(32)}" },`,
  )
  .replace('adminPass: "Initial-Password-1",', 'keyPair: "pol-admin",')
  .replace('{ name: "pol-net" }', '{ name: "pol-net", tags: ["socle-owner=dsi", "socle-bubble=pol"] }');

async function preview(
  extraArgs: string[] = [],
  cwd = programDir,
  runEnv = env,
): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(
      "pulumi",
      ["preview", "--non-interactive", "--policy-pack", packDir, ...extraArgs],
      { cwd, env: runEnv },
    );
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

async function pulumi(...args: string[]): Promise<void> {
  await run("pulumi", args, { cwd: programDir, env });
}

/** A TypeScript program in `dir`, using the repository's node_modules. */
function writeProgram(dir: string, name: string, source: string): void {
  fs.mkdirSync(dir);
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n`,
  );
  fs.writeFileSync(path.join(dir, "index.ts"), source);
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"));
}

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-policy-"));
  programDir = path.join(scratch, "program");
  kubernetesDir = path.join(scratch, "kubernetes");
  packDir = path.join(scratch, "pack");
  const binDir = path.join(scratch, "bin");
  const state = path.join(scratch, "state");
  for (const dir of [packDir, binDir, state]) fs.mkdirSync(dir);
  writeProgram(programDir, "policy-e2e", PROGRAM);
  writeProgram(kubernetesDir, "policy-kubernetes", KUBERNETES_PROGRAM);

  const policyDir = path.join(repoRoot, "policy");
  for (const file of fs.readdirSync(policyDir)) {
    if (file.endsWith(".ts") || file === "package.json")
      fs.copyFileSync(path.join(policyDir, file), path.join(packDir, file));
  }
  // The pack imports the switch provider's tokens and validation (shipped beside policy/).
  const contract = path.join(scratch, "providers", "switch");
  fs.mkdirSync(contract, { recursive: true });
  for (const file of ["tokens.ts", "validation.ts"]) {
    fs.copyFileSync(path.join(repoRoot, "providers", "switch", file), path.join(contract, file));
  }
  const manifest = fs.readFileSync(path.join(policyDir, "PulumiPolicy.yaml"), "utf8");
  expect(manifest).toMatch(/^runtime: nodejs$/m);
  fs.writeFileSync(
    path.join(packDir, "PulumiPolicy.yaml"),
    manifest.replace(/^runtime: nodejs$/m, "runtime: socle-nodejs"),
  );
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(packDir, "node_modules"));
  const launcher = path.join(binDir, "pulumi-analyzer-policy-socle-nodejs");
  fs.writeFileSync(
    launcher,
    '#!/bin/sh\nexec node ./node_modules/@pulumi/pulumi/cmd/run-policy-pack "$@"\n',
    { mode: 0o755 },
  );

  const engine = engineEnv(state);
  env = { ...process.env, ...engine, PATH: `${binDir}${path.delimiter}${engine.PATH}` };
  await pulumi("stack", "init", "dev");
  await pulumi("config", "set", "socleRoot", repoRoot);
  await pulumi("config", "set", "hostKeySha256", HOST_KEY);
  await pulumi("config", "set", "--secret", "password", "policy-e2e-secret");
  // The firmware's check wants the image of a new resource on this machine.
  const image = path.join(scratch, "s5120ei-cmw520-r2221p25.bin");
  fs.writeFileSync(image, "stand-in image for the policy preview\n");
  await pulumi("config", "set", "imagePath", image);
  await run("pulumi", ["stack", "init", "dev"], { cwd: kubernetesDir, env });
}, 120_000);

afterAll(() => {
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

describe("the policy pack under pulumi preview", () => {
  it("fails the preview of socle's SwitchFirmware without maintenance window, naming it and the fix", async () => {
    const result = await preview();
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("[mandatory]  switch-reboot-in-window");
    expect(result.output).toContain(
      'pulumi-nodejs:dynamic/switch:Firmware "core-irf-firmware" installs firmware without a maintenanceWindow: the stack would boot the new image at whatever reboot comes next; set maintenanceWindow',
    );
    // The configuration and the backup reboot nothing.
    expect(result.output).not.toMatch(/"core-irf-(config|backup)" installs firmware/);
  });

  // The engine stops at the first resource its provider's check refuses: one bad field per preview.
  it("a window that is not a time fails the preview at the resource's own check, naming the field", async () => {
    await pulumi("config", "set", "--path", "maintenanceWindow.start", "25:00");
    await pulumi("config", "set", "--path", "maintenanceWindow.end", "04:00");
    try {
      const result = await preview();
      expect(result.code).not.toBe(0);
      expect(result.output).toMatch(/maintenanceWindow\.start.*"25:00" is not a time "HH:MM"/);
    } finally {
      await pulumi("config", "rm", "maintenanceWindow");
    }
  });

  it("a host key that is not a fingerprint fails the preview at the resources' own check, naming the field", async () => {
    await pulumi("config", "set", "hostKeySha256", "SHA256:not-a-key");
    try {
      const result = await preview();
      expect(result.code).not.toBe(0);
      expect(result.output).toMatch(/hostKeySha256.*"SHA256:not-a-key" is not a SHA256 fingerprint/);
    } finally {
      await pulumi("config", "set", "hostKeySha256", HOST_KEY);
    }
  });

  it("a new firmware whose image is not on this machine fails the preview at its check, naming the switch", async () => {
    const missing = path.join(scratch, "s5120ei-cmw520-r9999p99.bin");
    await pulumi("config", "set", "imagePath", missing);
    try {
      const result = await preview();
      expect(result.code).not.toBe(0);
      expect(result.output).toMatch(/imagePath/);
      expect(result.output).toContain(
        `switch core-irf (127.0.0.1:1): ${missing} is not a file on this machine`,
      );
    } finally {
      await pulumi("config", "set", "imagePath", path.join(scratch, "s5120ei-cmw520-r2221p25.bin"));
    }
  });

  it("passes once the resource has a window", async () => {
    await pulumi("config", "set", "--path", "maintenanceWindow.start", "02:00");
    await pulumi("config", "set", "--path", "maintenanceWindow.end", "04:00");
    const result = await preview();
    expect(result.output).not.toContain("switch-reboot-in-window");
    expect(result.output).toMatch(/\+ 4 to create/); // stack, firmware, configuration, backup
    expect(result.output).not.toContain("policy-e2e-secret");
    expect(result.code).toBe(0);
    await pulumi("config", "rm", "maintenanceWindow");
  });

  it("a suppression with a reason lets the preview pass and shows in it", async () => {
    const config = path.join(scratch, "policy-config.json");
    const reason = "lab stack: the simulated switch reboots instantly; agreed by the network team 2026-11";
    fs.writeFileSync(
      config,
      JSON.stringify({
        "socle-suppressions": {
          suppressions: [{ policy: "switch-reboot-in-window", resource: "core-irf-firmware", reason }],
        },
      }),
    );
    const result = await preview(["--policy-pack-config", config]);
    expect(result.code).toBe(0);
    expect(result.output).toContain("[advisory]  socle-suppressions");
    expect(result.output).toContain("SUPPRESSED switch-reboot-in-window");
    expect(result.output).toContain(`Reason given: ${reason}`);
  });

  it("a suppression without a written reason is refused", async () => {
    const config = path.join(scratch, "policy-config-noreason.json");
    fs.writeFileSync(
      config,
      JSON.stringify({
        "socle-suppressions": {
          suppressions: [
            { policy: "switch-reboot-in-window", resource: "core-irf-firmware", reason: "todo" },
          ],
        },
      }),
    );
    const result = await preview(["--policy-pack-config", config]);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/reason/i);
    expect(result.output).not.toContain("SUPPRESSED");
  });
});

describe("the Kubernetes rules under pulumi preview", () => {
  it("fails on a team namespace without Pod Security level and a privileged container, naming each and the fix", async () => {
    const result = await preview([], kubernetesDir);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("[mandatory]  namespaces-enforce-pod-security");
    expect(result.output).toMatch(
      /"team-urgences".* has no Pod Security level: add the label metadata\.labels\["pod-security\.kubernetes\.io\/enforce"\] = "restricted"/,
    );
    expect(result.output).not.toMatch(/"team-radiologie".* has no Pod Security level/);
    expect(result.output).toContain("[mandatory]  no-privileged-containers");
    expect(result.output).toMatch(
      /"pacs-viewer".* container "viewer" runs privileged: remove securityContext\.privileged/,
    );

    // The advisory owner/bubble tags rule speaks too, without failing anything by itself.
    expect(result.output).toContain("[advisory]  owner-and-bubble-tags");
    expect(result.output).toMatch(
      /"team-urgences" does not say its owner nor its bubble: add metadata\.labels "socle-owner" and "socle-bubble"/,
    );
  });

  it("passes once the namespace enforces a level and the container is unprivileged", async () => {
    const fixed = KUBERNETES_PROGRAM.replace(
      'metadata: { name: "team-urgences" }',
      'metadata: { name: "team-urgences", labels: { "pod-security.kubernetes.io/enforce": "baseline" } }',
    ).replace("securityContext: { privileged: true }", "securityContext: { runAsNonRoot: true }");
    expect(fixed).not.toBe(KUBERNETES_PROGRAM);
    fs.writeFileSync(path.join(kubernetesDir, "index.ts"), fixed);
    const result = await preview([], kubernetesDir);
    expect(result.output).not.toContain("namespaces-enforce-pod-security");
    expect(result.output).not.toContain("no-privileged-containers");
    expect(result.output).toMatch(/\+ 5 to create/); // stack, provider, two namespaces, deployment
    expect(result.code).toBe(0);
  });
});

describe("the OpenStack rules under pulumi preview (socle's OpenStack plugin, the lab's admin)", () => {
  let lab: OpenStackLabManifest;
  let openstackDir: string;
  let openstackEnv: NodeJS.ProcessEnv;

  beforeAll(async () => {
    lab = await ensureOpenStackLab();
    openstackEnv = { ...env, ...openStackEnv(lab, "admin") };
    openstackDir = path.join(scratch, "openstack");
    writeProgram(openstackDir, "policy-openstack", OPENSTACK_PROGRAM);
    await run("pulumi", ["stack", "init", "dev"], { cwd: openstackDir, env: openstackEnv });
  });

  it("fails on open admin ports, a password login and an image without checksum, naming each and the fix", async () => {
    const result = await preview([], openstackDir, openstackEnv);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("[mandatory]  no-open-admin-ports");
    expect(result.output).toMatch(
      /"pol-ssh-world" opens 22 \(SSH\) to 0\.0\.0\.0\/0: restrict the remote prefix to the network admins connect from/,
    );
    expect(result.output).toMatch(
      /"pol-postgres-any" opens 5432 \(PostgreSQL\) to every address \(no remoteIpPrefix\): restrict the remote prefix/,
    );
    expect(result.output).not.toContain('"pol-https-world" opens');
    expect(result.output).toContain("[mandatory]  servers-use-keypairs");
    expect(result.output).toMatch(
      /"pol-app" has no keyPair: set keyPair to the name of an openstack\.compute\.Keypair/,
    );
    expect(result.output).toMatch(/"pol-app" sets adminPass: remove it and log in with the keypair/);
    expect(result.output).toContain("[mandatory]  images-carry-checksums");
    expect(result.output).toMatch(/"pol-jammy" carries no checksum: set properties\["socle-sha256"\]/);

    // Advisory: said, and failing nothing by itself.
    expect(result.output).toContain("[advisory]  owner-and-bubble-tags");
    expect(result.output).toMatch(
      /"pol-net" does not say its owner nor its bubble: add tags "socle-owner=<value>" and "socle-bubble=<value>"/,
    );
  });

  it("passes once each resource has the fix its message names", async () => {
    expect(
      OPENSTACK_FIXED.match(/socle-sha256|10\.10\.0\.0|remoteGroupId|keyPair|socle-owner/g),
    ).toHaveLength(5);
    fs.writeFileSync(path.join(openstackDir, "index.ts"), OPENSTACK_FIXED);
    const result = await preview([], openstackDir, openstackEnv);
    for (const rule of ["no-open-admin-ports", "servers-use-keypairs", "images-carry-checksums"]) {
      expect(result.output).not.toContain(rule);
    }
    expect(result.output).not.toContain('"pol-net" does not say');
    // remoteGroupId is the group's ID, unknown in a preview: read as set, not skipped.
    expect(result.output).not.toContain("can't run policy");
    expect(result.output).toMatch(/\+ 8 to create/); // stack, three rules, group, network, image, server
    expect(result.code).toBe(0);
  });

  it("the advisory tags rule fails the preview once a team makes it mandatory", async () => {
    const config = path.join(scratch, "policy-config-tags.json");
    fs.writeFileSync(config, JSON.stringify({ "owner-and-bubble-tags": { enforcementLevel: "mandatory" } }));
    const result = await preview(["--policy-pack-config", config], openstackDir, openstackEnv);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("[mandatory]  owner-and-bubble-tags");
    expect(result.output).toMatch(
      /"pol-app" does not say its owner nor its bubble: add metadata "socle-owner" and "socle-bubble"/,
    );
    expect(result.output).not.toContain('"pol-net" does not say'); // tagged by the fix
  });

  // The repository's OpenStack stacks, with their own configuration, must pass the pack.
  for (const stackName of ["medicarche", "chu-bubbles"]) {
    it(`passes the repository's ${stackName} stack`, async () => {
      // The stack's image, verified against its SHA-256 before anything is declared.
      const image = path.join(scratch, `${stackName}.qcow2`);
      fs.writeFileSync(image, `QFI\xfb ${stackName} lab image`);
      const program = await openRepoStack(
        stackName,
        {
          "socle:imagePath": { value: image },
          "socle:imageSha256": { value: sha256OfFile(image) },
          "socle:externalNetwork": { value: lab.externalNetwork.name },
        },
        { ...openStackEnv(lab, "admin"), PATH: env.PATH ?? "" },
      );
      try {
        const result = await program.stack.preview({ policyPacks: [packDir] });
        const output = result.stdout + result.stderr;
        expect(output).not.toContain("[mandatory]");
        // Every rule judged every resource, outputs not yet known included.
        expect(output).not.toContain("can't run policy");
        // The pack ran: its advisory rule speaks of resources the stack leaves untagged.
        expect(output).toContain("socle-safe-defaults");
        expect(result.changeSummary.create).toBeGreaterThan(20);
      } finally {
        await program.dispose();
      }
    });
  }
});
