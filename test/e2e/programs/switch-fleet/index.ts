// A fleet of simulated IRF stacks managed by socle's SwitchFleet. The test
// copies this program to a temporary directory, so socle is loaded from the
// repository path given in config.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type * as network from "../../../../components/network";

const config = new pulumi.Config();
const socle = require(path.join(config.require("socleRoot"), "components", "network")) as typeof network;

const fleet = new socle.SwitchFleet("e2e", {
  stacks: config.requireObject<network.FleetStack[]>("stacks"),
  username: config.require("username"),
  password: config.requireSecret("password"),
  vlans: config.requireObject<network.Vlan[]>("vlans"),
  firmware: { imagePath: config.require("imagePath"), release: config.require("release") },
  maintenanceWindow: config.getObject("maintenanceWindow"),
  backupDirectory: config.require("backupDirectory"),
  retryAttempts: config.getNumber("retryAttempts"),
});
export const stacks = fleet.stacks;
