// The document `pulumi preview --json` prints (Pulumi CLI 3.259, pkg/display/json.go:
// PreviewDigest). Only the fields socle reads are typed; the parser checks the
// shape once so the rest of the code can trust it.

/** One property's difference as the provider reports it (keys are property paths). */
export interface PropertyDiff {
  /** add, add-replace, delete, delete-replace, update, update-replace */
  kind: string;
  /** True when old and new inputs were compared; false when the old state's outputs were. */
  inputDiff?: boolean;
}

/** The subset of apitype.ResourceV3 a preview note needs. */
export interface ResourceState {
  /** The resource's URN. */
  urn?: string;
  /** Resource type token, e.g. "openstack:compute/instance:Instance". */
  type?: string;
  /** Provider ID of the resource (absent for a resource not yet created). */
  id?: string;
  /** True for a provider-managed resource, false for a component. */
  custom?: boolean;
  /** Input properties. */
  inputs?: Record<string, unknown>;
  /** Output properties. */
  outputs?: Record<string, unknown>;
  /** URN of the parent resource. */
  parent?: string;
}

/** One step the engine plans for a resource. */
export interface PreviewStep {
  /** same, create, update, delete, replace, create-replacement, delete-replaced, read, import, … */
  op: string;
  /** URN of the resource the step applies to. */
  urn: string;
  /** Reference to the provider that handles the resource. */
  provider?: string;
  /** State before the step (absent for a creation). */
  oldState?: ResourceState;
  /** State after the step (absent for a deletion). */
  newState?: ResourceState;
  /** Top-level properties that differ. */
  diffReasons?: string[];
  /** Top-level properties whose change forces a replacement. */
  replaceReasons?: string[];
  /** The provider's per-property diff, keyed by property path, when it gives one. */
  detailedDiff?: Record<string, PropertyDiff> | null;
}

/** A message from the engine, a provider or the program. */
export interface PreviewDiagnostic {
  /** Resource the message is about, when any. */
  urn?: string;
  /** Text the engine puts before the message. */
  prefix?: string;
  /** The message. */
  message?: string;
  /** "error", "warning", "info", "debug", ... */
  severity?: string;
}

/** A policy violation (or a reported suppression) from a policy pack. */
export interface PolicyViolation {
  /** Resource in violation; absent for a stack-level policy. */
  urn?: string;
  /** Name of the policy. */
  policyName: string;
  /** Name of the policy pack. */
  policyPackName?: string;
  /** advisory, mandatory, remediate */
  enforcementLevel: string;
  /** The policy's message (its description first, then the violation). */
  message: string;
}

/** What socle reads from the output of `pulumi preview --json`. */
export interface PreviewDigest {
  /** The stack's configuration. */
  config?: Record<string, string>;
  /** Every planned step, "same" included. */
  steps?: PreviewStep[];
  /** Messages printed during the preview. */
  diagnostics?: PreviewDiagnostic[];
  /** How long the preview took, as the CLI reports it. */
  duration?: number;
  /** Number of resources per operation ("create", "update", "same", ...). */
  changeSummary?: Record<string, number>;
  /** Only in the streamed event format: the digest has no policy results. */
  policyViolations?: PolicyViolation[];
  /** Only in the streamed event format: the policy packs that ran, with the policies each passed. */
  policyPacks?: PolicyPackRun[];
}

/** A policy pack that ran during the preview. */
export interface PolicyPackRun {
  /** The pack's name, e.g. "socle-safe-defaults". */
  name: string;
  /** The pack's version, e.g. "0.1.0". */
  version: string;
  /** Policies that passed on at least one resource or on the stack. */
  passed: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Parses the text of `pulumi preview --json`. Fails with a message naming the
 * source and what is wrong, e.g. when the file holds the human-readable preview
 * because `--json` was forgotten, or a failed preview printed nothing.
 */
export function parsePreviewJson(text: string, source = "preview JSON"): PreviewDigest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    const hint =
      text.trim() === "" ? "it is empty (did `pulumi preview` fail?)" : "run `pulumi preview --json > file`";
    throw new Error(`${source} is not JSON (${(err as Error).message}): ${hint}`);
  }
  if (!isRecord(parsed))
    throw new Error(`${source} must be a JSON object as printed by \`pulumi preview --json\``);
  if (parsed.steps !== undefined && !Array.isArray(parsed.steps)) {
    throw new Error(`${source}: "steps" must be an array, got ${typeof parsed.steps}`);
  }
  const steps = (parsed.steps ?? []) as unknown[];
  steps.forEach((step, index) => {
    if (!isRecord(step) || typeof step.op !== "string" || typeof step.urn !== "string") {
      throw new Error(`${source}: steps[${index}] needs string fields "op" and "urn"`);
    }
  });
  if (parsed.changeSummary !== undefined && !isRecord(parsed.changeSummary)) {
    throw new Error(`${source}: "changeSummary" must be an object of counts`);
  }
  return parsed as PreviewDigest;
}

/** The engine's step metadata in a streamed resourcePreEvent (apitype.StepEventMetadata). */
interface StepEventMetadata {
  op: string;
  urn: string;
  type?: string;
  old?: ResourceState | null;
  new?: ResourceState | null;
  keys?: string[];
  diffs?: string[];
  detailedDiff?: Record<string, { diffKind?: string; kind?: string; inputDiff?: boolean }> | null;
}

