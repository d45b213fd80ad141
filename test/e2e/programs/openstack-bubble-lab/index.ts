// A bubble (Odoo + PostgreSQL, Syncthing) and, on the admin's side, a server
// with a floating IP on its own network: socle's OpenStack components in the
// lab, through the plugin built from terraform-provider-openstack v3.4.0. The
// admin provider reads OS_* from the environment. The test copies this
// program to a temporary directory, so socle is loaded from config.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type * as openstack from "../../../../components/openstack";

const config = new pulumi.Config();
const socle = require(path.join(config.require("socleRoot"), "components", "openstack")) as typeof openstack;
const name = config.require("name");
const flavorName = config.require("flavorName");
const imageId = config.require("imageId");
const externalNetworkId = config.require("externalNetworkId");

const bubble = new socle.Bubble(name, {
  externalNetworkId,
  imageId,
  // The lab's one flavor, declared large enough for every template VM.
  flavors: [{ name: flavorName, vcpus: 8, ramMiB: 16384, diskGiB: 80 }],
  templates: [
    { name: "erp", template: "odoo+postgres" },
    { name: "files", template: "syncthing" },
  ],
  adminCidr: "10.0.0.0/24",
  clientCidr: "10.50.0.0/16",
  users: [{ name: `${name}-admin`, role: socle.ProjectRole.Admin }],
  // Unprotected, so that the test can destroy it.
  protectData: false,
  authUrl: config.require("authUrl"),
});

const edgeName = `${name}-edge`;
const network = new socle.PrivateNetwork(edgeName, { cidr: "192.168.77.0/24", externalNetworkId });
const group = new socle.RuleSecurityGroup(edgeName, {
  rules: socle.planEdgeRules({
    apps: [],
    adminCidr: "10.0.0.0/24",
    clientCidr: "10.50.0.0/16",
    http: true,
    https: false,
  }),
});
const edge = new socle.AppServer(
  edgeName,
  {
    flavorName,
    imageId,
    networkId: network.networkId,
    subnetId: network.subnetId,
    securityGroupIds: [group.id],
    dataBearing: false,
    floatingIpPool: config.require("externalNetworkName"),
  },
  { dependsOn: [network] },
);

export const checklist = bubble.checklist;
export const projectId = bubble.projectId;
export const edgeAddress = edge.privateAddress;
export const edgeFloatingAddress = edge.floatingAddress;
export const edgePortId = edge.port.id;
export const operatorPassword = bubble.operatorPassword;
