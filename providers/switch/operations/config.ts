// Configuration state: read, back up, and apply a desired configuration as the
// diff of meaningful lines, in system view, then save.
import type { ParsedConfig } from "../parsers/config";
import { ConfigLineError, SwitchConnectionError, SwitchError, type SwitchSession } from "../session";
import { diffConfig, planConfigCommands, type ConfigDiff, type ConfigScope } from "./configDiff";
import { targetName, withTargetRetry, type OperationOptions, type SwitchTarget } from "./target";

export type ConfigSource = "current" | "saved";

export interface SwitchConfig {
  /** The configuration as the device printed it (echo and prompt removed). */
  text: string;
  config: ParsedConfig;
}

export async function readConfigWith(
  session: SwitchSession,
  source: ConfigSource = "current",
): Promise<SwitchConfig> {
  const p = session.profile;
  const command =
    source === "current" ? p.commands.displayCurrentConfiguration : p.commands.displaySavedConfiguration;
  const text = await session.runChecked(command, { timeoutMs: 120_000 });
  return { text, config: p.parsers.config(text, p) };
}

export function readConfig(
  target: SwitchTarget,
  source: ConfigSource = "current",
  options: OperationOptions = {},
): Promise<SwitchConfig> {
  return withTargetRetry(target, (session) => readConfigWith(session, source), options);
}

export interface ConfigBackup {
  target: string;
  hostname: string;
  /** When the backup was taken (ISO 8601, this machine's clock). */
  takenAt: string;
  /** The running configuration text. */
  text: string;
}

/** The running configuration of one switch, as text to archive. */
export function backupConfig(target: SwitchTarget, options: OperationOptions = {}): Promise<ConfigBackup> {
  return withTargetRetry(
    target,
    async (session) => {
      const { text } = await readConfigWith(session, "current");
      return {
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
    readonly failedLine: string,
    readonly deviceError: string,
    readonly appliedCommands: string[],
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
    readonly remaining: ConfigDiff,
  ) {
    super(
      `configuration on ${host} still differs from the desired one after applying (not saved):\n${remaining.text}`,
      host,
      false,
    );
  }
}

export interface DesiredConfig {
  /** Configuration in device syntax (as `display current-configuration` prints it). */
  text: string;
  /** @default "sections": only the sections in `text` are managed */
  scope?: ConfigScope;
}

export interface ApplyConfigOptions extends OperationOptions {
  /** Save after applying. @default true */
  save?: boolean;
  /** Compute and return the diff without changing anything. @default false */
  dryRun?: boolean;
}

export interface ApplyConfigResult {
  target: string;
  /** What differed before applying (empty when nothing had to change). */
  diff: ConfigDiff;
  /** System-view commands sent. */
  commands: string[];
  applied: boolean;
  saved: boolean;
}

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
      await session.save();
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
