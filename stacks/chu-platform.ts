// The shared platform of the CHU private cloud when each client bubble is a
// stack of its own (stacks/chu-bubble.ts): what every bubble uses and only
// the cloud's administrators change, the flavors, the image and the external
// network. Its outputs are what the bubble stacks read through a
// StackReference; it never changes when a bubble does, so a merge request on
// one bubble previews one small stack, not the whole cloud.
import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import { FlavorSet, ImageVisibility, ServerImage, type FlavorSpec } from "../components/openstack";
import { chuFlavors } from "./chu-bubbles";

/** What the platform hands every bubble stack (its stack outputs). */
export interface ChuPlatformOutputs {
  /** Flavors offered to the bubbles, as plain specs: a bubble plans its servers on them. */
  flavors: FlavorSpec[];
  /** ID of the external network (routers' gateways). */
  externalNetworkId: pulumi.Output<string>;
  /** ID of the image every server boots. */
  imageId: pulumi.Output<string>;
  /** Administrators' network, the only SSH source in every bubble. */
  adminCidr: string;
  /** Clients' network, allowed on the published ports. */
  clientCidr: string;
}

/** Declares the platform; returns the outputs the bubble stacks read. */
export default function chuPlatform(): ChuPlatformOutputs {
  const config = new pulumi.Config();
  // Flavor names are global to the cloud: a second copy of the platform needs its own.
  const prefix = config.get("prefix") ?? "chu";
  const flavors = chuFlavors(prefix);
  const external = openstack.networking.getNetworkOutput({
    name: config.get("externalNetwork") ?? "external",
  });
  new FlavorSet(`${prefix}-flavors`, { flavors });
  const image = new ServerImage(`${prefix}-debian`, {
    localFilePath: config.get("imagePath"),
    sourceUrl: config.get("imageUrl"),
    expectedSha256: config.get("imageSha256"),
    visibility: ImageVisibility.Public,
  });
  return {
    flavors,
    externalNetworkId: external.id,
    imageId: image.id,
    adminCidr: config.require("adminCidr"),
    clientCidr: config.get("clientCidr") ?? "0.0.0.0/0",
  };
}
