// bench/switch: one run against one out-of-process lab of 48 switches with a
// realistic per-command latency, a mixed fleet: every second switch is a
// Comware 7 (5130 EI style) IRF stack, the others Comware 5 (5120 EI).
//  (a) configuration backup / drift check of the 48: socle (bounded-parallel
//      sessions, the code path of the backup resource) vs Netmiko one switch
//      after the other (the seed's script) vs Netmiko with a thread pool;
//      plus the slowest single switch alone. socle's check and the single
//      switches are measured over ROUNDS rounds (medians): one round on a
//      shared 2-core machine swings with the load.
//  (b) image upload to the simulator: socle's SFTP upload vs OpenSSH `sftp`.
//   npx tsx bench/switch/run.ts
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "../../lab/engine";
import type { Manifest } from "../../lab/switch";
import { backupConfig, mapLimit, SwitchSession, type SwitchTarget } from "../../providers/switch";
import { profileNamed } from "../../providers/switch/profiles";
import { archiveBackup } from "../../providers/switch/runtime";
import { recordFigures, timed } from "../figures";
import { median } from "../openstack/measure";

const run = promisify(execFile);
const SWITCHES = 48;
const LATENCY_MS = 150; // one CLI answer of a loaded 5120 over the campus network
const UPLOAD_MIB = 64;
const ROUNDS = 7;
const UPLOAD_ROUNDS = 3;
/** Switches timed alone in each round (one of each IRF size, twice). */
const SINGLES = 6;

const round = (n: number, digits = 2) => Number(n.toFixed(digits));

