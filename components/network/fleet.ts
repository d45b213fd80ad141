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
import { SWITCH_FLEET_TYPE, SWITCH_OS_NAMES } from "../../providers/switch/tokens";
import {
  assertValid,
  credentialFailures,
  endpointFailures,
  irfMemberFailures,
  osFailures,
  tuningFailures,
  windowFailures,
  type Failure,
} from "../../providers/switch/validation";
import { renderBaseline, type Vlan } from "./baseline";

/** One IRF stack of the fleet. */
export interface FleetStack {
  /** Stack name, also its sysname, e.g. "psv-r1". */
  name: string;
  /** Management address of the stack (IP or DNS name) that SSH connects to. */
  host: string;
  /** SSH port. @default 22 */
  port?: number;
  /**
   * The stack's OS (device profile): "comware5" or "comware7"; a switch whose `display version`
   * says otherwise is refused, naming both, before any change.
   * @default detected from `display version` (Comware 5.20 or 7.1; any other is refused by name)
   */
  os?: string;
  /** Pinned SSH host key fingerprint "SHA256:...". */
  hostKeySha256: string;
  /**
   * Extra configuration for this stack only, in device syntax. Pass a secret when it
   * carries one (an SNMP community): the whole configuration input is then a secret.
   * @default none
   */
  extraConfig?: pulumi.Input<string>;
  /** SSH login name on this stack. @default the fleet's username */
  username?: string;
  /** This stack's own password (a secret); with it or privateKey, the fleet's credentials are not used. @default the fleet's */
  password?: pulumi.Input<string>;
  /** This stack's own private key (a secret). @default the fleet's */
  privateKey?: pulumi.Input<string>;
  /** This stack's own firmware (a Comware 7 stack in a Comware 5 fleet installs its .ipe). @default the fleet's */
  firmware?: FirmwareTarget;
  /**
   * IRF member IDs of this stack, e.g. [1, 2, 3]: one missing from `display irf` (an IRF split)
   * stops its firmware step before any change, on the first `up` too.
   * @default the members the stored state last saw (none on the first `up`: no check then)
   */
  irfMembers?: number[];
}

/** A stack with its own password or key logs in with those, never the fleet's. */
function hasOwnCredentials(stack: FleetStack): boolean {
  return stack.password !== undefined || stack.privateKey !== undefined;
}

/** The firmware every stack of the fleet should run. */
export interface FirmwareTarget {
  /** Local path of the image file; its file name is the name on flash. */
  imagePath: string;
  /** Release the image runs, as `display version` prints it, e.g. "2221P25". */
  release: string;
  /** Expected model (substring of `display version`'s model line); another is refused. @default no check */
  model?: string;
  /** SHA-256 (hex) of the image; the copy on the switch must match it. @default computed from the file */
  sha256?: string;
}

/** Arguments of {@link SwitchFleet}. */
export interface SwitchFleetArgs {
  /** The stacks of the fleet; names must be unique. */
  stacks: FleetStack[];
  /** SSH login name, the same on every stack. */
  username: pulumi.Input<string>;
  /** One password for the fleet (a secret); or use privateKey, or give each stack its own. */
  password?: pulumi.Input<string>;
  /** One private key (OpenSSH/PEM) for the fleet (a secret); or use password. */
  privateKey?: pulumi.Input<string>;
  /** VLANs every stack carries (IDs 2-4094, each once). */
  vlans: Vlan[];
  /** NTP server address configured on every stack. @default none */
  ntpServer?: pulumi.Input<string>;
  /** Syslog host address configured on every stack. @default none */
  syslogHost?: pulumi.Input<string>;
  /** Desired firmware of every stack. @default firmware not managed */
  firmware?: FirmwareTarget;
  /** Reboot window (switch clock). @default none: reboots are left pending */
  maintenanceWindow?: MaintenanceWindow;
  /** Backup archive directory. @default backups not managed */
  backupDirectory?: string;
  /** Commit backups in git. @default false */
  backupToGit?: boolean;
  /** Attempts per operation on transient network errors (backoff with jitter). @default 4 */
  retryAttempts?: number;
}

