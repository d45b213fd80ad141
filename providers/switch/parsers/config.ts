// `display current-configuration` / `display saved-configuration`: blocks
// separated by "#". A line at column 0 opens a section (interface, vlan,
// user-interface ...) whose children are indented; an indented line outside a
// section is a global command. Volatile lines (per profile) are dropped so
// that what remains is the configuration someone meant.
import { PROMPT_ECHO, outputLines } from "./common";

export interface ConfigSyntax {
  volatileLines: RegExp[];
  endMarker: string;
  separator: string;
}

/** One section of a configuration, or the global commands. */
export interface ConfigSection {
  /** The header line ("interface GigabitEthernet1/0/1"), or null for the global commands. */
  header: string | null;
  /**
   * Child lines with the section's indentation (one space) removed; lines of a
   * nested view (e.g. an OSPF area) keep their extra leading spaces.
   */
  lines: string[];
}

/** A configuration split into sections, volatile lines dropped. */
export interface ParsedConfig {
  /** The global block first (header null), then sections in device order. */
  sections: ConfigSection[];
}

function isVolatile(line: string, syntax: ConfigSyntax): boolean {
  const trimmed = line.trim();
  return syntax.volatileLines.some((re) => re.test(trimmed));
}

export function parseConfig(text: string, syntax: ConfigSyntax): ParsedConfig {
  const global: ConfigSection = { header: null, lines: [] };
  const sections: ConfigSection[] = [global];
  const byHeader = new Map<string, ConfigSection>();
  let current: ConfigSection | null = null;

  for (const raw of outputLines(text)) {
    const line = raw.replace(/\s+$/, "");
    if (line.trim() === syntax.endMarker) break;
    if (line === "" || PROMPT_ECHO.test(line)) continue;
    if (line.trim() === syntax.separator) {
      current = null;
      continue;
    }
    if (isVolatile(line, syntax)) continue;
    if (!/^\s/.test(line)) {
      // Section header; a repeated header continues the same section.
      const existing = byHeader.get(line);
      if (existing) current = existing;
      else {
        current = { header: line, lines: [] };
        byHeader.set(line, current);
        sections.push(current);
      }
      continue;
    }
    const child = line.slice(1);
    (current ?? global).lines.push(child);
  }
  return { sections };
}

/** Renders a parsed configuration back to device syntax (for backups and desired-state inputs). */
export function renderConfig(config: ParsedConfig, syntax: ConfigSyntax): string {
  const out: string[] = [syntax.separator];
  for (const section of config.sections) {
    if (section.header === null) {
      if (section.lines.length === 0) continue;
      out.push(...section.lines.map((l) => ` ${l}`), syntax.separator);
      continue;
    }
    out.push(section.header, ...section.lines.map((l) => ` ${l}`), syntax.separator);
  }
  out.push(syntax.endMarker);
  return out.join("\n") + "\n";
}
