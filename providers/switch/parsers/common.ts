// Helpers shared by the output parsers. Parsers are pure: text in, typed value
// out, and a ParseError naming the command when the text is not what they know.

/** The output of a command did not have the shape its parser knows. */
export class ParseError extends Error {
  constructor(
    /** The command whose output could not be read, e.g. "display version". */
    readonly command: string,
    detail: string,
  ) {
    super(`cannot parse the output of "${command}": ${detail}`);
    this.name = "ParseError";
  }
}

// CSI sequences (cursor moves such as ESC[16D) and the pager marker left in
// output when paging could not be disabled.
// eslint-disable-next-line no-control-regex -- terminal escape sequences are what we strip
const ANSI_CSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
// The pager erases its marker with ESC[16D (or 42D/12D), blanks, ESC[16D: drop the blanks too.
// eslint-disable-next-line no-control-regex -- same
const PAGER_ERASE = /\x1b\[(\d+)D *\x1b\[\1D/g;
const PAGER_MARKER = /^\s*-+ More -+\s*/;

/** Normalises line endings and drops pager residue, so parsers see plain lines. */
export function cleanOutput(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(PAGER_ERASE, "")
    .replace(ANSI_CSI, "")
    .split("\n")
    .map((line) => line.replace(PAGER_MARKER, ""))
    .join("\n");
}

export function outputLines(text: string): string[] {
  return cleanOutput(text).split("\n");
}

/** A line that shows a prompt followed by a typed command, e.g. `<HOST> display irf`. */
export const PROMPT_ECHO = /^\s*[<[][\w.\-@/:()]+[>\]]/;

const UNIT_SECONDS: Record<string, number> = {
  week: 7 * 86400,
  day: 86400,
  hour: 3600,
  minute: 60,
  second: 1,
};

/** Converts "37 weeks, 4 days, 1 hour, 3 minutes" (or without spaces after commas) to seconds. */
export function uptimeToSeconds(text: string): number {
  let total = 0;
  let matched = false;
  for (const m of text.matchAll(/(\d+)\s*(week|day|hour|minute|second)s?/gi)) {
    total += Number(m[1]) * UNIT_SECONDS[m[2].toLowerCase()];
    matched = true;
  }
  if (!matched)
    throw new ParseError("display version", `uptime "${text}" has no week/day/hour/minute figures`);
  return total;
}
