// Configuration state: read, back up, and apply a desired configuration as the
// diff of meaningful lines, in system view, then save.
import type { ParsedConfig } from "../parsers/config";
import { ConfigLineError, SwitchConnectionError, SwitchError } from "../errors";
import type { SwitchSession } from "../session";
import { saveConfiguration } from "./device";
import { diffConfig, planConfigCommands, type ConfigDiff, type ConfigScope } from "./configDiff";
import { targetName, withTargetRetry, type OperationOptions, type SwitchTarget } from "./target";

/** Which configuration to read: "current" (the running one) or "saved" (the startup one). */
export type ConfigSource = "current" | "saved";

/** A configuration read from a switch. */
export interface SwitchConfig {
  /** The configuration as the device printed it (echo and prompt removed). */
  text: string;
  /** The same text parsed into sections by the profile, volatile lines dropped. */
  config: ParsedConfig;
  /** The profile the switch was read with, e.g. "comware7" (its `os`, or detected from `display version`). */
  os: string;
}

/** Reads the current or saved configuration on an open session (no retry; allows 120 s for the listing). */
export async function readConfigWith(
  session: SwitchSession,
  source: ConfigSource = "current",
): Promise<SwitchConfig> {
  const p = session.profile;
  const command =
    source === "current" ? p.commands.displayCurrentConfiguration : p.commands.displaySavedConfiguration;
  const text = await session.runChecked(command, { timeoutMs: 120_000 });
  return { text, config: p.parsers.config(text, p), os: p.id };
}

/** Reads the current or saved configuration of a switch in a fresh session, retrying transient failures. */
export function readConfig(
  target: SwitchTarget,
  source: ConfigSource = "current",
  options: OperationOptions = {},
): Promise<SwitchConfig> {
  return withTargetRetry(target, (session) => readConfigWith(session, source), options);
}

/** The running configuration of one switch, as {@link backupConfig} returns it. */
export interface ConfigBackup {
  /** Target name (`name`, else "host:port"). */
  target: string;
  /** Hostname shown in the switch's prompt (its sysname). */
  hostname: string;
  /** When the backup was taken (ISO 8601, this machine's clock). */
  takenAt: string;
  /** The running configuration text. */
  text: string;
  /** The profile the switch was read with, e.g. "comware7" (its `os`, or detected from `display version`). */
  os: string;
}

/** The running configuration of one switch, as text to archive. */
export function backupConfig(target: SwitchTarget, options: OperationOptions = {}): Promise<ConfigBackup> {
  return withTargetRetry(
    target,
    async (session) => {
      const { text, os } = await readConfigWith(session, "current");
      return {
        os,
        target: targetName(target),
        hostname: session.hostname,
        takenAt: new Date().toISOString(),
        text,
      };
    },
    options,
  );
}

/**
 * Some lines were applied before the device refused one: the running
 * configuration is half-way. It was not saved, so the saved configuration
 * still holds the previous state (a reboot would return to it).
 */
export class ConfigHalfAppliedError extends SwitchError {
  constructor(
    host: string,
    /** The command the device refused. */
    readonly failedLine: string,
    /** The device's error line for it. */
    readonly deviceError: string,
    /** Commands applied before it: they are in the running configuration, not saved. */
    readonly appliedCommands: string[],
    /** How many commands the apply had planned in all. */
    readonly totalCommands: number,
  ) {
    super(
      `configuration HALF-APPLIED on ${host}: ${appliedCommands.length} of ${totalCommands} command(s) applied, ` +
        `then "${failedLine}" was refused: ${deviceError}. The running configuration was NOT saved ` +
        `(the saved one is unchanged); fix the line and apply again, or reboot to return to the saved configuration`,
      host,
      false,
    );
  }
}

/** After applying, the device still differs from the desired configuration. */
export class ConfigNotConvergedError extends SwitchError {
  constructor(
    host: string,
    /** What still differs after applying. */
    readonly remaining: ConfigDiff,
  ) {
    super(
      `configuration on ${host} still differs from the desired one after applying (not saved):\n${remaining.text}`,
      host,
      false,
    );
  }
}

/** The configuration a switch should have. */
export interface DesiredConfig {
  /** Configuration in device syntax (as `display current-configuration` prints it). */
  text: string;
  /** @default "sections": only the sections in `text` are managed */
  scope?: ConfigScope;
}

/** Options of {@link applyConfig} and {@link applyConfigWith}. */
export interface ApplyConfigOptions extends OperationOptions {
  /** Save after applying. @default true */
  save?: boolean;
  /** Compute and return the diff without changing anything. @default false */
  dryRun?: boolean;
}

/** What applying a configuration did. */
export interface ApplyConfigResult {
  /** applyConfig: the target name (`name`, else "host:port"); applyConfigWith: the session's "host:port". */
  target: string;
  /** What differed before applying (empty when nothing had to change). */
  diff: ConfigDiff;
  /** System-view commands sent. */
  commands: string[];
  /** True when commands were sent (false on a dry run or when nothing differed). */
  applied: boolean;
  /** True when this apply saved the configuration (`save`). */
  saved: boolean;
}

/**
 * Applies a desired configuration on an open session, without retry: reads and
 * diffs the running configuration, sends the commands in system view, re-reads
 * to check that nothing differs any more, then saves (also when only the saved
 * configuration lags behind). Throws ConfigHalfAppliedError when a line is refused.
 */
export async function applyConfigWith(
  session: SwitchSession,
  desired: DesiredConfig,
  options: ApplyConfigOptions = {},
): Promise<ApplyConfigResult> {
  const p = session.profile;
  const scope = desired.scope ?? "sections";
  const wanted = p.parsers.config(desired.text, p);
  const current = await readConfigWith(session, "current");
  const diff = diffConfig(current.config, wanted, p, scope);
  const commands = diff.hasChanges ? planConfigCommands(diff, current.config, wanted, p) : [];
  const result: ApplyConfigResult = { target: session.host, diff, commands, applied: false, saved: false };
  if (options.dryRun) return result;

  if (commands.length > 0) {
    try {
      await session.configure(commands);
    } catch (error) {
      if (error instanceof ConfigLineError) {
        throw new ConfigHalfAppliedError(
          session.host,
          error.command,
          error.deviceError,
          commands.slice(0, error.appliedCount),
          commands.length,
        );
      }
      if (error instanceof SwitchConnectionError) {
        // Still transient (a new attempt re-reads and re-diffs), but say what state the switch may be in.
        throw new SwitchConnectionError(
          `${error.message} while applying configuration: possibly HALF-APPLIED and not saved`,
          session.host,
          error.code,
        );
      }
      throw error;
    }
    result.applied = true;
    const after = await readConfigWith(session, "current");
    const remaining = diffConfig(after.config, wanted, p, scope);
    if (remaining.hasChanges) throw new ConfigNotConvergedError(session.host, remaining);
  }
  // Save also when only the saved configuration lags behind the running one.
  if (options.save ?? true) {
    const saved = await readConfigWith(session, "saved");
    if (commands.length > 0 || diffConfig(saved.config, wanted, p, scope).hasChanges) {
      await saveConfiguration(session);
      result.saved = true;
    }
  }
  return result;
}

/** Applies a desired configuration (diff of meaningful lines, `undo` for removed ones) and saves it. */
export function applyConfig(
  target: SwitchTarget,
  desired: DesiredConfig,
  options: ApplyConfigOptions = {},
): Promise<ApplyConfigResult> {
  return withTargetRetry(target, (session) => applyConfigWith(session, desired, options), options).then(
    (r) => ({
      ...r,
      target: targetName(target),
    }),
  );
}
