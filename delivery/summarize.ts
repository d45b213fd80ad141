// Turns a preview digest into what a reviewer reads: counts per operation and,
// per changed resource, the property changes (already redacted). Pure.
import { isMultiLine, lineDiff, mapLines, type LineDiff } from "./lineDiff";
import {
  parseUrn,
  type PolicyPackRun,
  type PreviewDigest,
  type PreviewStep,
  type ResourceState,
} from "./previewJson";
import { SECRET_PLACEHOLDER, UNKNOWN_SENTINEL, maskText, redactProperties, type SecretMask } from "./redact";
import { switchImpactOf, type SwitchImpact } from "./switchImpact";

/** One changed property, values already rendered as short redacted text. */
export interface PropertyChange {
  /** Pulumi property path, e.g. "networks[0].uuid". */
  path: string;
  /** Whether the property is added, deleted or updated. */
  kind: "add" | "delete" | "update";
  /** This change forces the resource to be replaced. */
  forcesReplacement: boolean;
  /** Value before (JSON, redacted, shortened); absent for an addition or when unknown. */
  oldValue?: string;
  /** Value after (JSON, redacted, shortened); absent for a deletion or when unknown. */
  newValue?: string;
  /** When either value is a multi-line string: its line diff, made on the texts, then each line masked. */
  textDiff?: LineDiff;
}

/** One resource the preview changes. */
export interface ResourceChange {
  /** The resource's URN. */
  urn: string;
  /** Operation: "replace" (either half of a replacement), "delete", "create", "update", "import", ... */
  op: string;
  /** Resource type token, e.g. "openstack:compute/instance:Instance". */
  type: string;
  /** Resource name, from its URN. */
  name: string;
  /** Properties whose change forces the replacement. */
  replaceReasons: string[];
  /** Its property changes, redacted (none for a deletion). */
  properties: PropertyChange[];
  /** For socle's switch resources: the switch stack and what the step does to it. */
  switchImpact?: SwitchImpact;
}

/** A stack's preview as a reviewer reads it. */
export interface StackPreview {
  /** Identifies the stack in markers and titles: "<project>/<stack>". */
  key: string;
  /** Pulumi project name. */
  project: string;
  /** Stack name. */
  stack: string;
  /** Counts per operation, "same" included, as the engine summarised them. */
  counts: Record<string, number>;
  /** Changed resources, most dangerous first. */
  changes: ResourceChange[];
  /** Error messages of the preview (terminal colours removed); any error means the preview failed. */
  errors: string[];
  /** Warning messages of the preview. */
  warnings: string[];
  /** Policy pack results, mandatory first; empty when no pack ran or the digest format was used. */
  policies: {
    /** Enforcement level: "mandatory", "advisory", ... */
    level: string;
    /** Policy name. */
    policy: string;
    /** Name of the resource in violation, or "(stack)". */
    resource: string;
    /** The violation (the policy's description left out). */
    message: string;
  }[];
  /** Policy packs that ran (streamed format only), with the policies they passed. */
  policyPacks: PolicyPackRun[];
}

/** Options of {@link summarizePreview}. */
export interface SummarizeOptions {
  /** Longest rendered one-line value; longer ones are cut with "… (N more characters)". @default 300 */
  maxValueChars?: number;
  /** Secret lines and values masked in every value and message. @default the Comware profile's secret lines only */
  mask?: SecretMask;
  /** Overrides the stack name read from the URNs. */
  stack?: string;
  /** Overrides the note key; keep it stable across pushes. @default "<project>/<stack>" */
  key?: string;
  /** Overrides the project name read from the URNs. */
  project?: string;
}

/** Removes terminal colour codes (ESC [ … m) from engine messages. */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "");
}

/** Ordering of operations in the note: what destroys things comes first. */
const OP_RANK: Record<string, number> = { replace: 0, delete: 1, create: 2, update: 3, import: 4, read: 5 };

/** The engine reports a replacement as one "replace" step, or as its halves. */
function normalizeOp(op: string): string {
  if (op === "create-replacement" || op === "delete-replaced" || op === "replace") return "replace";
  if (op === "discard" || op === "discard-replaced") return "delete";
  if (op === "import-replacement") return "import";
  if (op === "read-replacement") return "read";
  return op;
}

function renderValue(value: unknown, maxChars: number): string {
  if (value === UNKNOWN_SENTINEL) return "(known after apply)";
  if (value === SECRET_PLACEHOLDER) return SECRET_PLACEHOLDER;
  const text = JSON.stringify(value) ?? "undefined";
  return text.length > maxChars
    ? `${text.slice(0, maxChars - 1)}… (${text.length - maxChars + 1} more characters)`
    : text;
}

/** Redaction of envelopes and secret-named keys only: texts stay whole so a masked line still diffs. */
const NO_TEXT_MASK: SecretMask = { profiles: [], knownSecrets: [] };

