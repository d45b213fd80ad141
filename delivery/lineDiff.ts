// A line diff of two multi-line texts (a switch configuration, a cloud-init
// file), as `pulumi preview --diff` and Terraform show them: only the changed
// lines with a little context, and a line saying how many unchanged lines each
// gap hides, so nothing is ever cut without saying so. Pure.

/** One line of a diff: kept for context, removed or added. */
export interface DiffLine {
  /** " " context, "-" removed, "+" added. */
  mark: " " | "-" | "+";
  /** The line's text, without its newline. */
  text: string;
}

/** A run of changed lines with their context, or a gap of unchanged lines left out. */
export type DiffPiece =
  | {
      /** Changed lines and their context, in order. */
      lines: DiffLine[];
    }
  | {
      /** How many unchanged lines stand between two pieces of lines. */
      hiddenUnchanged: number;
    };

/** The diff of two texts, ready to render. */
export interface LineDiff {
  /** Changed lines with context, and the gaps between them. */
  pieces: DiffPiece[];
  /** Lines added. */
  added: number;
  /** Lines removed. */
  removed: number;
}

/** Above this many lines between the common head and tail, lines are paired greedily, not minimally. */
const EXACT_LIMIT = 2000;

/** Edit script of two line arrays: longest common subsequence on the part that differs. */
function editScript(a: string[], b: string[]): DiffLine[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const middle: DiffLine[] = [];
  if (midA.length * midB.length > EXACT_LIMIT * EXACT_LIMIT || midA.length === 0 || midB.length === 0) {
    // Too big for the table (or one side is empty): everything in between is removed then added.
    for (const text of midA) middle.push({ mark: "-", text });
    for (const text of midB) middle.push({ mark: "+", text });
  } else {
    // lcs[i][j] = length of the longest common subsequence of midA[i..] and midB[j..].
    const width = midB.length + 1;
    const lcs = new Uint32Array((midA.length + 1) * width);
    for (let i = midA.length - 1; i >= 0; i--) {
      for (let j = midB.length - 1; j >= 0; j--) {
        lcs[i * width + j] =
          midA[i] === midB[j]
            ? lcs[(i + 1) * width + j + 1] + 1
            : Math.max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < midA.length || j < midB.length) {
      if (i < midA.length && j < midB.length && midA[i] === midB[j]) {
        middle.push({ mark: " ", text: midA[i] });
        i++;
        j++;
      } else if (
        j >= midB.length ||
        (i < midA.length && lcs[(i + 1) * width + j] >= lcs[i * width + j + 1])
      ) {
        middle.push({ mark: "-", text: midA[i] });
        i++;
      } else {
        middle.push({ mark: "+", text: midB[j] });
        j++;
      }
    }
  }
  const context = (lines: string[]) => lines.map((text): DiffLine => ({ mark: " ", text }));
  return [...context(a.slice(0, head)), ...middle, ...context(a.slice(a.length - tail))];
}

function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split(/\r?\n/);
  // A final newline ends the last line; it does not start an empty one.
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/**
 * Diffs two texts line by line, keeping `context` unchanged lines around each
 * change; longer runs of unchanged lines become `{ hiddenUnchanged: n }`.
 */
export function lineDiff(before: string, after: string, context = 2): LineDiff {
  const script = editScript(splitLines(before), splitLines(after));
  const changed = script.map((line) => line.mark !== " ");
  // A line is shown when a change lies within `context` lines of it.
  const shown = script.map((_, index) => {
    for (let k = Math.max(0, index - context); k <= Math.min(script.length - 1, index + context); k++)
      if (changed[k]) return true;
    return false;
  });
  const pieces: DiffPiece[] = [];
  let index = 0;
  while (index < script.length) {
    const start = index;
    const visible = shown[index];
    while (index < script.length && shown[index] === visible) index++;
    if (visible) pieces.push({ lines: script.slice(start, index) });
    else pieces.push({ hiddenUnchanged: index - start });
  }
  return {
    pieces,
    added: script.filter((l) => l.mark === "+").length,
    removed: script.filter((l) => l.mark === "-").length,
  };
}

/** The diff as the lines of a ```diff block: "@@ n unchanged lines @@" marks each gap. */
export function diffText(diff: LineDiff): string[] {
  return diff.pieces.flatMap((piece) =>
    "hiddenUnchanged" in piece
      ? [`@@ ${piece.hiddenUnchanged} unchanged line${piece.hiddenUnchanged === 1 ? "" : "s"} @@`]
      : piece.lines.map((line) => `${line.mark}${line.text}`),
  );
}

/** The same diff with each line's text passed through `map` (e.g. to mask secrets). */
export function mapLines(diff: LineDiff, map: (text: string) => string): LineDiff {
  return {
    ...diff,
    pieces: diff.pieces.map((piece) =>
      "hiddenUnchanged" in piece
        ? piece
        : { lines: piece.lines.map((line) => ({ mark: line.mark, text: map(line.text) })) },
    ),
  };
}

/** True for a value worth a line diff: a string of more than one line. */
export function isMultiLine(value: unknown): value is string {
  return typeof value === "string" && /\r?\n./.test(value);
}
