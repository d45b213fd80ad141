// A small Comware-style command matcher: keywords may be abbreviated to any unambiguous
// prefix, and a failure names the token and the kind of error the real CLI prints.

export type CliErrorKind =
  | "Unrecognized command"
  | "Incomplete command"
  | "Too many parameters"
  | "Wrong parameter"
  | "Ambiguous command";

type ParamKind = "int" | "word" | "text" | "optText" | "time" | "clockTime" | "date" | "ip" | "delay";

type ParamSpec = { type: "param"; kind: ParamKind; min?: number; max?: number };
type TokenSpec = { type: "keywords"; words: string[] } | ParamSpec;

export interface CommandPattern<Id extends string> {
  id: Id;
  specs: TokenSpec[];
}

export interface Token {
  text: string;
  start: number;
}

export type MatchResult<Id extends string> =
  | { ok: true; id: Id; words: string[]; rest: string }
  | { ok: false; kind: CliErrorKind; column: number };

/** Compiles `display boot-loader`, `vlan <int:1-4094>`, `{main|backup}`, `description <text>`. */
export function pattern<Id extends string>(id: Id, source: string): CommandPattern<Id> {
  const specs: TokenSpec[] = source
    .trim()
    .split(/\s+/)
    .map((part): TokenSpec => {
      if (part.startsWith("{")) return { type: "keywords", words: part.slice(1, -1).split("|") };
      if (part.startsWith("<")) {
        const [kind, range] = part.slice(1, -1).split(":");
        const spec: TokenSpec = { type: "param", kind: kind as ParamKind };
        if (range) {
          const [min, max] = range.split("-").map(Number);
          spec.min = min;
          spec.max = max;
        }
        return spec;
      }
      return { type: "keywords", words: [part] };
    });
  return { id, specs };
}

export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  const re = /\S+/g;
  for (let m = re.exec(line); m; m = re.exec(line)) tokens.push({ text: m[0], start: m.index });
  return tokens;
}

function paramAccepts(spec: ParamSpec, text: string): boolean {
  switch (spec.kind) {
    case "int": {
      if (!/^\d+$/.test(text)) return false;
      const n = Number(text);
      return (spec.min === undefined || n >= spec.min) && (spec.max === undefined || n <= spec.max);
    }
    case "time":
      return /^([01]?\d|2[0-3]):[0-5]\d$/.test(text);
    case "clockTime":
      return /^([01]?\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/.test(text);
    case "date":
      return /^(\d{1,2}\/\d{1,2}\/\d{4}|\d{4}\/\d{1,2}\/\d{1,2})$/.test(text);
    case "delay":
      return /^(\d{1,3}:[0-5]\d|\d{1,6})$/.test(text);
    case "ip":
      return /^(\d{1,3})(\.\d{1,3}){3}$/.test(text) && text.split(".").every((o) => Number(o) <= 255);
    default:
      return true;
  }
}

const isRest = (spec: TokenSpec | undefined): boolean =>
  spec?.type === "param" && (spec.kind === "text" || spec.kind === "optText");

interface Candidate<Id extends string> {
  p: CommandPattern<Id>;
  words: string[];
  /** index of the token where a rest parameter started swallowing the line */
  restAt?: number;
}

/** Matches one input line against the patterns of the current view. */
export function matchCommand<Id extends string>(
  line: string,
  patterns: CommandPattern<Id>[],
): MatchResult<Id> {
  const tokens = tokenize(line);
  let candidates: Candidate<Id>[] = patterns.map((p) => ({ p, words: [] }));
  for (let i = 0; i < tokens.length; i++) {
    const text = tokens[i].text;
    const lower = text.toLowerCase();
    const rested = candidates.filter((c) => c.restAt !== undefined);
    const live = candidates.filter((c) => c.restAt === undefined && c.p.specs.length > i);
    let next: Candidate<Id>[] = [];
    let failure: CliErrorKind = "Too many parameters";
    if (live.length > 0) {
      // Keywords: an exact word wins, else a unique prefix.
      const hits = new Set<string>();
      let exact: string | null = null;
      for (const c of live) {
        const spec = c.p.specs[i];
        if (spec.type !== "keywords") continue;
        for (const w of spec.words) {
          if (w === lower) exact = w;
          if (w.startsWith(lower)) hits.add(w);
        }
      }
      const chosen = exact ?? (hits.size === 1 ? [...hits][0] : null);
      const params = live.filter((c) => c.p.specs[i].type === "param");
      if (chosen) {
        next = live
          .filter((c) => {
            const spec = c.p.specs[i];
            return spec.type === "keywords" && spec.words.includes(chosen);
          })
          .map((c) => ({ p: c.p, words: [...c.words, chosen] }));
      } else {
        next = params
          .filter((c) => paramAccepts(c.p.specs[i] as ParamSpec, text))
          .map((c) => ({
            p: c.p,
            words: [...c.words, text],
            restAt: isRest(c.p.specs[i]) ? i : undefined,
          }));
        if (hits.size > 1) failure = "Ambiguous command";
        else if (params.length > 0) failure = "Wrong parameter";
        else failure = "Unrecognized command";
      }
    }
    if (next.length > 0) candidates = [...next, ...rested];
    else if (rested.length > 0) candidates = rested;
    else return { ok: false, kind: failure, column: tokens[i].start };
  }
  const n = tokens.length;
  const complete = candidates.find(
    (c) =>
      c.restAt !== undefined ||
      c.p.specs.length === n ||
      (c.p.specs.length === n + 1 && (c.p.specs[n] as ParamSpec).kind === "optText"),
  );
  if (complete) {
    const restAt = complete.restAt;
    return {
      ok: true,
      id: complete.p.id,
      words: restAt === undefined ? complete.words : complete.words.slice(0, restAt),
      rest: restAt === undefined ? "" : line.slice(tokens[restAt].start).trim(),
    };
  }
  return { ok: false, kind: "Incomplete command", column: n > 0 ? tokens[n - 1].start : 0 };
}

/** The two lines the CLI prints under the echoed command: caret line and message. */
export function errorLines(promptLength: number, kind: CliErrorKind, column: number): string[] {
  return [" ".repeat(promptLength + column) + "^", ` % ${kind} found at '^' position.`];
}
