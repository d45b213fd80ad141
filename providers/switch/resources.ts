// Switch stacks as Pulumi resources (dynamic providers): firmware state,
// configuration state and configuration backup. The providers are thin: each
// method loads runtime.ts inside the engine's provider process and calls it.
import * as pulumi from "@pulumi/pulumi";
import { providerLoader } from "../inProvider";
import type * as runtimeModule from "./runtime";
import type { MaintenanceWindow } from "./operations/firmwarePlan";
import { SWITCH_MODULE, SWITCH_TYPE_NAMES } from "./tokens";
import type { Failure } from "./validation";

// Resolved now, in the program; required later, in the provider process.
const load = providerLoader<typeof runtimeModule>(__filename, "runtime");

/** How to reach one switch stack. Passwords and keys must be Pulumi secrets. */
export interface SwitchConnection {
  /** Name used in messages, state and the backup archive, e.g. "psv-r1". */
  switchName: pulumi.Input<string>;
  /**
   * The switch's OS, the device profile socle drives it with: "comware5" or "comware7". Another name is
   * refused before any session; a switch whose `display version` reports another OS is refused,
   * naming both, before any change.
   * @default detected from `display version` (Comware 5.20 or 7.1; any other is refused by name)
   */
  os?: pulumi.Input<string>;
  /** Management address (IP or DNS name) SSH connects to; another host replaces the resource. */
  host: pulumi.Input<string>;
  /** SSH port; another port replaces the resource. @default 22 */
  port?: pulumi.Input<number>;
  /** SSH login name on the switch. */
  username: pulumi.Input<string>;
  /** Password authentication: pass `pulumi.secret(...)` or a secret config value. */
  password?: pulumi.Input<string>;
  /** Private key (OpenSSH/PEM) for key authentication: a secret. */
  privateKey?: pulumi.Input<string>;
  /** Pinned host key, "SHA256:..." as `ssh-keygen -lf` prints it. Required: no trust on first use. */
  hostKeySha256: pulumi.Input<string>;
  /** Milliseconds allowed for TCP connect, SSH handshake and first prompt. @default 15000 */
  connectTimeoutMs?: pulumi.Input<number>;
  /** Milliseconds allowed between sending a command and the next prompt. @default 30000 */
  commandTimeoutMs?: pulumi.Input<number>;
  /** Attempts per operation on transient network errors (backoff with jitter). @default 4 */
  retryAttempts?: pulumi.Input<number>;
}

const secretOutputs = ["password", "privateKey"];

/** The resource's inputs with connection defaults filled in and output slots declared. */
function inputsWithDefaults(
  args: SwitchConnection,
  kind: string,
  outputs: string[],
): Record<string, unknown> {
  const slots = Object.fromEntries(outputs.map((o) => [o, undefined]));
  return { socleKind: kind, ...args, port: args.port ?? 22, ...slots };
}

type Runtime = typeof runtimeModule;

/** What differs between the three switch resources; the provider shape is shared. */
interface SwitchResourceOps<P, O> {
  /** Suffix of the resource id ("<switch>/<kind>") and word used in messages. */
  kind: string;
  /** Makes the switch match `props`; `previous` is the stored state on an update. */
  apply(rt: Runtime, props: P, previous?: P & O): Promise<O>;
  observe(rt: Runtime, state: P & O): Promise<O>;
  /** Names of what moved between the stored state (as last read) and the desired inputs. */
  changes(rt: Runtime, olds: P & O, news: P): string[];
  /** Problems of this kind's own inputs, beside the connection's. @default none */
  failures?(rt: Runtime, news: P): Failure[];
  /** Problems only this machine can see (files), for a new resource; the diff checks updates. @default none */
  localFailures?(rt: Runtime, olds: Partial<P>, news: P): Failure[];
}

/**
 * A dynamic provider for one kind of switch state. Removing a resource never
 * touches the switch: forgetting a stack must not downgrade, reboot or
 * unconfigure it, and the backup archive is history.
 */
