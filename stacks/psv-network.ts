// The Pôle de santé du Villeneuvois's switch stacks (seed 000): firmware,
// baseline configuration and daily configuration backup of every IRF stack,
// one per network room. The program reads configuration only: `socle:stacks`,
// `socle:username` and the secret `socle:password` come from the stack's
// configuration on the real network, and from the lab's manifest turned into
// configuration by `./socle up psv-network` against the lab.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { SwitchFleet, type FleetStack } from "../components/network";
import type { Vlan } from "../components/network/baseline";
import type { MaintenanceWindow } from "../providers/switch/operations/firmwarePlan";

const repoRoot = path.resolve(__dirname, "..");
const fromRoot = (p: string) => path.resolve(repoRoot, p);

/** The stacks and the fleet's credentials, from configuration only. */
function inventory(config: pulumi.Config): {
  stacks: FleetStack[];
  username: string;
  password: pulumi.Output<string> | undefined;
} {
  // An extra configuration may carry secrets (an SNMP community, a key), and a
  // stack may have its own password: both are handed on as secrets, so the
  // configuration and the connection they end up in are secrets too.
  const asSecret = (value: pulumi.Input<string> | undefined) =>
    value === undefined ? undefined : pulumi.secret(value);
  const stacks = config.requireObject<FleetStack[]>("stacks").map((s) => ({
    ...s,
    extraConfig: asSecret(s.extraConfig),
    password: asSecret(s.password),
    privateKey: asSecret(s.privateKey),
  }));
  return {
    stacks,
    username: config.require("username"),
    // One password for the fleet, unless every stack has its own.
    password: stacks.every((s) => s.password || s.privateKey)
      ? config.getSecret("password")
      : config.requireSecret("password"),
  };
}

export default function psvNetwork(): Record<string, unknown> {
  const config = new pulumi.Config();
  const { stacks, username, password } = inventory(config);
  const fleet = new SwitchFleet("psv", {
    stacks,
    username,
    password,
    vlans: config.requireObject<Vlan[]>("vlans"),
    ntpServer: config.get("ntpServer"),
    syslogHost: config.get("syslogHost"),
    firmware: {
      imagePath: fromRoot(config.require("firmwareImage")),
      release: config.require("firmwareRelease"),
      model: config.get("firmwareModel"),
    },
    maintenanceWindow: config.getObject<MaintenanceWindow>("maintenanceWindow"),
    backupDirectory: fromRoot(config.get("backupDirectory") ?? ".socle/backups/psv"),
    backupToGit: config.getBoolean("backupToGit") ?? true,
  });
  return {
    stacks: fleet.stacks,
    // Where each stack is managed from, for the Ansible inventory (socle inventory).
    switches: stacks.map((s) => ({ name: s.name, host: s.host, port: s.port ?? 22, username })),
  };
}
