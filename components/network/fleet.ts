// A fleet of IRF switch stacks (one per network room) wired as firmware,
// configuration and backup resources. Decisions live in the providers and in
// renderBaseline; this component only connects them.
import * as pulumi from "@pulumi/pulumi";
import {
  SwitchConfigBackup,
  SwitchConfiguration,
  SwitchFirmware,
  type SwitchConnection,
} from "../../providers/switch";
import type { MaintenanceWindow } from "../../providers/switch/operations/firmwarePlan";
import { renderBaseline, type Vlan } from "./baseline";

export interface FleetStack {
  /** Stack name, also its sysname, e.g. "psv-r1". */
  name: string;
  host: string;
  /** @default 22 */
  port?: number;
  /** Pinned SSH host key fingerprint "SHA256:...". */
  hostKeySha256: string;
  /** Extra configuration for this stack only, in device syntax. @default none */
  extraConfig?: string;
}

export interface FirmwareTarget {
  imagePath: string;
  release: string;
  model?: string;
  sha256?: string;
}

export interface SwitchFleetArgs {
  stacks: FleetStack[];
  username: pulumi.Input<string>;
  /** One password for the fleet (a secret); or use privateKey. */
  password?: pulumi.Input<string>;
  privateKey?: pulumi.Input<string>;
  vlans: Vlan[];
  ntpServer?: string;
  syslogHost?: string;
  /** Desired firmware of every stack. @default firmware not managed */
  firmware?: FirmwareTarget;
  /** Reboot window (switch clock). @default none: reboots are left pending */
  maintenanceWindow?: MaintenanceWindow;
  /** Backup archive directory. @default backups not managed */
  backupDirectory?: string;
  /** Commit backups in git. @default false */
  backupToGit?: boolean;
  retryAttempts?: number;
}

export interface FleetStackOutputs {
  runningRelease?: pulumi.Output<string>;
  status?: pulumi.Output<string>;
  drift: pulumi.Output<string>;
  latestBackup?: pulumi.Output<string>;
}

export class SwitchFleet extends pulumi.ComponentResource {
  readonly stacks: Record<string, FleetStackOutputs> = {};

  constructor(name: string, args: SwitchFleetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("socle:network:SwitchFleet", name, {}, opts);
    if (args.stacks.length === 0) throw new Error("stacks: give at least one switch stack");
    if (!args.password && !args.privateKey)
      throw new Error("give password or privateKey (as a secret) for the fleet");
    const names = new Set<string>();
    for (const stack of args.stacks) {
      if (names.has(stack.name))
        throw new Error(`stacks: "${stack.name}" appears twice; stack names must be unique`);
      names.add(stack.name);
      const connection: SwitchConnection = {
        switchName: stack.name,
        host: stack.host,
        port: stack.port ?? 22,
        username: args.username,
        password: args.password,
        privateKey: args.privateKey,
        hostKeySha256: stack.hostKeySha256,
        retryAttempts: args.retryAttempts,
      };
      const child = { parent: this };
      const firmware = args.firmware
        ? new SwitchFirmware(
            `${stack.name}-firmware`,
            { ...connection, ...args.firmware, maintenanceWindow: args.maintenanceWindow },
            child,
          )
        : undefined;
      const baseline = renderBaseline({
        sysname: stack.name,
        vlans: args.vlans,
        ntpServer: args.ntpServer,
        syslogHost: args.syslogHost,
      });
      const config = new SwitchConfiguration(
        `${stack.name}-config`,
        { ...connection, config: stack.extraConfig ? `${baseline}${stack.extraConfig}` : baseline },
        // Configure after the firmware step so a reboot never eats unsaved lines.
        { parent: this, dependsOn: firmware ? [firmware] : [] },
      );
      const backup = args.backupDirectory
        ? new SwitchConfigBackup(
            `${stack.name}-backup`,
            { ...connection, directory: args.backupDirectory, git: args.backupToGit ?? false },
            { parent: this, dependsOn: [config] },
          )
        : undefined;
      this.stacks[stack.name] = {
        runningRelease: firmware?.runningRelease,
        status: firmware?.status,
        drift: config.drift,
        latestBackup: backup?.latestFile,
      };
    }
    this.registerOutputs({ stacks: this.stacks });
  }
}