async function main(): Promise<void> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-bench-switch-"));
  const labDir = path.join(scratch, "lab");
  const key = path.join(scratch, "id_ed25519");
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key]);
  const publicKey = fs.readFileSync(`${key}.pub`, "utf8").trim();
  const inventory = {
    basePort: 2401,
    latencyMs: LATENCY_MS,
    switches: Array.from({ length: SWITCHES }, (_, i) => ({
      name: `sw${String(i + 1).padStart(2, "0")}`,
      // Comware 7 stacks of 1 to 4 members, Comware 5 of 1 to 3, as the lab offers.
      ...(i % 2 === 1 ? { os: "comware7", members: (i % 4) + 1 } : { members: (i % 3) + 1 }),
      password: "bench-password",
      authorizedKeys: [publicKey],
      flashKB: 4 * UPLOAD_MIB * 1024,
    })),
  };
  fs.writeFileSync(path.join(scratch, "inventory.json"), JSON.stringify(inventory));
  const cli = path.join(repoRoot, "lab", "switch", "cli.ts");
  const tsx = path.join(repoRoot, "node_modules", ".bin", "tsx");
  await run(tsx, [
    cli,
    "start",
    "--inventory",
    path.join(scratch, "inventory.json"),
    "--dir",
    labDir,
    "--detach",
  ]);
  const manifest = JSON.parse(fs.readFileSync(path.join(labDir, "manifest.json"), "utf8")) as Manifest;
  const targets: SwitchTarget[] = manifest.switches.map((s) => ({
    name: s.name,
    host: s.host,
    port: s.port,
    username: s.username,
    password: s.password,
    hostKeySha256: s.hostKeyFingerprint,
    profile: profileNamed(s.os),
  }));

  try {
    // (a) socle: every switch at once, backup + diff against the previous copy.
    const backups = path.join(scratch, "backups");
    const check = async (t: SwitchTarget) => {
      const b = await backupConfig(t);
      archiveBackup(backups, t.name ?? t.host, b.text, new Date(), false, profileNamed(b.os));
    };
    await mapLimit(targets, SWITCHES, check); // warm-up: first backups, JIT, lab caches
    const checkRounds: number[] = [];
    const slowestSingleRounds: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      checkRounds.push((await timed(() => mapLimit(targets, SWITCHES, check))).seconds);
      const singles: number[] = [];
      for (const t of targets.slice(0, SINGLES)) singles.push((await timed(() => check(t))).seconds);
      slowestSingleRounds.push(Math.max(...singles));
    }
    const socle = { seconds: median(checkRounds) };
    const slowestSingle = median(slowestSingleRounds);

    const python = execFileSync("bash", [path.join(repoRoot, "scripts", "setup-netmiko.sh")], {
      encoding: "utf8",
    }).trim();
    const netmiko = async (workers: number) => {
      const { stdout } = await run(
        python,
        [
          path.join(__dirname, "netmiko_backup.py"),
          path.join(labDir, "manifest.json"),
          path.join(scratch, `netmiko-${workers}`),
          String(workers),
        ],
        { maxBuffer: 1 << 20 },
      );
      return (JSON.parse(stdout) as { seconds: number }).seconds;
    };
    const netmikoSequential = await netmiko(1);
    const netmikoPool = await netmiko(16);

    // (b) upload throughput to one switch.
    const image = path.join(scratch, "image.bin");
    fs.writeFileSync(image, Buffer.alloc(UPLOAD_MIB * 1024 * 1024, 7));
    const batch = path.join(scratch, "sftp.batch");
    fs.writeFileSync(batch, `put ${image} /bench-sftp.bin\n`);
    const sftpArgs = [
      "-q",
      "-i",
      key,
      "-P",
      String(targets[0].port),
      "-o",
      "StrictHostKeyChecking=no",
      "-o",
      "UserKnownHostsFile=/dev/null",
      "-b",
      batch,
      `admin@127.0.0.1`,
    ];
    // Rounds alternate socle and OpenSSH so both see the same load; medians.
    const oursRounds: number[] = [];
    const sftpRounds: number[] = [];
    let sftpError = "";
    for (let r = 0; r < UPLOAD_ROUNDS; r++) {
      const session = await SwitchSession.connect(targets[0]);
      try {
        oursRounds.push(
          (await timed(() => session.sftp.upload(image, "/bench-socle.bin", { resume: false }))).seconds,
        );
      } finally {
        session.close();
      }
      try {
        sftpRounds.push((await timed(() => run("sftp", sftpArgs))).seconds);
      } catch (error) {
        sftpError = String((error as { stderr?: string }).stderr ?? error)
          .trim()
          .slice(0, 300);
      }
    }
    const ours = { seconds: median(oursRounds) };
    const sftpSeconds = sftpRounds.length > 0 ? median(sftpRounds) : null;
    const mib = UPLOAD_MIB;
    recordFigures("switch", {
      switches: SWITCHES,
      fleet: `${targets.filter((t) => t.profile?.id === "comware7").length} Comware 7 + ${targets.filter((t) => t.profile?.id !== "comware7").length} Comware 5`,
      latencyMsPerCommand: LATENCY_MS,
      socleCheckSeconds: round(socle.seconds),
      slowestSingleSwitchSeconds: round(slowestSingle),
      netmikoSequentialSeconds: round(netmikoSequential),
      netmikoThreadPool16Seconds: round(netmikoPool),
      speedupVsSequentialNetmiko: round(netmikoSequential / socle.seconds, 1),
      socleVsSlowestSingle: round(socle.seconds / slowestSingle),
      checkRounds: ROUNDS,
      socleCheckRoundsSeconds: checkRounds.map((s) => round(s)).join(" "),
      slowestSingleRoundsSeconds: slowestSingleRounds.map((s) => round(s)).join(" "),
      uploadMiB: mib,
      uploadRounds: UPLOAD_ROUNDS,
      socleUploadMiBps: round(mib / ours.seconds, 1),
      sftpUploadMiBps: sftpSeconds ? round(mib / sftpSeconds, 1) : "failed",
      uploadRatioVsSftp: sftpSeconds ? round(sftpSeconds / ours.seconds) : "n/a",
      ...(sftpError ? { sftpError } : {}),
    });
  } finally {
    await run(tsx, [cli, "stop", "--dir", labDir]).catch(() => undefined);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
