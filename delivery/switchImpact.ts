// What a planned step means for a switch stack, in the words of a network
// team: which IRF members reboot and in which window, how many configuration
// lines move, and that a stack removed from the program is left untouched
// (the switch provider never touches a switch on delete). Pure.
import {
  SWITCH_BACKUP_TYPE,
  SWITCH_CONFIGURATION_TYPE,
  SWITCH_FIRMWARE_TYPE,
} from "../providers/switch/tokens";
import { parseUrn, type PreviewStep, type ResourceState } from "./previewJson";
import { lineDiff } from "./lineDiff";
import { SECRET_PLACEHOLDER } from "./redact";

/** The three switch resources. */
export type SwitchKind = "firmware" | "configuration" | "backup";

/** Which switch resource a type token is (tokens from the provider's own contract). */
const KINDS: Record<string, SwitchKind> = {
  [SWITCH_FIRMWARE_TYPE]: "firmware",
  [SWITCH_CONFIGURATION_TYPE]: "configuration",
  [SWITCH_BACKUP_TYPE]: "backup",
};

/** What one step does to one switch stack. */
export interface SwitchImpact {
  /** The switch stack's name (the resources' `switchName`), e.g. "psv-r1". */
  switchStack: string;
  /** Which of the stack's resources the step is about. */
  kind: SwitchKind;
  /** One short sentence saying what happens on the switch. */
  meaning: string;
  /** IRF members that will reboot (empty when none will). */
  rebootingMembers: number[];
}

interface Window {
  start: string;
  end: string;
}

function inputsOf(state: ResourceState | undefined): Record<string, unknown> {
  return state?.inputs ?? {};
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function windowOf(value: unknown): Window | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const w = value as Record<string, unknown>;
  return typeof w.start === "string" && typeof w.end === "string"
    ? { start: w.start, end: w.end }
    : undefined;
}

function windowText(w: Window | undefined): string {
  return w ? `${w.start}–${w.end}` : "none";
}

function baseName(file: string | undefined): string {
  return (file ?? "").split(/[\\/]/).pop()?.toLowerCase() ?? "";
}

/** IRF member IDs the last refresh recorded, in order. */
function membersOf(state: ResourceState | undefined): number[] {
  const members = state?.outputs?.members;
  if (!Array.isArray(members)) return [];
  return members
    .map((m) => (typeof m === "object" && m !== null ? (m as { member?: unknown }).member : undefined))
    .filter((m): m is number => typeof m === "number")
    .sort((a, b) => a - b);
}

function memberList(members: number[]): string {
  if (members.length === 0) return "every member";
  return `member${members.length > 1 ? "s" : ""} ${members.join(", ")}`;
}

function firmwareMeaning(step: PreviewStep, op: string): Pick<SwitchImpact, "meaning" | "rebootingMembers"> {
  const olds = inputsOf(step.oldState);
  const news = inputsOf(step.newState);
  const window = windowOf(news.maintenanceWindow);
  const release = text(news.release) ?? "(unknown)";
  const when = window
    ? `reboot in the maintenance window ${windowText(window)} (switch clock)`
    : "no maintenance window: the reboot is left pending, nothing reboots";
  const members = membersOf(step.oldState);
  const statusBefore = step.oldState?.outputs?.status;
  const imageMoves =
    op === "create" ||
    op === "replace" ||
    baseName(text(olds.imagePath)) !== baseName(text(news.imagePath)) ||
    olds.release !== news.release ||
    statusBefore === "needs-install";
  if (imageMoves) {
    const from = text(step.oldState?.outputs?.runningRelease as string) ?? text(olds.release);
    const change = from && from !== release ? `${from} → ${release}` : release;
    const who = op === "create" && members.length === 0 ? "every member" : memberList(members);
    return {
      meaning: `firmware ${change}: ${who} will boot ${baseName(text(news.imagePath))}; ${when}`,
      rebootingMembers: members,
    };
  }
  const oldWindow = windowOf(olds.maintenanceWindow);
  if (windowText(oldWindow) !== windowText(window)) {
    return {
      meaning: `maintenance window ${windowText(oldWindow)} → ${windowText(window)} (switch clock); firmware stays ${release}`,
      rebootingMembers: statusBefore === "pending-reboot" && window ? members : [],
    };
  }
  if (statusBefore === "pending-reboot" && window)
    return {
      meaning: `firmware ${release} is installed, reboot pending: ${memberList(members)} will ${when}`,
      rebootingMembers: members,
    };
  return { meaning: `firmware ${release}: no reboot`, rebootingMembers: [] };
}

function configurationMeaning(step: PreviewStep): string {
  const before = text(step.oldState?.inputs?.config);
  const after = text(step.newState?.inputs?.config);
  const drift = text(step.oldState?.outputs?.drift);
  if (
    before === undefined ||
    after === undefined ||
    before === SECRET_PLACEHOLDER ||
    after === SECRET_PLACEHOLDER
  )
    return "configuration (partly secret, not shown) applied in system view and saved; no reboot";
  if (before === after)
    return drift
      ? "configuration changed by hand on the switch: put back as declared and saved; no reboot"
      : "configuration re-applied and saved; no reboot";
  const diff = lineDiff(before, after);
  return `configuration +${diff.added} −${diff.removed} lines, applied in system view and saved; no reboot`;
}

/**
 * The switch meaning of a step, or undefined when the step is not about one of
 * socle's switch resources. `op` is the normalised operation (replace, delete,
 * create, update…).
 */
export function switchImpactOf(step: PreviewStep, op: string): SwitchImpact | undefined {
  const inputs = { ...inputsOf(step.oldState), ...inputsOf(step.newState) };
  const type = step.newState?.type ?? step.oldState?.type ?? parseUrn(step.urn).type;
  const kind = KINDS[type];
  const switchStack = text(inputs.switchName);
  if (!kind || !switchStack) return undefined;
  if (op === "delete") {
    const what =
      kind === "backup"
        ? "backups stop; the archive already taken is kept"
        : `${kind} no longer managed: socle leaves the switch as it is (no downgrade, no reboot, nothing unconfigured)`;
    return { switchStack, kind, meaning: what, rebootingMembers: [] };
  }
  if (kind === "firmware") return { switchStack, kind, ...firmwareMeaning(step, op) };
  if (kind === "configuration")
    return { switchStack, kind, meaning: configurationMeaning(step), rebootingMembers: [] };
  return {
    switchStack,
    kind,
    meaning: op === "create" ? "first backup archived" : "a new backup is archived",
    rebootingMembers: [],
  };
}
