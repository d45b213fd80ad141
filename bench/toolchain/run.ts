// bench/toolchain: how long the set-up takes warm (everything cached) and,
// with --cold, from nothing (empty socle, Go module and Go build caches),
// and how long the engine takes to preview and up the e2e program.
//   npx tsx bench/toolchain/run.ts [--cold]
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot } from "../../lab/engine";
import { openProgramStack } from "../../test/e2e/harness";
import { recordFigures, timed, type Figures } from "../figures";

function runSetup(env: NodeJS.ProcessEnv): void {
  for (const script of ["setup-node.sh", "setup-toolchain.sh"]) {
    execFileSync("bash", [path.join(repoRoot, "scripts", script)], { env, stdio: ["ignore", "ignore", "inherit"] });
  }
}

async function main(): Promise<void> {
  const figures: Figures = {};

  if (process.argv.includes("--cold")) {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-cold-"));
    const env = {
      ...process.env,
      SOCLE_CACHE: path.join(scratch, "socle"),
      GOCACHE: path.join(scratch, "gocache"),
      GOMODCACHE: path.join(scratch, "gomod"),
    };
    const cold = await timed(async () => runSetup(env));
    figures.coldSetupSeconds = Math.round(cold.seconds);
    execFileSync("chmod", ["-R", "u+w", scratch]); // the Go module cache is read-only
    fs.rmSync(scratch, { recursive: true, force: true });
  }

  const warm = await timed(async () => runSetup(process.env));
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