function switchProvider<P extends runtimeModule.ConnectionProps, O>(
  ops: SwitchResourceOps<P, O>,
): pulumi.dynamic.ResourceProvider<P, P & O> {
  return {
    // Offline: every problem of the inputs at once, before any session is opened.
    async check(olds, news) {
      // Through the loaded runtime: a function imported here would be serialised with the
      // provider by its module path, which an installed socle package does not export.
      const rt = load();
      const local = ops.localFailures?.(rt, olds, news) ?? [];
      return {
        inputs: news,
        failures: [...rt.connectionFailures(news), ...(ops.failures?.(rt, news) ?? []), ...local],
      };
    },
    async diff(_id, olds, news) {
      // Before the merge: a changed host key pin against the switch, a new image against its file.
      await load().preflight(olds, news);
      // Another host or port is another switch: replace, never "update" across switches.
      const replaces = olds.host !== news.host || olds.port !== news.port ? ["host"] : [];
      const reasons = ops.changes(load(), olds, news);
      return { changes: reasons.length > 0 || replaces.length > 0, replaces };
    },
    async create(inputs) {
      const outs = await ops.apply(load(), inputs);
      return { id: `${inputs.switchName}/${ops.kind}`, outs: { ...inputs, ...outs } };
    },
    async update(_id, olds, news) {
      return { outs: { ...news, ...(await ops.apply(load(), news, olds)) } };
    },
    async read(id, props) {
      if (!props) throw new Error(`switch ${ops.kind} ${id}: no state to refresh from`);
      return { id, props: { ...props, ...(await ops.observe(load(), props)) } };
    },
    async delete() {},
  };
}

// ---------------------------------------------------------------- firmware

const firmwareProvider = switchProvider<runtimeModule.FirmwareProps, runtimeModule.FirmwareOutputs>({
  kind: "firmware",
  apply: (rt, props, previous) => rt.applyFirmware(props, previous?.members),
  observe: (rt, state) => rt.observeFirmware(state),
  changes: (rt, olds, news) => rt.firmwareNeedsChange(olds, news),
  failures: (rt, news) => rt.firmwareFailures(news),
  localFailures: (rt, olds, news) => (olds.imagePath === undefined ? rt.newImageFailures(news) : []),
});

export interface SwitchFirmwareArgs extends SwitchConnection {
  /** Local path of the image file; its file name is the name on flash. */
  imagePath: pulumi.Input<string>;
  /** Release the image runs, as `display version` prints it, e.g. "2221P25". */
  release: pulumi.Input<string>;
  /** Expected model (substring of `display version`'s model line); the upgrade refuses another. @default no check */
  model?: pulumi.Input<string>;
  /** SHA-256 of the image, checked against the file and the upload. @default computed from the file */
  sha256?: pulumi.Input<string>;
  /**
   * Reboot window on the switch's clock. With it the reboot is scheduled inside the window;
   * without it the stack is left "pending reboot" for a separate reboot step. Never reboots outside it.
   */
  maintenanceWindow?: pulumi.Input<MaintenanceWindow>;
  /**
   * IRF member IDs the stack is built of, e.g. [1, 2, 3]. A member missing from `display irf`
   * (an IRF split) stops the firmware step before any change, on the first `up` too.
   * @default the members the stored state last saw (none on the first `up`: no check then)
   */
  irfMembers?: pulumi.Input<number[]>;
}

/**
 * The firmware of one IRF stack: the image uploaded (resuming after a cut), verified,
 * set as main boot image on every member (previous one kept as backup), and the reboot
 * scheduled in the maintenance window. Refresh reports the running release, the boot
 * images per member and whether a reboot is pending.
 */
export class SwitchFirmware extends pulumi.dynamic.Resource {
  /** Release the master runs, as `display version` prints it, e.g. "2221P25". */
  declare readonly runningRelease: pulumi.Output<string>;
  /** Model the stack reports, as `display version` prints it, e.g. "A5120-24G EI". */
  declare readonly runningModel: pulumi.Output<string>;
  /** Boot images (current, main, backup) of each member. */
  declare readonly members: pulumi.Output<runtimeModule.MemberBootState[]>;
  /** The scheduled reboot as the switch prints it, e.g. "03:30 06/15/2025"; null when none is scheduled. */
  declare readonly scheduledReboot: pulumi.Output<string | null>;
  /** True when the stack still has to reboot into the desired image (scheduled or not). */
  declare readonly pendingReboot: pulumi.Output<boolean>;
  /** Where the stack stands against the desired image. */
  declare readonly status: pulumi.Output<runtimeModule.FirmwareStatus>;
  /** Byte offset the last upload by this resource resumed from (0 = from scratch); null if it made none. */
  declare readonly lastUploadResumedFrom: pulumi.Output<number | null>;

