// One client bubble of the CHU private cloud as a stack of its own (stacks
// named `chu-bubble-<client>`), beside the shared platform stack
// (stacks/chu-platform.ts) whose outputs it reads through a StackReference.
// A thousand VMs then live in twenty small states instead of one big one: a
// change to one bubble previews and updates that bubble's stack only, an
// incident in one state file stays inside one client, and the GitLab
// template previews the affected bubbles' stacks in parallel.
import * as pulumi from "@pulumi/pulumi";
import { Bubble } from "../components/openstack";
import type { BubbleConfig } from "./chu-bubbles";
import type { ChuPlatformOutputs } from "./chu-platform";

/** Stack names of this program start with this; the rest is free (the bubble's name, say). */
export const CHU_BUBBLE_STACK_PREFIX = "chu-bubble-";

/** The platform stack a bubble stack reads, unless `socle:platformStack` says otherwise. */
export const DEFAULT_PLATFORM_STACK = "organization/socle/chu-platform";

/** Reads one output of the platform now (the bubble plans on plain values), naming the fix if absent. */
async function platformValue<K extends keyof ChuPlatformOutputs>(
  platform: pulumi.StackReference,
  platformStack: string,
  key: K,
): Promise<ChuPlatformOutputs[K]> {
  const details = await platform.getOutputDetails(key);
  const value = details.value ?? details.secretValue;
  if (value === undefined) {
    throw new Error(
      `platform stack "${platformStack}" has no output "${key}": run \`pulumi up\` on it first, or set socle:platformStack to the right stack`,
    );
  }
  return value as ChuPlatformOutputs[K];
}

/** Declares the stack's bubble; returns its outputs. */
export default async function chuBubble(): Promise<Record<string, pulumi.Input<unknown>>> {
  const config = new pulumi.Config();
  const bubble = config.requireObject<BubbleConfig>("bubble");
  const platformStack = config.get("platformStack") ?? DEFAULT_PLATFORM_STACK;
  const platform = new pulumi.StackReference(platformStack);
  const built = new Bubble(bubble.name, {
    flavors: await platformValue(platform, platformStack, "flavors"),
    adminCidr: await platformValue(platform, platformStack, "adminCidr"),
    clientCidr: await platformValue(platform, platformStack, "clientCidr"),
    externalNetworkId: platform.requireOutput("externalNetworkId") as pulumi.Output<string>,
    imageId: platform.requireOutput("imageId") as pulumi.Output<string>,
    templates: bubble.templates,
    subnetCidr: bubble.subnetCidr,
    users: bubble.users,
    quotaLimits: bubble.quotaLimits,
    protectData: config.getBoolean("protectData") ?? true,
  });
  return {
    checklist: built.checklist,
    projectId: built.projectId,
    operatorPassword: built.operatorPassword,
  };
}
