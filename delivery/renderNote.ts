// Renders a stack's preview as GitLab-flavoured Markdown notes. Pure: the
// publisher decides where the notes go. A hidden marker at the top of each
// note names the stack and the part, so a later pipeline finds and updates it.
import { diffText, type LineDiff } from "./lineDiff";
import type { PropertyChange, ResourceChange, StackPreview } from "./summarize";

/** GitLab refuses notes longer than this many characters. */
export const GITLAB_NOTE_LIMIT = 1_000_000;

/** Options of {@link renderStackNotes} and {@link previewBlocks}. */
export interface RenderOptions {
  /** Longest note; longer previews are split into numbered notes. @default 1,000,000 (GitLab's limit) */
  maxNoteChars?: number;
  /** Resource diffs are shown unfolded up to this many changed resources, folded above. @default 10 */
  unfoldUpTo?: number;
  /** Commit the preview was made for, shown in the footer. @default no footer line for it */
  commitSha?: string;
  /** Link to the pipeline or job, shown in the footer. @default no link */
  pipelineUrl?: string;
  /** A line diff longer than this many lines is folded (its summary says how many lines it holds). @default 40 */
  foldLinesAbove?: number;
}

const MARKER_PREFIX = "<!-- socle-preview";
const MARKER_PATTERN = /^<!-- socle-preview key="([^"]*)" part="(\d+)" -->/;

/**
 * A stack key as it is written in a note's marker. A `"` would end the
 * attribute and a `--` the HTML comment, so they become `'` and `-`.
 * Publishing compares markers through this function too, so any key finds its own notes.
 */
export function markerKey(key: string): string {
  return key.replace(/"/g, "'").replace(/-{2,}/g, "-");
}

/** The hidden first line of a note. */
export function noteMarker(key: string, part: number): string {
  return `${MARKER_PREFIX} key="${markerKey(key)}" part="${part}" -->`;
}

/** Reads a note's marker; undefined for notes socle did not write. */
export function parseNoteMarker(body: string):
  | {
      /** The stack's note key, as written in the marker. */
      key: string;
      /** Part number, from 1. */
      part: number;
    }
  | undefined {
  const match = MARKER_PATTERN.exec(body);
  return match ? { key: match[1], part: Number(match[2]) } : undefined;
}

const OP_ICON: Record<string, string> = {
  replace: "🔁",
  delete: "🗑️",
  create: "➕",
  update: "✏️",
  import: "📥",
  read: "📖",
};
const OP_VERB: Record<string, string> = {
  replace: "to replace",
  delete: "to delete",
  create: "to create",
  update: "to update",
  import: "to import",
  read: "to read",
  same: "unchanged",
};

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A code fence longer than any backtick run in the content, so values cannot close it. */
function fenceFor(content: string): string {
  const longest = Math.max(0, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  return "`".repeat(Math.max(3, longest + 1));
}

const OP_ORDER = ["replace", "delete", "create", "update", "import", "read"];

/** Operations with a count, most dangerous first, "same" last. */
function orderedOps(counts: Record<string, number>): string[] {
  const others = Object.keys(counts).filter((op) => !OP_ORDER.includes(op) && op !== "same");
  return [...OP_ORDER, ...others, "same"].filter((op) => (counts[op] ?? 0) > 0);
}

function countsLine(counts: Record<string, number>): string {
  const parts = orderedOps(counts)
    .filter((op) => op !== "same")
    .map((op) => `**${counts[op]} ${OP_VERB[op] ?? op}**`);
  const same = counts.same ?? 0;
  if (parts.length === 0) return `No changes (${same} unchanged).`;
  return `${parts.join(", ")}${same > 0 ? `, ${same} unchanged` : ""}.`;
}

function countsTable(counts: Record<string, number>): string {
  const rows = orderedOps(counts).map(
    (op) => `| ${OP_ICON[op] ?? "•"} ${op === "same" ? "unchanged" : op} | ${counts[op]} |`,
  );
  return rows.length === 0 ? "" : ["| Operation | Resources |", "| --- | ---: |", ...rows].join("\n");
}

/** What the resource is, for a reader: "switch firmware" for socle's switch resources, else its type token. */
function resourceKind(change: ResourceChange): string {
  return change.switchImpact ? `switch ${change.switchImpact.kind}` : change.type;
}

function resourceTitle(change: ResourceChange): string {
  return `${OP_ICON[change.op] ?? "•"} ${change.op} <code>${escapeHtml(resourceKind(change))}</code> <b>${escapeHtml(change.name)}</b>`;
}

function dangerLine(change: ResourceChange): string {
  const because =
    change.replaceReasons.length > 0
      ? ` because of ${change.replaceReasons.map((r) => `\`${r}\``).join(", ")} changing`
      : "";
  const meaning = change.switchImpact ? `: ${change.switchImpact.meaning}` : "";
  return `- ${OP_ICON[change.op]} **${change.op}** \`${resourceKind(change)}\` **${change.name}**${because}${meaning}`;
}

