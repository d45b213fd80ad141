// bench/kubernetes: the Kubernetes lab and the department's platform stack.
//  (a) lab start: etcd, API server, controller manager, scheduler, kwok and
//      its Ready nodes, in a new folder (first start) and again in the same
//      folder (restart, data kept); median of rounds.
//  (b) cd49-platform under the engine against the lab: first preview, up (every
//      Deployment rolled out on the simulated nodes), no-op preview, destroy;
//      median of rounds, each round from an empty state.
//   npx tsx bench/kubernetes/run.ts [--rounds N]
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startKubernetesLab } from "../../lab/kubernetes";
import { openRepoStack } from "../../test/e2e/harness";
import { recordFigures, timed } from "../figures";
import { median, round2 } from "../openstack/measure";

async function labStarts(rounds: number): Promise<{ first: number[]; restart: number[] }> {
  const first: number[] = [];
  const restart: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "socle-bench-k8s-lab-"));
    try {
      const lab = await startKubernetesLab({ dir });
      first.push(lab.startSec);
      await lab.close();
      const again = await startKubernetesLab({ dir });
      restart.push(again.startSec);
      await again.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return { first, restart };
}

async function platformRounds(rounds: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "socle-bench-k8s-platform-"));
  const lab = await startKubernetesLab({ dir });
  const times = {
    preview: [] as number[],
    up: [] as number[],
    noop: [] as number[],
    destroy: [] as number[],
  };
  let resources = 0;
  try {
    for (let i = 0; i < rounds; i++) {
      const program = await openRepoStack("cd49-platform", {
        "socle:kubeconfig": { value: lab.kubeconfig, secret: true },
        "socle:runnerToken": { value: "glrt-bench-token", secret: true },
        "socle:gristSessionSecret": { value: "bench-session-secret", secret: true },
      });
      try {
        times.preview.push((await timed(() => program.stack.preview())).seconds);
        const up = await timed(() => program.stack.up());
        times.up.push(up.seconds);
        resources = up.result.summary.resourceChanges?.create ?? 0;
        times.noop.push((await timed(() => program.stack.preview())).seconds);
        times.destroy.push((await timed(() => program.stack.destroy())).seconds);
      } finally {
        await program.dispose();
      }
    }
  } finally {
    await lab.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { times, resources };
}

async function main(): Promise<void> {
  const at = process.argv.indexOf("--rounds");
  const rounds = at >= 0 ? Number(process.argv[at + 1]) : 3;
  const starts = await labStarts(rounds);
  const platform = await platformRounds(rounds);
  recordFigures("kubernetes", {
    rounds,
    labFirstStartSeconds: round2(median(starts.first)),
    labRestartSeconds: round2(median(starts.restart)),
    platformResources: platform.resources,
    platformPreviewSeconds: round2(median(platform.times.preview)),
    platformUpSeconds: round2(median(platform.times.up)),
    platformNoopPreviewSeconds: round2(median(platform.times.noop)),
    platformDestroySeconds: round2(median(platform.times.destroy)),
  });
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
