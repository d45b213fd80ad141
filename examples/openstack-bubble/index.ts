// A client "bubble" on the hospital's private cloud: its own project, quotas,
// network and an Odoo + PostgreSQL template, with a delivery check-list.
import * as pulumi from "@pulumi/pulumi";
import { Bubble, ProjectRole, type FlavorSpec } from "socle/openstack";

const config = new pulumi.Config();
// The cloud's flavors (made by its administrators); each VM gets the smallest that fits.
const flavors = config.getObject<FlavorSpec[]>("flavors") ?? [
  { name: "m1.small", vcpus: 1, ramMiB: 2048, diskGiB: 20 },
  { name: "m1.medium", vcpus: 2, ramMiB: 4096, diskGiB: 40 },
];
const name = config.get("bubbleName") ?? "client-a";
const bubble = new Bubble(name, {
  externalNetworkId: config.require("externalNetworkId"),
  imageId: config.require("imageId"),
  flavors,
  templates: [{ name: "erp", template: "odoo+postgres" }],
  adminCidr: "10.0.0.0/24",
  clientCidr: "192.168.10.0/24",
  // The client's administrator: a Keystone user with the admin role on the bubble's project.
  users: [{ name: `${name}-admin`, role: ProjectRole.Admin }],
  // The database VM is protected: set protectData to false before `pulumi destroy`.
  protectData: config.getBoolean("protectData") ?? true,
});

export const projectId = bubble.projectId;
export const checklist = bubble.checklist;
export const operatorPassword = bubble.operatorPassword;
