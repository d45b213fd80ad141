// bench/openstack-lab: what the OpenStack lab costs. Cold install (measured only
// when the Debian packages are absent; otherwise the figure install.sh recorded
// when it last installed them), first start (initialisation: databases,
// migrations, bootstrap, catalog, seed), warm start, start when already running,
// stop, and memory (sum of the PSS of the lab's processes).
// The first start is measured only with --reinit, which wipes what the lab
// holds (the figure of the last such run stays in the results file otherwise).
// The lab is left running if it was running before.
//   npx tsx bench/openstack-lab/run.ts [--reinit]
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ensureOpenStackLab, labRunDir, stopOpenStackLab } from "../../lab/openstack";
import { recordFigures, timed, type Figures } from "../figures";

const STATE = "/var/lib/oslab";
const round = (seconds: number) => Number(seconds.toFixed(1));

function packagesInstalled(): boolean {
  try {
    execFileSync("dpkg-query", ["-W", "-f", "${Status}", "keystone", "nova-compute", "neutron-server"], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    return fs.existsSync(path.join(STATE, "packages.installed"));
  } catch {
    return false;
  }
}

function running(): boolean {
  return fs.existsSync(path.join(labRunDir(), "manifest.json"));
}

function lastStart(): { kind: string; apisSeconds: number; readySeconds: number } {
  return JSON.parse(fs.readFileSync(path.join(labRunDir(), "last-start.json"), "utf8"));
}

/** kB of one /proc/PID/smaps_rollup field, 0 if the process is gone. */
function rollup(pid: number, field: "Pss" | "Rss"): number {
  try {
    const text = fs.readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Memory of every process in the lab's process groups (one group per service, from its pid file). */
function labMemory(): Figures {
  const groups = new Map<number, string>();
  for (const file of fs.readdirSync(labRunDir()).filter((f) => f.endsWith(".pid"))) {
    groups.set(Number(fs.readFileSync(path.join(labRunDir(), file), "utf8")), file.replace(/\.pid$/, ""));
  }
  const pss = new Map<string, number>();
  let rss = 0;
  let processes = 0;
  for (const entry of fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    // Fields after the command name: state, ppid, pgrp.
    const pgrp = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
    const service = groups.get(pgrp);
    if (!service) continue;
    processes++;
    pss.set(service, (pss.get(service) ?? 0) + rollup(Number(entry), "Pss"));
    rss += rollup(Number(entry), "Rss");
  }
  const mib = (kB: number) => Math.round(kB / 1024);
  const figures: Figures = {
    memoryPssMiB: mib([...pss.values()].reduce((a, b) => a + b, 0)),
    memoryRssMiB: mib(rss),
    processes,
  };
  for (const [service, kB] of [...pss].sort((a, b) => b[1] - a[1])) figures[`pssMiB.${service}`] = mib(kB);
  return figures;
}

async function main(): Promise<void> {
  const wasRunning = running();
  const figures: Figures = { loadAverage1mAtStart: Number(os.loadavg()[0].toFixed(1)) };

  if (!packagesInstalled()) {
    const install = await timed(() =>
      Promise.resolve(execFileSync("bash", ["lab/openstack/install.sh"], { stdio: "inherit" })),
    );
    figures.coldInstallSeconds = Math.round(install.seconds);
    figures.coldInstallNote = "measured by this run (apt-get update, download and install)";
  } else if (fs.existsSync(path.join(STATE, "install-time.json"))) {
    const last = JSON.parse(fs.readFileSync(path.join(STATE, "install-time.json"), "utf8"));
    figures.coldInstallSeconds = last.seconds;
    figures.coldInstallNote = `packages present: figure install.sh recorded at ${last.at}`;
  }

  if (process.argv.includes("--reinit")) {
    await stopOpenStackLab();
    fs.rmSync(path.join(STATE, "initialised"), { force: true });
    figures.firstStartSeconds = round((await timed(() => ensureOpenStackLab())).seconds);
    figures.firstStartApisSeconds = lastStart().apisSeconds;
    figures.firstStartReadySeconds = lastStart().readySeconds;
  }

  await stopOpenStackLab();
  figures.warmStartSeconds = round((await timed(() => ensureOpenStackLab())).seconds);
  figures.warmStartApisSeconds = lastStart().apisSeconds;
  figures.warmStartReadySeconds = lastStart().readySeconds;
  figures.alreadyRunningSeconds = Number((await timed(() => ensureOpenStackLab())).seconds.toFixed(2));

  // Memory once the services have settled (periodic tasks and agent reports have run).
  await new Promise((resolve) => setTimeout(resolve, 20_000));
  Object.assign(figures, labMemory());

  figures.stopSeconds = round((await timed(() => stopOpenStackLab())).seconds);
  if (wasRunning) await ensureOpenStackLab();
  recordFigures("openstack-lab", figures);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
