// A security group with two rules and a server, through socle's components,
// for the drift guards' test: the group under the default provider (its guard
// logs in with the engine's OS_* environment), the network and server under
// an explicit provider whose secret password the server's guard takes over.
// The test copies this program to a temporary directory, so socle is loaded
// from config.
import * as path from "node:path";
import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import type * as components from "../../../../components/openstack";

const config = new pulumi.Config();
const socle = require(path.join(config.require("socleRoot"), "components", "openstack")) as typeof components;
const name = config.require("name");

const admin = new openstack.Provider("admin", {
  authUrl: config.require("authUrl"),
  userName: config.require("userName"),
  password: config.requireSecret("password"),
  tenantName: config.require("projectName"),
  userDomainName: "Default",
  projectDomainName: "Default",
  region: config.require("region"),
});

const group = new socle.RuleSecurityGroup(`${name}-sg`, {
  rules: [
    {
      key: "in-tcp-22-admin",
      direction: "ingress",
      protocol: "tcp",
      portMin: 22,
      portMax: 22,
      remoteCidr: "10.0.0.0/24",
      description: "ssh from the administrators",
    },
    { key: "out-any", direction: "egress", protocol: "any", remoteCidr: "0.0.0.0/0", description: "out" },
  ],
});
const network = new socle.PrivateNetwork(`${name}-net`, { cidr: "192.168.78.0/24" }, { provider: admin });
const server = new socle.AppServer(
  `${name}-vm`,
  {
    flavorName: config.require("flavorName"),
    imageId: config.require("imageId"),
    networkId: network.networkId,
    subnetId: network.subnetId,
    securityGroupIds: [group.id],
    metadata: { role: "drift-test" },
    dataBearing: false,
  },
  { provider: admin },
);

export const groupId = group.id;
export const serverId = server.id;