/**
 * The line diff of a property when either side is a multi-line string. Diffed
 * before masking, so a changed secret line shows as changed ("[secret]" on both
 * sides) instead of vanishing; each line masked after.
 */
function textDiffOf(before: unknown, after: unknown, mask: SecretMask): Pick<PropertyChange, "textDiff"> {
  if (!isMultiLine(before) && !isMultiLine(after)) return {};
  const text = (value: unknown) => (typeof value === "string" ? value : "");
  return { textDiff: mapLines(lineDiff(text(before), text(after)), (line) => maskText(line, mask)) };
}

/** Leaf values of a nested bag by Pulumi property path (a.b[0].c, ["odd.key"]). */
export function flattenProperties(
  value: unknown,
  prefix = "",
  out: Map<string, unknown> = new Map(),
): Map<string, unknown> {
  if (Array.isArray(value) && value.length > 0) {
    value.forEach((item, index) => flattenProperties(item, `${prefix}[${index}]`, out));
  } else if (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length > 0
  ) {
    for (const [key, inner] of Object.entries(value)) {
      const segment = /^[A-Za-z_$][\w$-]*$/.test(key)
        ? prefix === ""
          ? key
          : `.${key}`
        : `[${JSON.stringify(key)}]`;
      flattenProperties(inner, prefix + segment, out);
    }
  } else if (prefix !== "") {
    out.set(prefix, value);
  }
  return out;
}

