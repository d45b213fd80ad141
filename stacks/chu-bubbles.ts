// The university hospital's private cloud of seed 003: several isolated
// client bubbles, each with its project, quotas, roles, network, default-deny
// groups and templates instantiated from the catalogue. The delivery
// check-list of every bubble is a stack output.
import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import {
  Bubble,
  FlavorSet,
  ImageVisibility,
  ServerImage,
  planBubble,
  type BubblePlanArgs,
  type BubbleQuotaLimits,
  type BubbleTemplateInstance,
  type FlavorSpec,
  type ProjectUserSpec,
} from "../components/openstack";

/** One client bubble in the stack config. */
export interface BubbleConfig {
  name: string;
  subnetCidr?: string;
  templates: BubbleTemplateInstance[];
  users?: ProjectUserSpec[];
  /** Explicit quotas (see BubbleArgs.quotaLimits). */
  quotaLimits?: BubbleQuotaLimits;
}

/** Shared flavors offered to every bubble, named "<prefix>-small|medium|large". */
export function chuFlavors(prefix: string): FlavorSpec[] {
  return [
    { name: `${prefix}-small`, vcpus: 1, ramMiB: 1024, diskGiB: 10 },
    { name: `${prefix}-medium`, vcpus: 2, ramMiB: 2048, diskGiB: 20 },
    { name: `${prefix}-large`, vcpus: 4, ramMiB: 8192, diskGiB: 40 },
  ];
}

/** Declares the bubbles; returns the stack outputs. */
export default function chuBubbles(): Record<string, pulumi.Input<unknown>> {
  const config = new pulumi.Config();
  const adminCidr = config.require("adminCidr");
  const bubbles = config.requireObject<BubbleConfig[]>("bubbles");
  const external = openstack.networking.getNetworkOutput({
    name: config.get("externalNetwork") ?? "external",
  });
  const protectData = config.getBoolean("protectData") ?? true;
  // Flavor names are global to the cloud: a second copy of the stack needs its own.
  const prefix = config.get("prefix") ?? "chu";
  const flavorSpecs = chuFlavors(prefix);

  // Decide first: an unknown template or a quota limit too small for a
  // bubble's templates fails before any resource is declared.
  const planned = bubbles.map((b) => {
    const args: BubblePlanArgs = {
      flavors: flavorSpecs,
      templates: b.templates,
      adminCidr,
      clientCidr: config.get("clientCidr") ?? "0.0.0.0/0",
      subnetCidr: b.subnetCidr,
      protectData,
      quotaLimits: b.quotaLimits,
    };
    planBubble(b.name, args);
    return { bubble: b, args };
  });

  const flavors = new FlavorSet(`${prefix}-flavors`, { flavors: flavorSpecs });
  const image = new ServerImage(`${prefix}-debian`, {
    localFilePath: config.get("imagePath"),
    sourceUrl: config.get("imageUrl"),
    expectedSha256: config.get("imageSha256"),
    visibility: ImageVisibility.Public,
  });

  const built = planned.map(
    ({ bubble, args }) =>
      new Bubble(
        bubble.name,
        { ...args, externalNetworkId: external.id, imageId: image.id, users: bubble.users },
        { dependsOn: [flavors, image] },
      ),
  );
  return {
    checklists: pulumi.all(Object.fromEntries(built.map((b) => [b.bubbleName, b.checklist]))),
    projects: pulumi.all(Object.fromEntries(built.map((b) => [b.bubbleName, b.projectId]))),
    operatorPasswords: pulumi.secret(
      pulumi.all(Object.fromEntries(built.map((b) => [b.bubbleName, b.operatorPassword]))),
    ),
  };
}