interface EngineEvent {
  resourcePreEvent?: { metadata?: StepEventMetadata };
  diagnosticEvent?: PreviewDiagnostic & { ephemeral?: boolean };
  policyEvent?: {
    resourceUrn?: string;
    message?: string;
    policyName?: string;
    policyPackName?: string;
    enforcementLevel?: string;
  };
  summaryEvent?: {
    resourceChanges?: Record<string, number>;
    durationSeconds?: number;
    /** "name|kind|path" -> version of each pack that ran. */
    PolicyPacks?: Record<string, string>;
  };
  policyAnalyzeSummaryEvent?: PolicySummaryEvent;
  policyRemediateSummaryEvent?: PolicySummaryEvent;
  policyAnalyzeStackSummaryEvent?: PolicySummaryEvent;
}

/** The engine's per-resource (or per-stack) summary of a policy pack's run. */
interface PolicySummaryEvent {
  policyPackName?: string;
  policyPackVersion?: string;
  passed?: string[];
}

/** Adds a pack's summary to the digest's list of packs that ran. */
function notePolicyPack(digest: PreviewDigest, name: string, version: string, passed: string[]): void {
  const packs = (digest.policyPacks ??= []);
  let pack = packs.find((p) => p.name === name);
  if (!pack) {
    pack = { name, version, passed: [] };
    packs.push(pack);
  }
  if (pack.version === "" && version !== "") pack.version = version;
  for (const policy of passed) if (!pack.passed.includes(policy)) pack.passed.push(policy);
}

/**
 * Turns the event stream `pulumi preview --json` prints when
 * PULUMI_ENABLE_STREAMING_JSON_PREVIEW is set (one engine event per line)
 * into a digest. Only this format carries policy violations.
 */
export function digestFromEvents(lines: string[], source = "preview events"): PreviewDigest {
  const digest: PreviewDigest = { steps: [], diagnostics: [], policyViolations: [] };
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    let event: EngineEvent;
    try {
      event = JSON.parse(line) as EngineEvent;
    } catch (err) {
      throw new Error(`${source} line ${index + 1} is not JSON (${(err as Error).message})`);
    }
    const meta = event.resourcePreEvent?.metadata;
    if (meta && typeof meta.op === "string" && typeof meta.urn === "string") {
      const detailed = meta.detailedDiff
        ? Object.fromEntries(
            Object.entries(meta.detailedDiff).map(([path, d]) => [
              path,
              { kind: d.diffKind ?? d.kind ?? "update", inputDiff: d.inputDiff },
            ]),
          )
        : null;
      digest.steps?.push({
        op: meta.op,
        urn: meta.urn,
        oldState: meta.old ?? undefined,
        newState: meta.new ?? undefined,
        replaceReasons: meta.keys,
        diffReasons: meta.diffs,
        detailedDiff: detailed,
      });
    }
    const diagnostic = event.diagnosticEvent;
    if (diagnostic && !diagnostic.ephemeral) {
      digest.diagnostics?.push({
        urn: diagnostic.urn,
        severity: diagnostic.severity,
        message: `${diagnostic.prefix ?? ""}${diagnostic.message ?? ""}`,
      });
    }
    const policy = event.policyEvent;
    if (policy) {
      digest.policyViolations?.push({
        urn: policy.resourceUrn,
        policyName: policy.policyName ?? "unknown-policy",
        policyPackName: policy.policyPackName,
        enforcementLevel: policy.enforcementLevel ?? "advisory",
        message: policy.message ?? "",
      });
    }
    if (event.summaryEvent?.resourceChanges) digest.changeSummary = event.summaryEvent.resourceChanges;
    for (const summary of [
      event.policyAnalyzeSummaryEvent,
      event.policyRemediateSummaryEvent,
      event.policyAnalyzeStackSummaryEvent,
    ]) {
      if (summary?.policyPackName)
        notePolicyPack(digest, summary.policyPackName, summary.policyPackVersion ?? "", summary.passed ?? []);
    }
    for (const [key, version] of Object.entries(event.summaryEvent?.PolicyPacks ?? {}))
      notePolicyPack(digest, key.split("|")[0], version, []);
  });
  return digest;
}

/** Reads either output of `pulumi preview --json`: the digest, or the streamed events. */
export function parsePreviewOutput(text: string, source = "preview JSON"): PreviewDigest {
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  const streamed =
    lines.length > 1 &&
    lines.every((line) => line.trimStart().startsWith("{") && line.trimEnd().endsWith("}"));
  if (streamed && /"(sequence|timestamp)"\s*:/.test(lines[0])) return digestFromEvents(lines, source);
  return parsePreviewJson(text, source);
}

/** Parts of a URN: urn:pulumi:<stack>::<project>::<qualified type>::<name>. */
export interface UrnParts {
  /** Stack name. */
  stack: string;
  /** Project name. */
  project: string;
  /** The resource's own type, without its parents' types. */
  type: string;
  /** Resource name. */
  name: string;
}

/** Splits a URN into stack, project, own type and name; missing parts are "". */
export function parseUrn(urn: string): UrnParts {
  const parts = urn.split("::");
  const head = parts[0] ?? "";
  const stack = head.startsWith("urn:pulumi:") ? head.slice("urn:pulumi:".length) : head;
  const qualifiedType = parts[2] ?? "";
  // A child's type is qualified by its parents' types: parent$child. The last one is its own.
  const type = qualifiedType.split("$").pop() ?? qualifiedType;
  // Names may themselves contain "::", so rejoin the tail.
  return { stack, project: parts[1] ?? "", type, name: parts.slice(3).join("::") };
}