/** Outputs of one stack of the fleet. */
export interface FleetStackOutputs {
  /** Release the master runs; undefined when the firmware is not managed. */
  runningRelease?: pulumi.Output<string>;
  /** Firmware status (see {@link SwitchFirmwareStatus}); undefined when the firmware is not managed. */
  status?: pulumi.Output<string>;
  /** The +/- lines between the switch and its desired configuration ("" when in step). */
  drift: pulumi.Output<string>;
  /** Newest backup file, relative to backupDirectory; undefined when backups are not managed. */
  latestBackup?: pulumi.Output<string>;
}

/** Every problem of a fleet's arguments, each naming the field and the fix. */
export function fleetFailures(args: SwitchFleetArgs): Failure[] {
  const failures: Failure[] = [];
  if (args.stacks.length === 0)
    failures.push({ property: "stacks", reason: "give at least one switch stack" });
  const names = new Set<string>();
  args.stacks.forEach((stack, i) => {
    if (names.has(stack.name)) {
      failures.push({
        property: `stacks[${i}].name`,
        reason: `"${stack.name}" appears twice: stack names must be unique`,
      });
    }
    names.add(stack.name);
    failures.push(
      ...osFailures(stack.os, SWITCH_OS_NAMES, `stacks[${i}].`),
      ...endpointFailures({ ...stack }, `stacks[${i}].`),
      ...(stack.irfMembers === undefined
        ? []
        : irfMemberFailures(stack.irfMembers, `stacks[${i}].irfMembers`)),
    );
  });
  // The fleet's password or key is needed unless every stack has its own.
  const fleetCredentialsUnused = args.stacks.length > 0 && args.stacks.every(hasOwnCredentials);
  failures.push(
    ...credentialFailures(fleetCredentialsUnused ? { ...args, password: "(each stack's own)" } : args),
    ...tuningFailures(args),
  );
  if (args.maintenanceWindow) failures.push(...windowFailures(args.maintenanceWindow));
  return failures;
}

/**
 * A fleet of IRF switch stacks. Per stack: a SwitchFirmware (when the stack's or
 * the fleet's `firmware` is given), a SwitchConfiguration of the site baseline applied after it, and a
 * SwitchConfigBackup (when `backupDirectory` is given).
 */
export class SwitchFleet extends pulumi.ComponentResource {
  /** Outputs by stack name. */
  readonly stacks: Record<string, FleetStackOutputs> = {};

  constructor(name: string, args: SwitchFleetArgs, opts?: pulumi.ComponentResourceOptions) {
    super(SWITCH_FLEET_TYPE, name, {}, opts);
    assertValid(`SwitchFleet ${name}`, fleetFailures(args));
    for (const stack of args.stacks) {
      const connection: SwitchConnection = {
        switchName: stack.name,
        os: stack.os,
        host: stack.host,
        port: stack.port ?? 22,
        username: stack.username ?? args.username,
        password: hasOwnCredentials(stack) ? stack.password : args.password,
        privateKey: hasOwnCredentials(stack) ? stack.privateKey : args.privateKey,
        hostKeySha256: stack.hostKeySha256,
        retryAttempts: args.retryAttempts,
      };
      const child = { parent: this };
      const stackFirmware = stack.firmware ?? args.firmware;
      const firmware = stackFirmware
        ? new SwitchFirmware(
            `${stack.name}-firmware`,
            {
              ...connection,
              ...stackFirmware,
              maintenanceWindow: args.maintenanceWindow,
              irfMembers: stack.irfMembers,
            },
            child,
          )
        : undefined;
      const site = { sysname: stack.name, vlans: args.vlans };
      // Rendered now so a bad VLAN fails at construction; then with every part once
      // known: the configuration input is a secret whenever any part of it is one.
      renderBaseline(site);
      const desired = pulumi
        .all([args.ntpServer, args.syslogHost, stack.extraConfig])
        .apply(([ntpServer, syslogHost, extraConfig]) =>
          renderBaseline({ ...site, ntpServer, syslogHost, extraConfig }),
        );
      const config = new SwitchConfiguration(
        `${stack.name}-config`,
        { ...connection, config: desired },
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
