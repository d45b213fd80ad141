// The per-bubble stack pattern under the real engine against the OpenStack
// lab: the shared platform stack (stacks/chu-platform.ts) goes up, and two
// bubble stacks (stacks/chu-bubble.ts, named chu-bubble-<client>) preview at
// the same time in one backend, each reading the platform's flavors, image
// and external network through a StackReference. A bubble stack whose
// platform has not gone up yet fails naming the output and the fix.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureOpenStackLab, openStackEnv, type OpenStackLabManifest } from "../../lab/openstack";
import type { BubbleConfig } from "../../stacks/chu-bubbles";
import { labProviderConfig, openRepoStacks, type RepoStacks } from "./bubble-stacks";

/** Inputs of the servers a preview would create, by resource name. */
async function previewedServers(stack: Stack): Promise<Map<string, Record<string, unknown>>> {
  const servers = new Map<string, Record<string, unknown>>();
  const onEvent = (event: EngineEvent) => {
    const step = event.resourcePreEvent?.metadata;
    if (step?.type === "openstack:compute/instance:Instance" && step.op === "create") {
      servers.set(step.urn.split("::").pop() ?? "", step.new?.inputs ?? {});
    }
  };
  const preview = await stack.preview({ onEvent });
  expect(Object.keys(preview.changeSummary).filter((op) => op !== "create")).toEqual([]);
  return servers;
}

describe("one stack per bubble beside a platform stack (real engine, OpenStack lab)", () => {
  let lab: OpenStackLabManifest;
  let stacks: RepoStacks;
  let platform: Stack;
  const tag = `bs${randomBytes(3).toString("hex")}`;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-bubble-stacks-"));
  const bubbles: BubbleConfig[] = ["a", "b"].map((c, i) => ({
    name: `${tag}-${c}`,
    subnetCidr: `10.20.${i + 1}.0/24`,
    templates: [{ name: "files", template: "syncthing" }],
  }));
  const bubbleStack = (b: BubbleConfig) =>
    stacks.open(`chu-bubble-${b.name}`, {
      ...labProviderConfig(lab.authUrl, lab.region),
      "socle:bubble": { value: JSON.stringify(b) },
      "socle:protectData": { value: "false" },
    });

  beforeAll(async () => {
    lab = await ensureOpenStackLab();
    const disk = path.join(scratch, "debian.qcow2");
    execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", disk, "16M"]);
    stacks = await openRepoStacks(openStackEnv(lab, "admin"));
    platform = await stacks.open("chu-platform", {
      ...labProviderConfig(lab.authUrl, lab.region),
      "socle:prefix": { value: tag },
      "socle:adminCidr": { value: "10.0.0.0/24" },
      "socle:externalNetwork": { value: lab.externalNetwork.name },
      "socle:imagePath": { value: disk },
    });
  });
  afterAll(async () => {
    await platform?.destroy().catch(() => undefined);
    await stacks?.dispose();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("a bubble stack before its platform went up fails, naming the output and the fix", async () => {
    const early = await bubbleStack(bubbles[0]);
    await expect(early.preview()).rejects.toThrow(
      /platform stack "organization\/socle\/chu-platform" has no output "flavors": run `pulumi up` on it first/,
    );
  });

  it("the platform goes up; two bubble stacks preview in parallel on its flavors, image and network", async () => {
    const up = await platform.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.outputs.externalNetworkId.value).toBe(lab.externalNetwork.id);
    const imageId = String(up.outputs.imageId.value);
    expect(imageId).toMatch(/^[0-9a-f-]{36}$/);
    const flavorNames = (up.outputs.flavors.value as { name: string }[]).map((f) => f.name);
    expect(flavorNames).toEqual([`${tag}-small`, `${tag}-medium`, `${tag}-large`]);

    const [a, b] = await Promise.all(
      bubbles.map(async (bubble) => previewedServers(await bubbleStack(bubble))),
    );
    for (const [servers, bubble] of [
      [a, bubbles[0]],
      [b, bubbles[1]],
    ] as const) {
      expect([...servers.keys()]).toEqual([`${bubble.name}-files-sync`]);
      const inputs = servers.get(`${bubble.name}-files-sync`) ?? {};
      // The platform's image and the smallest of its flavors that fits Syncthing.
      expect(inputs.imageId).toBe(imageId);
      expect(flavorNames).toContain(inputs.flavorName);
    }
  });
});
