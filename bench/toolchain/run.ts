// bench/toolchain: how long the set-up takes, warm (everything cached) and,
// with --cold, from nothing (a fresh clone, empty socle, Go module and Go build
// caches): the default `./socle up` (Node, npm packages, CLI, language host,
// the switch lab, the stack up), then each optional part (openstack, yaml,
// kubernetes, kube-lab) as the commands that need it would build it. With --ci it times a
// whole cold CI run instead: `.ci/run` in a fresh clone of main with empty
// caches, every build, every lab and every test. Then how long the engine
// takes to preview and up the e2e program.
//   npx tsx bench/toolchain/run.ts [--cold] [--ci]
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot } from "../../lab/engine";
import { openProgramStack } from "../../test/e2e/harness";
import { recordFigures, timed, type Figures } from "../figures";

const PARTS = ["openstack", "yaml", "kubernetes", "kube-lab"];

function run(script: string, args: string[], env: NodeJS.ProcessEnv, cwd = repoRoot): void {
  execFileSync("bash", [script, ...args], { cwd, env, stdio: ["ignore", "ignore", "inherit"] });
}

/** An empty socle cache and empty Go caches in a scratch folder, removed by `dispose`. */
function coldEnvironment(): { env: NodeJS.ProcessEnv; scratch: string; dispose(): void } {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-cold-"));
  const env = {
    ...process.env,
    SOCLE_CACHE: path.join(scratch, "socle"),
    GOCACHE: path.join(scratch, "gocache"),
    GOMODCACHE: path.join(scratch, "gomod"),
  };
  return {
    env,
    scratch,
    dispose() {
      execFileSync("chmod", ["-R", "u+w", scratch]); // the Go module cache is read-only
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/**
 * The fresh machine's main job: `./socle up` in a fresh clone with empty caches
 * (npm install, CLI and language host, the switch lab, the default stack up),
 * then each optional part built cold on top, as the commands that need it would.
 */
async function coldSetup(figures: Figures): Promise<void> {
  const cold = coldEnvironment();
  const clone = freshClone(cold.scratch);
  try {
    const up = await timed(async () => run("socle", ["up"], cold.env, clone));
    figures.coldDefaultUpSeconds = Math.round(up.seconds);
    run("socle", ["lab", "stop", "switch", "--dir", ".socle/lab-switch"], cold.env, clone);
    let parts = 0;
    for (const part of PARTS) {
      const built = await timed(async () => run("scripts/setup-toolchain.sh", [part], cold.env, clone));
      figures[`cold_${part}_Seconds`] = Math.round(built.seconds);
      parts += built.seconds;
    }
    figures.coldSetupSeconds = Math.round(up.seconds + parts);
  } finally {
    cold.dispose();
  }
}

/** A clone of this repository's main with `../shared` beside it, as CI has it. */
function freshClone(scratch: string): string {
  const clone = path.join(scratch, "main");
  execFileSync("git", ["clone", "-q", "--branch", "main", repoRoot, clone]);
  fs.symlinkSync(path.resolve(repoRoot, "..", "shared"), path.join(scratch, "shared"));
  return clone;
}

/** `.ci/run` from a fresh clone of main with empty caches; its totals line is kept. */
async function coldCi(figures: Figures): Promise<void> {
  const cold = coldEnvironment();
  const clone = freshClone(cold.scratch);
  try {
    const ci = await timed(async () =>
      spawnSync("bash", [".ci/run"], { cwd: clone, env: cold.env, encoding: "utf8", maxBuffer: 2 ** 30 }),
    );
    const output = `${ci.result.stdout}\n${ci.result.stderr}`;
    fs.writeFileSync(path.join(repoRoot, "bench", "results", "toolchain-ci.log"), output.slice(-200_000));
    figures.coldCiSeconds = Math.round(ci.seconds);
    figures.coldCiExitCode = ci.result.status ?? -1;
    figures.coldCiTotals = /^\d+ passed, \d+ failed$/m.exec(ci.result.stdout)?.[0] ?? "no totals line";
  } finally {
    cold.dispose();
  }
}

async function main(): Promise<void> {
  const figures: Figures = {};
  if (process.argv.includes("--cold")) await coldSetup(figures);
  if (process.argv.includes("--ci")) await coldCi(figures);

  const warm = await timed(async () => {
    run("scripts/setup-node.sh", [], process.env);
    run("scripts/setup-toolchain.sh", ["all"], process.env);
  });
  figures.warmSetupSeconds = Number(warm.seconds.toFixed(2));

  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "socle-bench-out-"));
  const program = await openProgramStack(path.join(repoRoot, "test", "e2e", "programs", "engine-smoke"), {
    dir: { value: outDir },
  });
  try {
    figures.e2ePreviewSeconds = Number((await timed(() => program.stack.preview())).seconds.toFixed(2));
    figures.e2eUpSeconds = Number((await timed(() => program.stack.up())).seconds.toFixed(2));
    figures.e2eNoopPreviewSeconds = Number((await timed(() => program.stack.preview())).seconds.toFixed(2));
    await program.stack.destroy();
  } finally {
    await program.dispose();
    fs.rmSync(outDir, { recursive: true, force: true });
  }
  recordFigures("toolchain", figures);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