/** A multi-line property as a line diff; folded when longer than `foldAbove` lines. */
function textDiffBlock(p: PropertyChange, diff: LineDiff, foldAbove: number): string {
  const text = diffText(diff).join("\n");
  const fence = fenceFor(text);
  const replaced = p.forcesReplacement ? ", forces replacement" : "";
  const title = `<code>${escapeHtml(p.path)}</code>: +${diff.added} −${diff.removed} lines${replaced}`;
  const body = `${fence}diff\n${text}\n${fence}`;
  const shown = text.split("\n").length;
  if (shown <= foldAbove) return `${title}\n\n${body}`;
  return `<details><summary>${title} (${shown} lines of diff, folded: click to unfold)</summary>\n\n${body}\n\n</details>`;
}

function diffLines(change: ResourceChange): string[] {
  const lines: string[] = [];
  for (const p of change.properties) {
    if (p.textDiff) continue;
    const note = p.forcesReplacement ? "   # forces replacement" : "";
    if (p.kind !== "add" && p.oldValue !== undefined)
      lines.push(`- ${p.path}: ${p.oldValue}${p.kind === "delete" ? note : ""}`);
    if (p.kind !== "delete" && p.newValue !== undefined) lines.push(`+ ${p.path}: ${p.newValue}${note}`);
    if (p.kind === "update" && p.oldValue === undefined && p.newValue === undefined)
      lines.push(`~ ${p.path}${note}`);
  }
  return lines;
}

/** The folded (or open) block showing one resource's property diff. */
export function renderResourceBlock(change: ResourceChange, open: boolean, foldLinesAbove = 40): string {
  const lines = diffLines(change);
  const texts = change.properties.filter((p) => p.textDiff);
  const parts: string[] = [];
  if (change.switchImpact) parts.push(`> ${escapeHtml(change.switchImpact.meaning)}`);
  if (change.op === "delete") {
    if (!change.switchImpact) parts.push("The resource will be deleted.");
  } else if (lines.length === 0 && texts.length === 0) {
    parts.push("_No visible property change: the difference lies in secret or computed values._");
  } else {
    if (lines.length > 0) {
      const text = lines.join("\n");
      const fence = fenceFor(text);
      parts.push(`${fence}diff\n${text}\n${fence}`);
    }
    for (const p of texts) if (p.textDiff) parts.push(textDiffBlock(p, p.textDiff, foldLinesAbove));
  }
  return `<details${open ? " open" : ""}><summary>${resourceTitle(change)}</summary>\n\n${parts.join("\n\n")}\n\n</details>`;
}

/** Changes grouped by switch stack (sorted by name); other resources under "". */
function groupBySwitchStack(changes: ResourceChange[]): Map<string, ResourceChange[]> {
  const groups = new Map<string, ResourceChange[]>();
  // Switch stacks by name, then the other resources.
  const names = [...new Set(changes.map((c) => c.switchImpact?.switchStack ?? ""))].sort((a, b) =>
    a === "" ? 1 : b === "" ? -1 : a.localeCompare(b),
  );
  for (const name of names) groups.set(name, []);
  for (const change of changes) groups.get(change.switchImpact?.switchStack ?? "")?.push(change);
  return groups;
}

/** Firmware first: a reboot is what a network team must see. */
const KIND_ORDER = ["firmware", "configuration", "backup"];

/** One line per switch stack: what happens to it, reboots first. */
export function switchStackLine(name: string, changes: ResourceChange[]): string {
  const removed = changes.length > 0 && changes.every((c) => c.op === "delete");
  if (removed)
    return `- 🔌 **${escapeHtml(name)}**: removed from the program, no longer managed; socle leaves the switch untouched`;
  const rebooting = changes.flatMap((c) => c.switchImpact?.rebootingMembers ?? []);
  const icon =
    rebooting.length > 0 || changes.some((c) => /will boot|reboot in/.test(c.switchImpact?.meaning ?? ""))
      ? "🔄"
      : "🔌";
  const meanings = changes
    .filter((c) => c.switchImpact)
    .sort(
      (a, b) =>
        KIND_ORDER.indexOf(a.switchImpact?.kind ?? "") - KIND_ORDER.indexOf(b.switchImpact?.kind ?? ""),
    )
    .map((c) => c.switchImpact?.meaning ?? "");
  return `- ${icon} **${escapeHtml(name)}**: ${escapeHtml(meanings.join("; "))}`;
}

function partHeader(preview: StackPreview, part: number, total: number): string {
  const title =
    part === 1
      ? `### Pulumi preview: stack \`${preview.stack}\` (project \`${preview.project}\`)`
      : `### Pulumi preview: stack \`${preview.stack}\`, continued`;
  const partInfo = total > 1 ? ` _(part ${part} of ${total})_` : "";
  return `${noteMarker(preview.key, part)}\n${title}${partInfo}\n`;
}

