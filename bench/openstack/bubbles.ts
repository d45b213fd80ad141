// Beyond one big stack: a real `pulumi preview`, against the OpenStack lab, of
// 20 client bubbles of 5 servers each (odoo+postgres, web+db, syncthing):
//   one stack    stacks/chu-bubbles.ts holding the 20 bubbles
//   20 stacks    stacks/chu-bubble.ts, one stack per bubble, all previewed at
//                once (as the GitLab template's one job per stack does), after the
//                shared platform stack (stacks/chu-platform.ts) went up
//   4 at a time  the same 20, as 4 CI runners would take the jobs
//   1 of 20      one bubble's stack alone: what a merge request touching one
//                client previews
// Nothing but the platform's flavors and image is made; it is destroyed after.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ConfigMap, Stack } from "@pulumi/pulumi/automation";
import { ensureOpenStackLab, openStackEnv } from "../../lab/openstack";
import type { BubbleConfig } from "../../stacks/chu-bubbles";
import { labProviderConfig, openRepoStacks } from "../../test/lab/bubble-stacks";
import type { Figures } from "../figures";
import { median, round2, seconds } from "./measure";

const BUBBLES = 20;
const TEMPLATES = [
  { name: "erp", template: "odoo+postgres" },
  { name: "site", template: "web+db" },
  { name: "files", template: "syncthing" },
];

/** CI runners taking the template's preview jobs (one per stack) in the "4 at a time" figure. */
const RUNNERS = 4;

/** Runs `work` on every item, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Resources the preview would create, or a failure if it would do anything else. */
async function previewCreates(stack: Stack): Promise<number> {
  const result = await stack.preview();
  const other = Object.entries(result.changeSummary).filter(
    ([op, n]) => op !== "create" && op !== "same" && n > 0,
  );
  if (other.length > 0)
    throw new Error(`preview of ${stack.name} would ${JSON.stringify(Object.fromEntries(other))}`);
  return result.changeSummary.create ?? 0;
}

export async function benchBubbles(rounds = 3): Promise<Figures> {
  const lab = await ensureOpenStackLab();
  const tag = `bb${Date.now().toString(36)}`;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-bench-bubbles-"));
  const disk = path.join(scratch, "debian.qcow2");
  execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", disk, "16M"]);
  const bubbles: BubbleConfig[] = Array.from({ length: BUBBLES }, (_, i) => ({
    name: `${tag}-${String(i + 1).padStart(2, "0")}`,
    templates: TEMPLATES,
  }));
  const common: ConfigMap = {
    ...labProviderConfig(lab.authUrl, lab.region),
    "socle:prefix": { value: tag },
    "socle:adminCidr": { value: "10.0.0.0/24" },
    "socle:clientCidr": { value: "10.50.0.0/16" },
    "socle:externalNetwork": { value: lab.externalNetwork.name },
    "socle:imagePath": { value: disk },
    "socle:protectData": { value: "false" },
  };
  const stacks = await openRepoStacks(openStackEnv(lab, "admin"));
  let platform: Stack | undefined;
  const one: number[] = [];
  const parallel: number[] = [];
  const limited: number[] = [];
  const single: number[] = [];
  const creates = { one: 0, split: 0 };
  try {
    const big = await stacks.open("chu-bubbles", {
      ...common,
      "socle:bubbles": { value: JSON.stringify(bubbles) },
    });
    platform = await stacks.open("chu-platform", common);
    const platformUpSeconds = await seconds(() => platform?.up() ?? Promise.resolve());
    const split = await Promise.all(
      bubbles.map((b) =>
        stacks.open(`chu-bubble-${b.name}`, {
          ...labProviderConfig(lab.authUrl, lab.region),
          "socle:bubble": { value: JSON.stringify(b) },
          "socle:protectData": { value: "false" },
        }),
      ),
    );
    for (let r = 0; r < rounds; r++) {
      one.push(await seconds(async () => (creates.one = await previewCreates(big))));
      parallel.push(
        await seconds(async () => {
          const counts = await Promise.all(split.map(previewCreates));
          creates.split = counts.reduce((a, b) => a + b, 0);
        }),
      );
      limited.push(await seconds(() => eachLimited(split, RUNNERS, previewCreates)));
      single.push(await seconds(() => previewCreates(split[0])));
      console.log(
        `round ${r + 1}: one stack ${round2(one[r])} s, ${BUBBLES} stacks in parallel ${round2(parallel[r])} s, ${RUNNERS} at a time ${round2(limited[r])} s, one bubble's stack ${round2(single[r])} s`,
      );
    }
    // The big stack also declares what the platform stack holds (flavors, image).
    const figures = {
      bubblesServers: BUBBLES * 5,
      bubblesOneStackCreates: creates.one,
      bubblesSplitCreates: creates.split,
      bubblesPlatformUpSeconds: round2(platformUpSeconds),
      bubblesOneStackPreviewSeconds: round2(median(one)),
      bubblesParallelPreviewSeconds: round2(median(parallel)),
      bubblesFourAtATimePreviewSeconds: round2(median(limited)),
      bubblesOneBubblePreviewSeconds: round2(median(single)),
    };
    console.log(
      [
        `\n${BUBBLES} bubbles of 5 servers (${figures.bubblesServers} servers), real preview against the lab, median of ${rounds}`,
        `  one stack (${creates.one} resources)                 ${figures.bubblesOneStackPreviewSeconds} s`,
        `  ${BUBBLES} stacks in parallel (${creates.split} resources)    ${figures.bubblesParallelPreviewSeconds} s`,
        `  ${BUBBLES} stacks, ${RUNNERS} at a time (4 CI runners)  ${figures.bubblesFourAtATimePreviewSeconds} s`,
        `  one bubble's stack alone                     ${figures.bubblesOneBubblePreviewSeconds} s`,
      ].join("\n"),
    );
    return figures;
  } finally {
    if (platform)
      await platform.destroy().catch((err: unknown) => console.error(`platform destroy: ${String(err)}`));
    await stacks.dispose();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