/** Reads a value at a Pulumi property path; undefined when absent. */
export function valueAtPath(root: unknown, path: string): unknown {
  const segments: (string | number)[] = [];
  const pattern = /([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g;
  for (const match of path.matchAll(pattern)) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(JSON.parse(`"${match[3]}"`) as string);
  }
  let current: unknown = root;
  for (const segment of segments) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

function topLevelKey(path: string): string {
  const match = /^([^.[]+)|^\["((?:[^"\\]|\\.)*)"\]/.exec(path);
  if (!match) return path;
  return match[1] ?? (JSON.parse(`"${match[2]}"`) as string);
}

function propertyChanges(
  step: PreviewStep,
  op: string,
  maxValueChars: number,
  mask: SecretMask,
): PropertyChange[] {
  const oldInputs = redactProperties(step.oldState?.inputs ?? {}, "", mask);
  const newInputs = redactProperties(step.newState?.inputs ?? {}, "", mask);
  const rawOld = redactProperties(step.oldState?.inputs ?? {}, "", NO_TEXT_MASK);
  const rawNew = redactProperties(step.newState?.inputs ?? {}, "", NO_TEXT_MASK);
  const texts = (path: string, hasOld: boolean, hasNew: boolean) =>
    textDiffOf(
      hasOld ? valueAtPath(rawOld, path) : undefined,
      hasNew ? valueAtPath(rawNew, path) : undefined,
      mask,
    );
  const replaceKeys = new Set(step.replaceReasons ?? []);
  const forces = (path: string, kind?: string) =>
    replaceKeys.has(topLevelKey(path)) || (kind?.endsWith("-replace") ?? false);
  if (op === "delete") return [];
  if (op === "create") {
    return [...flattenProperties(newInputs)].map(([path, value]) => ({
      path,
      kind: "add" as const,
      forcesReplacement: false,
      newValue: renderValue(value, maxValueChars),
      ...texts(path, false, true),
    }));
  }
  // The provider's detailed diff, when it gives one, is the truth about what changes.
  if (step.detailedDiff && Object.keys(step.detailedDiff).length > 0) {
    return Object.entries(step.detailedDiff)
      .filter(([path]) => !topLevelKey(path).startsWith("__"))
      .map(([path, diff]) => {
        const kind = diff.kind.startsWith("add")
          ? "add"
          : diff.kind.startsWith("delete")
            ? "delete"
            : "update";
        const oldValue = valueAtPath(oldInputs, path);
        const newValue = valueAtPath(newInputs, path);
        return {
          path,
          kind,
          forcesReplacement: forces(path, diff.kind),
          oldValue:
            kind === "add" || oldValue === undefined ? undefined : renderValue(oldValue, maxValueChars),
          newValue:
            kind === "delete" || newValue === undefined ? undefined : renderValue(newValue, maxValueChars),
          ...texts(path, kind !== "add", kind !== "delete"),
        };
      });
  }
  const olds = flattenProperties(oldInputs);
  const news = flattenProperties(newInputs);
  const changes: PropertyChange[] = [];
  for (const path of new Set([...olds.keys(), ...news.keys()])) {
    const had = olds.has(path);
    const has = news.has(path);
    const before = olds.get(path);
    const after = news.get(path);
    // Compared before masking: a secret replaced by another still shows as a change.
    const rawBefore = valueAtPath(rawOld, path);
    const rawAfter = valueAtPath(rawNew, path);
    if (had && has && JSON.stringify(rawBefore) === JSON.stringify(rawAfter)) continue;
    changes.push({
      path,
      kind: !had ? "add" : !has ? "delete" : "update",
      forcesReplacement: forces(path),
      oldValue: had ? renderValue(before, maxValueChars) : undefined,
      newValue: has ? renderValue(after, maxValueChars) : undefined,
      ...texts(path, had, has),
    });
  }
  return changes.sort((a, b) => a.path.localeCompare(b.path));
}

function stateType(step: PreviewStep): string {
  const state: ResourceState | undefined = step.newState ?? step.oldState;
  return state?.type ?? parseUrn(step.urn).type;
}

/** Compares resource changes: replacements, then deletions, creations, updates; then type and name. */
export function compareChanges(a: ResourceChange, b: ResourceChange): number {
  const rank = (op: string) => OP_RANK[op] ?? 9;
  return rank(a.op) - rank(b.op) || a.type.localeCompare(b.type) || a.name.localeCompare(b.name);
}

/**
 * Turns a preview digest into what a reviewer reads: changed resources (most
 * dangerous first) with their redacted property changes, counts per operation,
 * errors, warnings and policy results.
 */
export function summarizePreview(digest: PreviewDigest, options: SummarizeOptions = {}): StackPreview {
  const maxValueChars = options.maxValueChars ?? 300;
  const mask = options.mask ?? {};
  const steps = digest.steps ?? [];
  const firstUrn = steps.length > 0 ? parseUrn(steps[0].urn) : undefined;
  const stack = options.stack ?? firstUrn?.stack ?? "unknown-stack";
  const project = options.project ?? firstUrn?.project ?? "unknown-project";

  const byUrn = new Map<string, ResourceChange>();
  for (const step of steps) {
    const op = normalizeOp(step.op);
    // "same" steps carry nothing to review; provider resources are plumbing.
    if (op === "same" || stateType(step).startsWith("pulumi:providers:")) continue;
    const key = `${op}|${step.urn}`;
    const previous = byUrn.get(key);
    // The halves of a replacement come as two steps: keep the one with the diff.
    if (previous && previous.properties.length > 0) continue;
    const { name } = parseUrn(step.urn);
    byUrn.set(key, {
      urn: step.urn,
      op,
      type: stateType(step),
      name,
      replaceReasons: step.replaceReasons ?? previous?.replaceReasons ?? [],
      properties: propertyChanges(step, op, maxValueChars, mask),
      switchImpact: switchImpactOf(step, op),
    });
  }
  const changes = [...byUrn.values()].sort(compareChanges);

  const counts: Record<string, number> = {};
  if (digest.changeSummary && Object.keys(digest.changeSummary).length > 0) {
    Object.assign(counts, digest.changeSummary);
  } else {
    for (const change of changes) counts[change.op] = (counts[change.op] ?? 0) + 1;
  }

  const diagnostics = digest.diagnostics ?? [];
  // The engine colours its messages for a terminal; a note shows the escape codes raw.
  const messageOf = (d: { urn?: string; message?: string }) =>
    maskText(`${d.urn ? `${parseUrn(d.urn).name}: ` : ""}${stripAnsi(d.message ?? "").trim()}`, mask).slice(
      0,
      2000,
    );
  return {
    key: options.key ?? `${project}/${stack}`,
    project,
    stack,
    counts,
    changes,
    errors: diagnostics.filter((d) => d.severity === "error").map(messageOf),
    warnings: diagnostics.filter((d) => d.severity === "warning").map(messageOf),
    policies: (digest.policyViolations ?? [])
      .map((v) => ({
        level: v.enforcementLevel,
        policy: v.policyName,
        resource: v.urn ? parseUrn(v.urn).name : "(stack)",
        // The engine puts the policy's description on the first line: keep the violation itself.
        message: maskText(stripAnsi(v.message).trim().split("\n").slice(-1)[0], mask).slice(0, 2000),
      }))
      .sort((a, b) => Number(b.level === "mandatory") - Number(a.level === "mandatory")),
    policyPacks: digest.policyPacks ?? [],
  };
}

/** GitLab's `artifacts:reports:terraform` document: a replacement both creates and deletes. */
export interface TerraformReport {
  /** Resources created, replacements included. */
  create: number;
  /** Resources updated in place. */
  update: number;
  /** Resources deleted, replacements included. */
  delete: number;
}

/** Sums previews into GitLab's terraform report; a replacement counts as one creation and one deletion. */
export function terraformReport(previews: StackPreview[]): TerraformReport {
  const report: TerraformReport = { create: 0, update: 0, delete: 0 };
  for (const preview of previews) {
    const n = (op: string) => preview.counts[op] ?? 0;
    // Older engines count the halves of a replacement instead of "replace": never both.
    const replaced = n("replace") || Math.max(n("create-replacement"), n("delete-replaced"));
    report.create += n("create") + n("import") + replaced;
    report.update += n("update");
    report.delete += n("delete") + n("discard") + replaced;
  }
  return report;
}
