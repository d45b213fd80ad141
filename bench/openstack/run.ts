// bench/openstack: socle at a university hospital's scale, side by side with
// what its users would pick instead. Three parts, each its own figures in
// bench/results/openstack.json:
//   construct  1000 servers in 20 bubbles built under Pulumi mocks (no lab):
//              time and peak memory, in a process of its own (construct.ts)
//   peers      the MedicArche tenant against the OpenStack lab: socle's stack
//              (`pulumi up`, `pulumi preview`, `pulumi destroy`) vs the same
//              tenant in HCL under OpenTofu (`tofu apply`, `tofu plan`,
//              `tofu destroy`) vs the seed's sequential `openstack` CLI
//              script; median of the rounds, and the ratios
//   bubbles    a real preview of 20 bubbles of 5 servers: one stack, versus
//              one stack per bubble run in parallel (bubbles.ts)
//
//   npx tsx bench/openstack/run.ts [--only construct|peers|bubbles] [--rounds N]
// OpenTofu and the provider are built by toolchain/opentofu/setup.sh (called
// here: about 5 + 3 minutes once, cached); the lab is started if it is not.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { ensureOpenStackLab } from "../../lab/openstack";
import { repoRoot } from "../../lab/engine";
import { recordFigures, type Figures } from "../figures";
import { benchBubbles } from "./bubbles";
import { median, round2, seconds } from "./measure";
import { cliPeer, prepareTenants, soclePeer, tofuPeer, type Peer } from "./peers";

/** Targets of issue 12. */
const TARGETS = { constructSeconds: 5, constructMiB: 1024, upToTofu: 1.0, cliToUp: 3, previewToPlan: 1.0 };

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The Node flags the project's programs run with (Pulumi.yaml runtime.options.nodeargs). */
function programNodeArgs(): string[] {
  const project = parseYaml(fs.readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8")) as {
    runtime?: { options?: { nodeargs?: string } };
  };
  return (project.runtime?.options?.nodeargs ?? "").split(" ").filter((arg) => arg !== "");
}

/** The mock construction, three times in fresh processes with the programs' Node flags; the median. */
function benchConstruct(): Figures {
  const nodeArgs = programNodeArgs();
  const runs = Array.from({ length: 3 }, () => {
    const out = execFileSync(
      process.execPath,
      [...nodeArgs, "--import", "tsx", path.join(__dirname, "construct.ts")],
      {
        cwd: repoRoot,
        encoding: "utf8",
      },
    );
    return JSON.parse(out.trim().split("\n").pop() ?? "{}") as {
      seconds: number;
      cpuSeconds: number;
      peakRssMiB: number;
      resources: number;
    };
  });
  const figures = {
    construct1000Seconds: round2(median(runs.map((r) => r.seconds))),
    construct1000CpuSeconds: round2(median(runs.map((r) => r.cpuSeconds))),
    construct1000PeakRssMiB: median(runs.map((r) => r.peakRssMiB)),
    construct1000Resources: runs[0].resources,
    construct1000NodeArgs: nodeArgs.join(" "),
  };
  console.log(
    `\n1000 servers in 20 bubbles under mocks (median of 3): ${figures.construct1000Seconds} s ` +
      `(${figures.construct1000CpuSeconds} s CPU), ${figures.construct1000PeakRssMiB} MiB peak, ` +
      `${figures.construct1000Resources} resources, node ${figures.construct1000NodeArgs || "(no flags)"}; targets ${TARGETS.constructSeconds} s, ${TARGETS.constructMiB} MiB`,
  );
  return figures;
}

/** Equal counts of each OpenStack resource type, or a failure naming the difference. */
function checkSameResources(socle: Record<string, number>, tofu: Record<string, number>): number {
  const types = [...new Set([...Object.keys(socle), ...Object.keys(tofu)])].sort();
  const differ = types.filter((t) => socle[t] !== tofu[t]);
  if (differ.length > 0) {
    throw new Error(
      `socle and OpenTofu do not make the same tenant: ${differ.map((t) => `${t} socle ${socle[t] ?? 0}, tofu ${tofu[t] ?? 0}`).join("; ")}`,
    );
  }
  return Object.values(socle).reduce((a, b) => a + b, 0);
}

