// Pure configuration planning: the diff of meaningful lines between two
// configurations (volatile lines already dropped by the parser), and the
// system-view commands that turn one into the other.
import type { ConfigSection, ParsedConfig } from "../parsers/config";
import type { DeviceProfile } from "../profiles/types";

/**
 * "whole": the desired text is the entire configuration; anything else is removed.
 * "sections": only the sections present in the desired text are managed (each one
 * entirely); global lines it lists are ensured present, other globals are left alone.
 */
export type ConfigScope = "whole" | "sections";

/** How one section differs. */
export interface SectionDiff {
  /** Section header, or null for the global commands. */
  header: string | null;
  /** "added": the section is new; "removed": it goes away; "changed": some of its lines differ. */
  status: "added" | "removed" | "changed";
  /** Lines to add, as in the section (nested views keep their extra indentation). */
  added: string[];
  /** Lines to remove. */
  removed: string[];
}

/** The difference between two configurations, section by section. */
export interface ConfigDiff {
  /** Differing sections, in the desired configuration's order, then the removed ones. */
  sections: SectionDiff[];
  /** True when any section differs. */
  hasChanges: boolean;
  /** Stable human-readable rendering ("+"/"-" lines grouped by section), secrets masked. */
  text: string;
}

/** A configuration as device text (parsed with the profile) or already parsed. */
export type ConfigInput = string | ParsedConfig;

function parsed(input: ConfigInput, profile: DeviceProfile): ParsedConfig {
  return typeof input === "string" ? profile.parsers.config(input, profile) : input;
}

function sectionMap(config: ParsedConfig): Map<string | null, ConfigSection> {
  return new Map(config.sections.map((s) => [s.header, s]));
}

/** Lines of `a` not in `b`, in `a`'s order (configuration lines are unique within a section). */
function minus(a: string[], b: string[]): string[] {
  const other = new Set(b);
  return a.filter((line) => !other.has(line));
}

/** Replaces the secret part of a line with "<secret>" so diffs can be shown and logged. */
export function maskSecrets(line: string, profile: DeviceProfile): string {
  for (const re of profile.config.secretLines) {
    const m = re.exec(line);
    if (m) return `${m[1]} <secret>`;
  }
  return line;
}

/**
 * Compares two configurations by their meaningful lines. With `scope` "whole"
 * (the default here) whatever `newConfig` lacks is reported as removed; with
 * "sections" only the sections it lists are compared, and global lines it does
 * not list are left alone.
 */
export function diffConfig(
  oldConfig: ConfigInput,
  newConfig: ConfigInput,
  profile: DeviceProfile,
  scope: ConfigScope = "whole",
): ConfigDiff {
  const before = parsed(oldConfig, profile);
  const after = parsed(newConfig, profile);
  const oldSections = sectionMap(before);
  const newHeaders = new Set(after.sections.map((s) => s.header));
  const sections: SectionDiff[] = [];

  for (const wanted of after.sections) {
    const existing = oldSections.get(wanted.header);
    if (!existing) {
      if (wanted.lines.length > 0 || wanted.header !== null) {
        sections.push({ header: wanted.header, status: "added", added: [...wanted.lines], removed: [] });
      }
      continue;
    }
    const added = minus(wanted.lines, existing.lines);
    // Outside "whole" scope, globals the desired text does not mention are not ours to remove.
    const removed = scope === "sections" && wanted.header === null ? [] : minus(existing.lines, wanted.lines);
    if (added.length > 0 || removed.length > 0)
      sections.push({ header: wanted.header, status: "changed", added, removed });
  }
  if (scope === "whole") {
    for (const existing of before.sections) {
      if (newHeaders.has(existing.header)) continue;
      if (existing.header === null) {
        if (existing.lines.length > 0) {
          sections.push({ header: null, status: "changed", added: [], removed: [...existing.lines] });
        }
        continue;
      }
      // An empty section that cannot be removed (a physical interface) carries no configuration.
      const removable = profile.config.removableSections.some((re) => re.test(existing.header!));
      if (existing.lines.length === 0 && !removable) continue;
      sections.push({ header: existing.header, status: "removed", added: [], removed: [...existing.lines] });
    }
  }
  return { sections, hasChanges: sections.length > 0, text: renderDiff(sections, profile) };
}

function renderDiff(sections: SectionDiff[], profile: DeviceProfile): string {
  const out: string[] = [];
  for (const s of sections) {
    const mark = s.status === "added" ? "+" : s.status === "removed" ? "-" : "~";
    out.push(`${mark} ${s.header ?? "(global)"}`);
    for (const line of s.removed) out.push(`-   ${maskSecrets(line, profile)}`);
    for (const line of s.added) out.push(`+   ${maskSecrets(line, profile)}`);
  }
  return out.length === 0 ? "" : out.join("\n") + "\n";
}

