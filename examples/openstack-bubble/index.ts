// A client "bubble" on the hospital's private cloud: its own project, quotas,
// network and an Odoo + PostgreSQL template, with a delivery check-list.
import * as pulumi from "@pulumi/pulumi";
import { Bubble } from "socle/openstack";

const config = new pulumi.Config();
const bubble = new Bubble("client-a", {
  externalNetworkId: config.require("externalNetworkId"),
  imageId: config.require("imageId"),
  flavors: [{ name: "m1.small", vcpus: 1, ramMiB: 2048, diskGiB: 20 }],
  templates: [{ name: "erp", template: "odoo+postgres" }],
  adminCidr: "10.0.0.0/24",
  clientCidr: "192.168.10.0/24",
});

export const projectId = bubble.projectId;