  constructor(name: string, args: SwitchFirmwareArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = [
      "runningRelease",
      "runningModel",
      "members",
      "scheduledReboot",
      "pendingReboot",
      "status",
      "lastUploadResumedFrom",
    ];
    super(
      firmwareProvider,
      name,
      inputsWithDefaults(args, "switch-firmware", outputs),
      { ...opts, additionalSecretOutputs: secretOutputs },
      SWITCH_MODULE,
      SWITCH_TYPE_NAMES.firmware,
    );
  }
}

// ---------------------------------------------------------------- configuration

const configurationProvider = switchProvider<
  runtimeModule.ConfigurationProps,
  runtimeModule.ConfigurationOutputs
>({
  kind: "configuration",
  apply: (rt, props) => rt.applyConfiguration(props),
  observe: (rt, state) => rt.observeConfiguration(state),
  changes: (rt, olds, news) => rt.configurationNeedsChange(olds, news),
});

export interface SwitchConfigurationArgs extends SwitchConnection {
  /** Desired configuration in device syntax, as `display current-configuration` prints it. */
  config: pulumi.Input<string>;
  /**
   * "sections": only the sections (and global lines) in `config` are managed;
   * "whole": everything else on the switch is removed. @default "sections"
   */
  scope?: pulumi.Input<"sections" | "whole">;
}

/**
 * The configuration of one stack: applied in system view as the diff of meaningful
 * lines (volatile lines ignored), then saved. A change made by hand shows as drift
 * (`drift` output) on refresh and as an update in preview.
 */
export class SwitchConfiguration extends pulumi.dynamic.Resource {
  /** Meaningful lines found on the switch for what this resource manages, as "section | line" strings. */
  declare readonly observed: pulumi.Output<string[]>;
  /** The +/- lines between the switch and the desired configuration, secrets masked ("" when in step). */
  declare readonly drift: pulumi.Output<string>;

  constructor(name: string, args: SwitchConfigurationArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      configurationProvider,
      name,
      {
        ...inputsWithDefaults(args, "switch-configuration", ["observed", "drift"]),
        scope: args.scope ?? "sections",
      },
      { ...opts, additionalSecretOutputs: secretOutputs },
      SWITCH_MODULE,
      SWITCH_TYPE_NAMES.configuration,
    );
  }
}

// ---------------------------------------------------------------- backup

const backupProvider = switchProvider<runtimeModule.BackupProps, runtimeModule.BackupOutputs>({
  kind: "backup",
  apply: (rt, props) => rt.takeBackup(props),
  observe: (rt, state) => rt.observeBackup(state),
  changes: (rt, olds, news) => rt.backupNeedsChange(olds, news),
});

export interface SwitchConfigBackupArgs extends SwitchConnection {
  /** Archive directory (one folder per switch, dated .cfg files with .diff beside them). */
  directory: pulumi.Input<string>;
  /** Commit each backup in the directory's git repository. @default false */
  git?: pulumi.Input<boolean>;
}

/**
 * A dated archive of one stack's running configuration with the diff against the
 * previous backup. `pulumi up --refresh` (daily, from cron or a pipeline) archives
 * a new copy only when the meaningful configuration changed.
 */
export class SwitchConfigBackup extends pulumi.dynamic.Resource {
  /** Newest archived file, relative to `directory`: "<switchName>/<UTC date and time>.cfg". */
  declare readonly latestFile: pulumi.Output<string>;
  /** Lines that changed against the previous backup, secrets masked ("" for the first backup). */
  declare readonly changes: pulumi.Output<string>;
  /** Hash of the running configuration's meaningful lines as last read; a backup is due when it moves. */
  declare readonly currentHash: pulumi.Output<string>;

  constructor(name: string, args: SwitchConfigBackupArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      backupProvider,
      name,
      {
        ...inputsWithDefaults(args, "switch-backup", [
          "currentHash",
          "archivedHash",
          "latestFile",
          "changes",
        ]),
        git: args.git ?? false,
      },
      { ...opts, additionalSecretOutputs: secretOutputs },
      SWITCH_MODULE,
      SWITCH_TYPE_NAMES.backup,
    );
  }
}