/** The key a single-valued command sets (e.g. "description"), or null. */
function singleValuedKey(line: string, profile: DeviceProfile): string | null {
  for (const re of profile.config.singleValued) {
    const m = re.exec(line.trim());
    if (m) return m[1];
  }
  return null;
}

/** The command that removes one configuration line. */
export function undoLine(line: string, profile: DeviceProfile): string {
  const trimmed = line.trim();
  if (trimmed.startsWith("undo ")) return trimmed.slice("undo ".length);
  const key = singleValuedKey(trimmed, profile);
  return `undo ${key ?? trimmed}`;
}

/** Removed lines whose single-valued key is set again by an added line need no undo. */
function linesToUndo(removed: string[], added: string[], profile: DeviceProfile): string[] {
  const keysSetAgain = new Set(added.map((l) => singleValuedKey(l, profile)).filter((k) => k !== null));
  return removed.filter((line) => {
    const key = singleValuedKey(line, profile);
    return key === null || !keysSetAgain.has(key);
  });
}

const isNested = (line: string): boolean => line.startsWith(" ");

/** The depth-1 line a nested line belongs to, from the section it came from. */
function parentOf(line: string, section: ConfigSection | undefined): string | null {
  if (!section) return null;
  const index = section.lines.indexOf(line);
  for (let i = index - 1; i >= 0; i--) if (!isNested(section.lines[i])) return section.lines[i];
  return null;
}

/** Commands for the lines of one section view, handling nested views (parent line, child, quit). */
function sectionBody(
  diff: SectionDiff,
  oldSection: ConfigSection | undefined,
  newSection: ConfigSection | undefined,
  profile: DeviceProfile,
): string[] {
  const out: string[] = [];
  const removedTop = diff.removed.filter((l) => !isNested(l));
  const addedTop = diff.added.filter((l) => !isNested(l));
  // Nested lines under a parent that is itself removed disappear with it.
  const removedNested = diff.removed.filter(
    (l) => isNested(l) && !removedTop.includes(parentOf(l, oldSection) ?? ""),
  );
  for (const line of linesToUndo(removedNested, diff.added.filter(isNested), profile)) {
    const parent = parentOf(line, oldSection);
    if (parent) out.push(parent, undoLine(line, profile), profile.commands.quitView);
  }
  for (const line of linesToUndo(removedTop, addedTop, profile)) out.push(undoLine(line, profile));
  for (const line of diff.added) {
    if (!isNested(line)) {
      out.push(line);
      continue;
    }
    const parent = parentOf(line, newSection);
    if (parent) out.push(parent, line.trim(), profile.commands.quitView);
  }
  return out;
}

/**
 * System-view commands that apply `diff` (removals first, in reverse, then
 * additions in device order with the global commands last, since those such as
 * routes usually refer to interfaces and users defined in sections).
 */
export function planConfigCommands(
  diff: ConfigDiff,
  oldConfig: ConfigInput,
  newConfig: ConfigInput,
  profile: DeviceProfile,
): string[] {
  const before = sectionMap(parsed(oldConfig, profile));
  const after = sectionMap(parsed(newConfig, profile));
  const quit = profile.commands.quitView;
  const commands: string[] = [];

  const globalDiff = diff.sections.find((s) => s.header === null);
  if (globalDiff) {
    const undo = linesToUndo(globalDiff.removed, globalDiff.added, profile);
    commands.push(...undo.map((l) => undoLine(l, profile)));
  }
  for (const s of [...diff.sections].reverse()) {
    if (s.status !== "removed" || s.header === null) continue;
    if (profile.config.removableSections.some((re) => re.test(s.header!))) {
      commands.push(`undo ${s.header}`);
    } else if (s.removed.length > 0) {
      commands.push(s.header, ...sectionBody(s, before.get(s.header), undefined, profile), quit);
    }
  }
  for (const s of diff.sections) {
    if (s.header === null || s.status === "removed") continue;
    commands.push(s.header, ...sectionBody(s, before.get(s.header), after.get(s.header), profile), quit);
  }
  if (globalDiff) {
    commands.push(...globalDiff.added.map((l) => l.trim()));
  }
  return commands;
}

/** Parses desired configuration text with the profile (convenience for callers holding text). */
export function parseDesiredConfig(text: string, profile: DeviceProfile): ParsedConfig {
  return profile.parsers.config(text, profile);
}