/** The first round's counts: socle and OpenTofu alike, and the script's 5 servers and 5 ports. */
function checkCounts(counts: Map<string, Record<string, number>>): number {
  const resources = checkSameResources(counts.get("socle") ?? {}, counts.get("OpenTofu") ?? {});
  const cli = counts.get("openstack CLI") ?? {};
  if (cli["openstack:compute/instance:Instance"] !== 5 || cli["openstack:networking/port:Port"] !== 5) {
    throw new Error(`the CLI script made ${JSON.stringify(cli)}, not 5 servers and 5 ports`);
  }
  return resources;
}

type Step = "create" | "noop" | "noopRefresh" | "destroy";

async function benchPeers(rounds: number): Promise<Figures> {
  const peerDir = execFileSync("bash", [path.join(repoRoot, "toolchain", "opentofu", "setup.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();
  const lab = await ensureOpenStackLab();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-bench-openstack-"));
  const tag = Date.now().toString(36);
  const tenants = prepareTenants(lab, scratch, tag);
  const peers: Peer[] = [];
  const times = new Map<string, Record<Step, number[]>>();
  const counts = new Map<string, Record<string, number>>();
  const live = new Set<Peer>();
  let resources = 0;
  let tofuInitSeconds = 0;
  try {
    const socle = await soclePeer(lab, `bench-s-${tag}`, scratch);
    peers.push(socle);
    const tofu = await tofuPeer(lab, tenants.tofu, peerDir, path.join(scratch, "tofu"));
    tofuInitSeconds = tofu.initSeconds;
    peers.push(tofu, cliPeer(lab, tenants.cli));
    for (const p of peers) times.set(p.name, { create: [], noop: [], noopRefresh: [], destroy: [] });
    for (let r = 0; r < rounds; r++) {
      // Each round starts with another tool, so none always meets a warmer lab.
      for (const p of [...peers.slice(r % peers.length), ...peers.slice(0, r % peers.length)]) {
        const t = times.get(p.name) as Record<Step, number[]>;
        live.add(p);
        t.create.push(await seconds(() => p.create()));
        if (p.noop) t.noop.push(await seconds(() => (p.noop as () => Promise<void>)()));
        if (p.noopRefresh) t.noopRefresh.push(await seconds(() => (p.noopRefresh as () => Promise<void>)()));
        if (r === 0 && p.count) counts.set(p.name, await p.count());
        t.destroy.push(await seconds(() => p.destroy()));
        live.delete(p);
        console.log(
          `round ${r + 1}: ${p.name} create ${round2(t.create[r])} s, destroy ${round2(t.destroy[r])} s`,
        );
      }
      if (r === 0) resources = checkCounts(counts);
    }
  } finally {
    // Whatever a failed round left behind.
    for (const p of live) {
      await p.destroy().catch((err: unknown) => console.error(`cleanup of ${p.name}: ${String(err)}`));
    }
    for (const p of peers) await p.dispose();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const m = (peer: string, step: Step) => round2(median(times.get(peer)?.[step] ?? [NaN]));
  const figures = {
    rounds,
    tenantResources: resources,
    tofuInitSeconds: round2(tofuInitSeconds),
    upSocleSeconds: m("socle", "create"),
    applyTofuSeconds: m("OpenTofu", "create"),
    createCliSeconds: m("openstack CLI", "create"),
    previewSocleSeconds: m("socle", "noop"),
    planTofuRefreshFalseSeconds: m("OpenTofu", "noop"),
    previewRefreshSocleSeconds: m("socle", "noopRefresh"),
    planTofuSeconds: m("OpenTofu", "noopRefresh"),
    destroySocleSeconds: m("socle", "destroy"),
    destroyTofuSeconds: m("OpenTofu", "destroy"),
    deleteCliSeconds: m("openstack CLI", "destroy"),
  };
  const ratios = {
    upToApply: round2(figures.upSocleSeconds / figures.applyTofuSeconds),
    cliToUp: round2(figures.createCliSeconds / figures.upSocleSeconds),
    previewToPlan: round2(figures.previewSocleSeconds / figures.planTofuSeconds),
    previewRefreshToPlan: round2(figures.previewRefreshSocleSeconds / figures.planTofuSeconds),
    previewToPlanRefreshFalse: round2(figures.previewSocleSeconds / figures.planTofuRefreshFalseSeconds),
    destroyToTofu: round2(figures.destroySocleSeconds / figures.destroyTofuSeconds),
  };
  const row = (what: string, s: number, t: number, c: number | string, ratio: number) =>
    `${what.padEnd(38)}${`${s} s`.padStart(10)}${`${t} s`.padStart(10)}${(typeof c === "number" ? `${c} s` : c).padStart(12)}${`${ratio}x`.padStart(12)}`;
  console.log(
    [
      `\nMedicArche tenant against the OpenStack lab, ${resources} OpenStack resources each, median of ${rounds} rounds`,
      `${"".padEnd(38)}${"socle".padStart(10)}${"OpenTofu".padStart(10)}${"CLI script".padStart(12)}${"socle/tofu".padStart(12)}`,
      row(
        "create (up / apply / script)",
        figures.upSocleSeconds,
        figures.applyTofuSeconds,
        figures.createCliSeconds,
        ratios.upToApply,
      ),
      row(
        "no-op check (preview / plan)",
        figures.previewSocleSeconds,
        figures.planTofuSeconds,
        "-",
        ratios.previewToPlan,
      ),
      row(
        "  both reading the cloud (--refresh)",
        figures.previewRefreshSocleSeconds,
        figures.planTofuSeconds,
        "-",
        ratios.previewRefreshToPlan,
      ),
      row(
        "  neither reading it (-refresh=false)",
        figures.previewSocleSeconds,
        figures.planTofuRefreshFalseSeconds,
        "-",
        ratios.previewToPlanRefreshFalse,
      ),
      row(
        "teardown (destroy / script)",
        figures.destroySocleSeconds,
        figures.destroyTofuSeconds,
        figures.deleteCliSeconds,
        ratios.destroyToTofu,
      ),
      `the CLI script takes ${ratios.cliToUp}x socle's up (target >= ${TARGETS.cliToUp}x); socle's up is ${ratios.upToApply}x OpenTofu's apply (target <= ${TARGETS.upToTofu}x); preview ${ratios.previewToPlan}x plan (target <= ${TARGETS.previewToPlan}x)`,
    ].join("\n"),
  );
  return {
    ...figures,
    ratioUpToApply: ratios.upToApply,
    ratioCliToUp: ratios.cliToUp,
    ratioPreviewToPlan: ratios.previewToPlan,
    ratioPreviewRefreshToPlan: ratios.previewRefreshToPlan,
    ratioPreviewToPlanRefreshFalse: ratios.previewToPlanRefreshFalse,
    ratioDestroyToTofu: ratios.destroyToTofu,
    peersWithinTargets:
      ratios.upToApply <= TARGETS.upToTofu &&
      ratios.cliToUp >= TARGETS.cliToUp &&
      ratios.previewToPlan <= TARGETS.previewToPlan,
  };
}

async function main(): Promise<void> {
  const only = option("only");
  const rounds = Number(option("rounds") ?? 3);
  const parts = only ? [only] : ["construct", "peers", "bubbles"];
  const unknown = parts.filter((p) => !["construct", "peers", "bubbles"].includes(p));
  if (unknown.length > 0)
    throw new Error(`--only ${unknown.join(",")}: unknown part; use construct, peers or bubbles`);
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(`--rounds ${option("rounds")}: give a whole number >= 1`);
  // Each part's figures are written as soon as it ends: a later failure keeps them.
  if (parts.includes("construct")) {
    const c = benchConstruct();
    recordFigures("openstack", {
      ...c,
      constructWithinTargets:
        Number(c.construct1000Seconds) < TARGETS.constructSeconds &&
        Number(c.construct1000PeakRssMiB) < TARGETS.constructMiB,
    });
  }
  if (parts.includes("peers")) recordFigures("openstack", await benchPeers(rounds));
  if (parts.includes("bubbles")) recordFigures("openstack", await benchBubbles(rounds));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
