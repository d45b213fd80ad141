// A hospital network team's program: the firmware, baseline configuration and
// nightly backup of their IRF switch stacks, with socle's SwitchFleet.
import * as pulumi from "@pulumi/pulumi";
import { SwitchFleet, type FleetStack } from "socle/network";

const config = new pulumi.Config();
const fleet = new SwitchFleet("campus", {
  stacks: config.requireObject<FleetStack[]>("stacks"),
  username: config.require("username"),
  password: config.requireSecret("password"),
  vlans: [
    { id: 10, name: "urgences" },
    { id: 20, name: "imagerie" },
  ],
  firmware: { imagePath: config.require("imagePath"), release: config.require("release") },
  maintenanceWindow: { start: "02:00", end: "04:00" },
  backupDirectory: config.require("backupDirectory"),
});

export const stacks = fleet.stacks;
