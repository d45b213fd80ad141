// Switch stacks as Pulumi resources (dynamic providers): firmware state,
// configuration state and configuration backup. The providers are thin: each
// method loads runtime.ts inside the engine's provider process and calls it.
import * as pulumi from "@pulumi/pulumi";
import type * as runtimeModule from "./runtime";
import type { MaintenanceWindow } from "./operations/firmwarePlan";

// Resolved now, in the program; required later, in the provider process. From
// the TypeScript sources (the repository) a TS loader is registered first;
// from the published package (dist/) this is plain JavaScript.
const runtimePath = require.resolve("./runtime");

function load(): typeof runtimeModule {
  if (runtimePath.endsWith(".ts")) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require("tsx/cjs/api").register();
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(runtimePath) as typeof runtimeModule;
}

/** How to reach one switch stack. Passwords and keys must be Pulumi secrets. */
export interface SwitchConnection {
  /** Name used in messages, state and the backup archive, e.g. "psv-r1". */
  switchName: pulumi.Input<string>;
  host: pulumi.Input<string>;
  /** @default 22 */
  port?: pulumi.Input<number>;
  username: pulumi.Input<string>;
  /** Password authentication: pass `pulumi.secret(...)` or a secret config value. */
  password?: pulumi.Input<string>;
  /** Private key (OpenSSH/PEM) for key authentication: a secret. */
  privateKey?: pulumi.Input<string>;
  /** Pinned host key, "SHA256:..." as `ssh-keygen -lf` prints it. Required: no trust on first use. */
  hostKeySha256: pulumi.Input<string>;
  /** @default 15000 */
  connectTimeoutMs?: pulumi.Input<number>;
  /** @default 30000 */
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

// ---------------------------------------------------------------- firmware

type FirmwareState = runtimeModule.FirmwareProps & runtimeModule.FirmwareOutputs;

const firmwareProvider: pulumi.dynamic.ResourceProvider<runtimeModule.FirmwareProps, FirmwareState> = {
  async check(_olds, news) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (!news.imagePath)
      failures.push({ property: "imagePath", reason: "give the local path of the image file" });
    if (!news.release)
      failures.push({ property: "release", reason: 'give the release the image runs, e.g. "2221P25"' });
    return { inputs: news, failures };
  },
  async diff(_id, olds, news) {
    const reasons = load().firmwareNeedsChange(olds, news);
    const replaces = olds.host !== news.host || olds.port !== news.port ? ["host"] : [];
    return { changes: reasons.length > 0 || replaces.length > 0, replaces };
  },
  async create(inputs) {
    const outs = await load().applyFirmware(inputs);
    return { id: `${inputs.switchName}/firmware`, outs: { ...inputs, ...outs } };
  },
  async update(_id, _olds, news) {
    return { outs: { ...news, ...(await load().applyFirmware(news)) } };
  },
  async read(id, props) {
    if (!props) throw new Error(`switch firmware ${id}: no state to refresh from`);
    return { id, props: { ...props, ...(await load().observeFirmware(props)) } };
  },
  // Forgetting a stack never downgrades or reboots it.
  async delete() {},
};

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
}

/**
 * The firmware of one IRF stack: the image uploaded (resuming after a cut), verified,
 * set as main boot image on every member (previous one kept as backup), and the reboot
 * scheduled in the maintenance window. Refresh reports the running release, the boot
 * images per member and whether a reboot is pending.
 */
export class SwitchFirmware extends pulumi.dynamic.Resource {
  declare readonly runningRelease: pulumi.Output<string>;
  declare readonly members: pulumi.Output<runtimeModule.MemberBootState[]>;
  declare readonly scheduledReboot: pulumi.Output<string | null>;
  declare readonly pendingReboot: pulumi.Output<boolean>;
  declare readonly status: pulumi.Output<runtimeModule.FirmwareStatus>;
  declare readonly lastUploadResumedFrom: pulumi.Output<number | null>;

  constructor(name: string, args: SwitchFirmwareArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = [
      "runningRelease",
      "model",
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
      "switch",
      "Firmware",
    );
  }
}

// ---------------------------------------------------------------- configuration

type ConfigurationState = runtimeModule.ConfigurationProps & runtimeModule.ConfigurationOutputs;

const configurationProvider: pulumi.dynamic.ResourceProvider<
  runtimeModule.ConfigurationProps,
  ConfigurationState
> = {
  async diff(_id, olds, news) {
    const replaces = olds.host !== news.host || olds.port !== news.port ? ["host"] : [];
    const changed = olds.config !== news.config || olds.scope !== news.scope || olds.drift !== "";
    return { changes: changed || replaces.length > 0, replaces };
  },
  async create(inputs) {
    const outs = await load().applyConfiguration(inputs);
    return { id: `${inputs.switchName}/configuration`, outs: { ...inputs, ...outs } };
  },
  async update(_id, _olds, news) {
    return { outs: { ...news, ...(await load().applyConfiguration(news)) } };
  },
  async read(id, props) {
    if (!props) throw new Error(`switch configuration ${id}: no state to refresh from`);
    return { id, props: { ...props, ...(await load().observeConfiguration(props)) } };
  },
  // Forgetting a configuration leaves the switch as it is: unconfiguring could cut a network room off.
  async delete() {},
};

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
  declare readonly observed: pulumi.Output<string[]>;
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
      "switch",
      "Configuration",
    );
  }
}

// ---------------------------------------------------------------- backup

type BackupState = runtimeModule.BackupProps & runtimeModule.BackupOutputs;

const backupProvider: pulumi.dynamic.ResourceProvider<runtimeModule.BackupProps, BackupState> = {
  async diff(_id, olds, news) {
    const changed =
      olds.currentHash !== olds.archivedHash || olds.directory !== news.directory || olds.git !== news.git;
    return { changes: changed };
  },
  async create(inputs) {
    const outs = await load().takeBackup(inputs);
    return { id: `${inputs.switchName}/backup`, outs: { ...inputs, ...outs } };
  },
  async update(_id, _olds, news) {
    return { outs: { ...news, ...(await load().takeBackup(news)) } };
  },
  async read(id, props) {
    if (!props) throw new Error(`switch backup ${id}: no state to refresh from`);
    return { id, props: { ...props, ...(await load().observeBackup(props)) } };
  },
  // The archive is history: removing the resource keeps it.
  async delete() {},
};

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
  declare readonly latestFile: pulumi.Output<string>;
  declare readonly changes: pulumi.Output<string>;
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
      "switch",
      "ConfigBackup",
    );
  }
}
