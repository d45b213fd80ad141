// The merge-request note of a real switch change: the psv-network stack goes
// up under the real engine against three simulated IRF stacks, then a change a
// network team would propose (a ninth VLAN, a new firmware, a stack removed, a
// new SNMP community in a secret `stacks` value, a new NTP server set with
// --secret but read with config.get) is previewed with `pulumi preview --json`
// in both of its formats, the digest and the event stream (with socle's
// policy pack), and rendered by `socle-gitlab` as a process, as the pipeline does.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineEnv, repoRoot } from "../../lab/engine";
import { startSwitchLab, type SwitchLab } from "../../lab/switch";
import { openRepoStack, storedStateText, type ProgramStack } from "../e2e/harness";

const run = promisify(execFile);
const tsx = path.join(repoRoot, "node_modules", ".bin", "tsx");
const cli = path.join(repoRoot, "delivery", "cli.ts");

const FLEET_PASSWORD = "Fleet-pw-dlv-5c1e";
/** psv-r2 has a password of its own: credentials may differ per stack. */
const R2_PASSWORD = "R2-own-pw-dlv-77ab";
const COMMUNITY_BEFORE = "Comm-dlv-before-71";
const COMMUNITY_AFTER = "Comm-dlv-after-93";
const NTP_BEFORE = "192.0.2.71";
const NTP_AFTER = "192.0.2.93";
const SECRETS = [FLEET_PASSWORD, R2_PASSWORD, COMMUNITY_BEFORE, COMMUNITY_AFTER, NTP_BEFORE, NTP_AFTER];

const VLANS = [
  { id: 10, name: "urgences" },
  { id: 20, name: "imagerie" },
  { id: 30, name: "chirurgie" },
  { id: 40, name: "maternite" },
  { id: 50, name: "pharmacie" },
  { id: 60, name: "laboratoire" },
  { id: 70, name: "administration" },
  { id: 90, name: "toip" },
];
const NINTH_VLAN = { id: 110, name: "bloc-operatoire" };