/** Blocks of a preview in reading order; the splitter never cuts inside one. */
export function previewBlocks(preview: StackPreview, options: RenderOptions = {}): string[] {
  const blocks: string[] = [];
  const failed = preview.errors.length > 0;
  blocks.push(
    `${failed ? "❌ **The preview failed.** " : ""}${countsLine(preview.counts)}\n\n${countsTable(preview.counts)}`.trim(),
  );
  if (failed) {
    const text = preview.errors.join("\n\n");
    const fence = fenceFor(text);
    blocks.push(`#### Errors\n\n${fence}\n${text}\n${fence}`);
  }
  if (preview.policies.length === 0 && preview.policyPacks.length > 0) {
    const packs = preview.policyPacks.map(
      (p) => `\`${p.name}\` ${p.version}${p.passed.length > 0 ? ` (${p.passed.length} policies)` : ""}`,
    );
    blocks.push(`🛡️ **Policies passed**: ${packs.join(", ")}.`);
  }
  if (preview.policies.length > 0) {
    const mandatory = preview.policies.filter((p) => p.level === "mandatory").length;
    blocks.push(
      `#### 🛡️ Policies: ${mandatory} mandatory, ${preview.policies.length - mandatory} advisory` +
        (mandatory > 0
          ? "\n\nMandatory violations block `pulumi up`: fix them or add a suppression with a written reason."
          : ""),
    );
    for (const p of preview.policies) {
      const icon = p.level === "mandatory" ? "⛔" : "⚠️";
      blocks.push(
        `- ${icon} **${p.level}** \`${p.policy}\` on **${escapeHtml(p.resource)}**: ${escapeHtml(p.message)}`,
      );
    }
  }
  const groups = groupBySwitchStack(preview.changes);
  const switchStacks = [...groups.keys()].filter((name) => name !== "");
  if (switchStacks.length > 0) {
    blocks.push(
      `#### Switch stacks\n\n${switchStacks.map((name) => switchStackLine(name, groups.get(name) ?? [])).join("\n")}`,
    );
  }
  const dangerous = preview.changes.filter((c) => c.op === "replace" || c.op === "delete");
  if (dangerous.length > 0) {
    const forgotten = dangerous.filter((c) => c.op === "delete" && c.switchImpact).length;
    blocks.push(
      "#### ⚠️ Replacements and deletions" +
        (forgotten > 0
          ? `\n\n_${forgotten} of them are switch resources: socle only stops managing them and never touches the switch._`
          : ""),
    );
    for (const change of dangerous) blocks.push(dangerLine(change));
  }
  if (preview.changes.length > 0) {
    const open = preview.changes.length <= (options.unfoldUpTo ?? 10);
    for (const [name, changes] of groups) {
      blocks.push(
        name === ""
          ? switchStacks.length > 0
            ? "#### Other resources"
            : "#### Changes per resource"
          : `#### Switch stack \`${name}\``,
      );
      for (const change of changes) blocks.push(renderResourceBlock(change, open, options.foldLinesAbove));
    }
  }
  if (preview.warnings.length > 0) {
    const text = preview.warnings.join("\n\n");
    const fence = fenceFor(text);
    blocks.push(
      `<details><summary>${preview.warnings.length} warning(s)</summary>\n\n${fence}\n${text}\n${fence}\n\n</details>`,
    );
  }
  const footer: string[] = [];
  if (options.commitSha) footer.push(`commit \`${options.commitSha.slice(0, 12)}\``);
  if (options.pipelineUrl) footer.push(`[pipeline](${options.pipelineUrl})`);
  blocks.push(
    `<sub>Updated in place on each push by \`socle-gitlab\`${footer.length > 0 ? `, ${footer.join(", ")}` : ""}.</sub>`,
  );
  return blocks;
}

/** Room kept for a part header whose part numbers are not known yet. */
const HEADER_SLACK = 32;

/**
 * Renders a stack's preview as one or more notes, each within the limit.
 * Blocks are packed whole; a block too big for any note is replaced by a line
 * saying so, so a note is never cut inside a code fence or a <details>.
 */
export function renderStackNotes(preview: StackPreview, options: RenderOptions = {}): string[] {
  const limit = options.maxNoteChars ?? GITLAB_NOTE_LIMIT;
  const headerRoom = partHeader(preview, 1, 1).length + HEADER_SLACK;
  if (limit < headerRoom + 200) {
    throw new Error(`maxNoteChars=${limit} is too small: use at least ${headerRoom + 200} characters`);
  }
  const budget = limit - headerRoom;
  const parts: string[][] = [[]];
  let used = 0;
  for (let block of previewBlocks(preview, options)) {
    if (block.length + 2 > budget) {
      block = `> ⚠️ A block of ${block.length} characters does not fit in a note; see the job log for the full preview.`;
    }
    if (used + block.length + 2 > budget && parts[parts.length - 1].length > 0) {
      parts.push([]);
      used = 0;
    }
    parts[parts.length - 1].push(block);
    used += block.length + 2;
  }
  return parts.map(
    (blocks, index) => `${partHeader(preview, index + 1, parts.length)}\n${blocks.join("\n\n")}\n`,
  );
}
