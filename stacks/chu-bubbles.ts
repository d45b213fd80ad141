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
  resolveTemplate,
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
}

/** Shared flavors offered to every bubble. */
export const CHU_FLAVORS: FlavorSpec[] = [
  { name: "chu-small", vcpus: 1, ramMiB: 1024, diskGiB: 10 },
  { name: "chu-medium", vcpus: 2, ramMiB: 2048, diskGiB: 20 },
  { name: "chu-large", vcpus: 4, ramMiB: 8192, diskGiB: 40 },
];

/** Declares the bubbles; returns the stack outputs. */
export default function chuBubbles(): Record<string, pulumi.Input<unknown>> {
  const config = new pulumi.Config();
  const adminCidr = config.require("adminCidr");
  const bubbles = config.requireObject<BubbleConfig[]>("bubbles");
  const external = openstack.networking.getNetworkOutput({
    name: config.get("externalNetwork") ?? "external",
  });
  const protectData = config.getBoolean("protectData") ?? true;

  // Decide first: an unknown template fails before any resource is declared.
  for (const b of bubbles) for (const t of b.templates) resolveTemplate(t.template);

  const flavors = new FlavorSet("chu-flavors", { flavors: CHU_FLAVORS });
  const image = new ServerImage("chu-debian", {
    localFilePath: config.get("imagePath"),
    sourceUrl: config.get("imageUrl"),
    expectedSha256: config.get("imageSha256"),
    visibility: ImageVisibility.Public,
  });

  const built = bubbles.map(
    (b) =>
      new Bubble(
        b.name,
        {
          externalNetworkId: external.id,
          imageId: image.id,
          flavors: CHU_FLAVORS,
          templates: b.templates,
          users: b.users,
          adminCidr,
          clientCidr: config.get("clientCidr") ?? "0.0.0.0/0",
          subnetCidr: b.subnetCidr,
          protectData,
        },
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