describe("merge-request note of a psv-network change, from the real engine's preview", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-dlv-switch-"));
  let lab: SwitchLab;
  let program: ProgramStack;
  let env: NodeJS.ProcessEnv;
  let digestText: string;
  let eventsText: string;
  let digestNote: string;
  let eventsNote: string;
  let report: string;

  function image(release: string): string {
    const file = path.join(scratch, `s5120ei-cmw520-r${release.toLowerCase()}.bin`);
    fs.writeFileSync(file, Buffer.alloc(512 * 1024, release));
    return file;
  }

  /** The secret `socle:stacks` value; `pins` replaces a stack's host key pin. */
  function stacksValue(names: string[], community: string, pins: Record<string, string> = {}): string {
    return JSON.stringify(
      lab.switches
        .filter((s) => names.includes(s.name))
        .map((s) => ({
          name: s.name,
          host: s.host,
          port: s.port,
          hostKeySha256: pins[s.name] ?? s.hostKeyFingerprint,
          ...(s.name === "psv-r1" ? { extraConfig: ` snmp-agent community read ${community}\n` } : {}),
          ...(s.name === "psv-r2" ? { password: R2_PASSWORD } : {}),
        })),
    );
  }

  /**
   * socle's policy pack, started the way test/policy/engine.test.ts explains (the
   * language host here predates policy packs): its files linked from the
   * repository, so its own imports resolve there, under a runtime the launcher serves.
   */
  function policyPack(): { packDir: string; binDir: string } {
    const packDir = path.join(scratch, "pack");
    const binDir = path.join(scratch, "bin");
    fs.mkdirSync(packDir);
    fs.mkdirSync(binDir);
    const policyDir = path.join(repoRoot, "policy");
    for (const file of fs.readdirSync(policyDir))
      if (file.endsWith(".ts") || file === "package.json")
        fs.symlinkSync(path.join(policyDir, file), path.join(packDir, file));
    const manifest = fs.readFileSync(path.join(policyDir, "PulumiPolicy.yaml"), "utf8");
    fs.writeFileSync(
      path.join(packDir, "PulumiPolicy.yaml"),
      manifest.replace(/^runtime: nodejs$/m, "runtime: socle-nodejs"),
    );
    fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(packDir, "node_modules"));
    fs.writeFileSync(
      path.join(binDir, "pulumi-analyzer-policy-socle-nodejs"),
      '#!/bin/sh\nexec node ./node_modules/@pulumi/pulumi/cmd/run-policy-pack "$@"\n',
      { mode: 0o755 },
    );
    return { packDir, binDir };
  }

  async function pulumi(args: string[], extraEnv: Record<string, string> = {}): Promise<string> {
    const { stdout } = await run("pulumi", args, {
      cwd: program.workDir,
      env: { ...env, ...extraEnv },
      maxBuffer: 256 * 1024 * 1024,
    });
    return stdout;
  }

  async function socleGitlab(args: string[]): Promise<string> {
    const { stdout } = await run(tsx, [cli, ...args], {
      cwd: program.workDir,
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  }

  beforeAll(async () => {
    lab = await startSwitchLab({
      dir: path.join(scratch, "lab"),
      rebootDelayMs: 200,
      switches: [
        { name: "psv-r1", members: 2, password: FLEET_PASSWORD },
        { name: "psv-r2", members: 2, password: R2_PASSWORD },
        { name: "psv-r3", members: 1, password: FLEET_PASSWORD },
      ],
    });
    program = await openRepoStack("psv-network", {
      "socle:labManifest": { value: "" },
      "socle:stacks": { value: stacksValue(["psv-r1", "psv-r2", "psv-r3"], COMMUNITY_BEFORE), secret: true },
      "socle:username": { value: "admin" },
      "socle:password": { value: FLEET_PASSWORD, secret: true },
      "socle:firmwareImage": { value: image("2221P25") },
      "socle:firmwareRelease": { value: "2221P25" },
      "socle:vlans": { value: JSON.stringify(VLANS) },
      "socle:ntpServer": { value: NTP_BEFORE, secret: true },
      "socle:backupDirectory": { value: path.join(scratch, "backups") },
      "socle:backupToGit": { value: "false" },
    });
    const up = await program.stack.up();
    expect(up.summary.result).toBe("succeeded");

    // The merge request; the configuration file as it was stays for the masking of replaced secrets.
    const baseConfig = path.join(scratch, "Pulumi.psv-network.base.yaml");
    fs.copyFileSync(path.join(program.workDir, "Pulumi.psv-network.yaml"), baseConfig);
    await program.stack.setAllConfig({
      "socle:stacks": { value: stacksValue(["psv-r1", "psv-r2"], COMMUNITY_AFTER), secret: true },
      "socle:vlans": { value: JSON.stringify([...VLANS, NINTH_VLAN]) },
      "socle:firmwareImage": { value: image("2222P01") },
      "socle:firmwareRelease": { value: "2222P01" },
      "socle:ntpServer": { value: NTP_AFTER, secret: true },
    });

    const { packDir, binDir } = policyPack();
    const engine = engineEnv(program.backendDir);
    env = { ...process.env, ...engine, PATH: `${binDir}${path.delimiter}${engine.PATH}` };
    digestText = await pulumi(["preview", "--json", "--stack", "psv-network"]);
    eventsText = await pulumi(["preview", "--json", "--stack", "psv-network", "--policy-pack", packDir], {
      PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true",
    });
    fs.writeFileSync(path.join(scratch, "digest.json"), digestText);
    fs.writeFileSync(path.join(scratch, "events.json"), eventsText);
    const mask = [
      "--mask-config-secrets",
      "--cwd",
      program.workDir,
      "--base-config",
      `psv-network=${baseConfig}`,
    ];
    digestNote = await socleGitlab(["render", ...mask, `psv-network=${path.join(scratch, "digest.json")}`]);
    eventsNote = await socleGitlab(["render", ...mask, `psv-network=${path.join(scratch, "events.json")}`]);
    report = await socleGitlab(["report", ...mask, `psv-network=${path.join(scratch, "events.json")}`]);
  }, 300_000);

  afterAll(async () => {
    await program?.stack.destroy().catch(() => undefined);
    await program?.dispose();
    await lab?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("feeds the renderer both real formats, and the engine's own digest still carries a secret read with config.get", () => {
    expect(digestText.trimStart().startsWith("{")).toBe(true);
    expect(eventsText.split("\n").filter((l) => l.includes('"sequence"')).length).toBeGreaterThan(10);
    // The digest shows what config.get handed the resources, in clear: the note must not.
    expect(digestText).toContain(NTP_AFTER);
    // The SNMP community went in as a secret: the engine's steps show neither the old nor the
    // new one (its debug messages do, in the stream: the pipeline never keeps the raw JSON).
    const steps = eventsText.split("\n").filter((line) => !line.includes('"severity":"debug"'));
    for (const text of [digestText, steps.join("\n")]) {
      expect(text).not.toContain(COMMUNITY_BEFORE);
      expect(text).not.toContain(COMMUNITY_AFTER);
    }
  });

  it("puts no secret in the notes or the report, whatever the format", () => {
    for (const text of [digestNote, eventsNote, report])
      for (const secret of SECRETS) expect(text, secret).not.toContain(secret);
    // The replaced NTP server shows as a changed line, its values masked.
    for (const note of [digestNote, eventsNote])
      expect(note).toContain(
        "- ntp-service unicast-server [secret]\n+ ntp-service unicast-server [secret]\n",
      );
    // The community's configuration is a secret as a whole: said, not shown.
    expect(eventsNote).toMatch(/psv-r1-config[\s\S]*partly secret, not shown/);
  });

  it("keeps the secrets the stack reads as secrets out of the stored state", () => {
    const stored = storedStateText(program.backendDir);
    for (const secret of [FLEET_PASSWORD, R2_PASSWORD, COMMUNITY_BEFORE])
      expect(stored, secret).not.toContain(secret);
    // A secret read with config.get is plain to the engine: it lands in the state as Pulumi
    // stores any plain input. The note masks it all the same (see above).
    expect(stored).toContain(NTP_BEFORE);
  });

  it("shows a configuration change as a line diff, the ninth VLAN included", () => {
    for (const note of [digestNote, eventsNote]) {
      // psv-r2's configuration: the ninth VLAN, and the NTP server (a secret) replaced.
      expect(note).toMatch(/<code>config<\/code>: \+4 −1 lines/);
      expect(note).toContain("+vlan 110\n+ name bloc-operatoire\n");
      expect(note).toMatch(/@@ \d+ unchanged lines @@/);
      expect(note).not.toMatch(/…(?! \(\d+ more characters\))/);
    }
  });

  it("groups changes per switch stack and says what each means on the switch", () => {
    for (const note of [digestNote, eventsNote]) {
      expect(note).toContain("#### Switch stack `psv-r2`");
      expect(note).toContain(
        "- 🔌 **psv-r3**: removed from the program, no longer managed; socle leaves the switch untouched",
      );
      expect(note).toContain(
        // 2221P25 waits for its window: the stack still runs the lab's 2208P01.
        "firmware 2208P01 → 2222P01: members 1, 2 will boot s5120ei-cmw520-r2222p01.bin; reboot in the maintenance window 02:00–04:00 (switch clock)",
      );
      expect(note).toMatch(/🔄 \*\*psv-r1\*\*: firmware 2208P01 → 2222P01/);
      expect(note).not.toContain("The resource will be deleted.");
      expect(note).toContain(
        "_3 of them are switch resources: socle only stops managing them and never touches the switch._",
      );
    }
    // A removed stack is never touched by the provider: the lab's switch still runs its configuration.
    expect(lab.get("psv-r3").runningConfig()).toMatch(/vlan 90/);
  });

  it("names the policy pack that passed, with its version", () => {
    expect(eventsNote).toMatch(
      /🛡️ \*\*Policies passed\*\*: `socle-safe-defaults` \d+\.\d+\.\d+ \(\d+ policies\)/,
    );
    expect(JSON.parse(report)).toEqual({ create: 0, update: 4, delete: 3 });
  });

  /** A preview of the merge request with `changes` on top, expected to fail: its output. */
  async function failedPreview(
    changes: Record<string, { value: string; secret?: boolean }>,
  ): Promise<string> {
    const before = await program.stack.getAllConfig();
    await program.stack.setAllConfig(changes);
    try {
      await pulumi(["preview", "--stack", "psv-network", "--non-interactive"]);
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      return `${e.stdout ?? ""}${e.stderr ?? ""}`;
    } finally {
      await program.stack.setAllConfig(before);
    }
    throw new Error("the preview was expected to fail and passed");
  }

  it("fails the preview on a wrong host key pin, naming the stack, its address and the fix", async () => {
    const r2 = lab.get("psv-r2");
    const wrongPin = lab.get("psv-r1").hostKeyFingerprint;
    const output = await failedPreview({
      "socle:stacks": {
        value: stacksValue(["psv-r1", "psv-r2"], COMMUNITY_AFTER, { "psv-r2": wrongPin }),
        secret: true,
      },
    });
    expect(output).toContain(
      `switch psv-r2 (${r2.host}:${r2.port}): hostKeySha256 ${wrongPin} is not the key the switch presents (${r2.hostKeyFingerprint})`,
    );
    expect(output).toContain("ssh-keyscan");
  });

  it("fails the preview on a window at 25:00 and on a missing image, each named with its fix", async () => {
    const window = await failedPreview({
      "socle:maintenanceWindow": { value: JSON.stringify({ start: "25:00", end: "04:00" }) },
    });
    expect(window).toMatch(/maintenanceWindow\.start.*"25:00" is not a time "HH:MM"/);
    const missing = path.join(scratch, "s5120ei-cmw520-r9999p99.bin");
    const image = await failedPreview({ "socle:firmwareImage": { value: missing } });
    expect(image).toMatch(
      new RegExp(`switch psv-r[12] \\(127\\.0\\.0\\.1:\\d+\\): imagePath ${missing} is not a file`),
    );
  });

  it("names the switch stack with its address when it cannot be reached", async () => {
    const { SwitchSession } = await import("../../providers/switch");
    await expect(
      SwitchSession.connect({
        name: "psv-r9",
        host: "127.0.0.1",
        port: 1,
        username: "admin",
        password: FLEET_PASSWORD,
        hostKeySha256: lab.get("psv-r1").hostKeyFingerprint,
        connectTimeoutMs: 2_000,
      }),
    ).rejects.toThrow(/^switch psv-r9 \(127\.0\.0\.1:1\): cannot connect/);
  });
});
