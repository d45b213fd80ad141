// What the drift guards do in the engine's provider process: read the live
// rules or metadata (refresh), put socle's back (create and update), and
// answer the engine's diffs. Loaded there by resources.ts.
import { GUARD_AUTH_FIELDS, type GuardAuth } from "./auth";
import {
  deleteSecurityGroupRule,
  openSession,
  replaceServerMetadata,
  securityGroupRules,
  serverMetadata,
} from "./client";
import {
  extraRuleIds,
  fromNeutron,
  guardDiff,
  hasMetadataDrift,
  metadataDrift,
  ruleKeys,
  type GuardDiff,
  type GuardRule,
} from "./drift";

/** Inputs of a security group's rules guard. */
export type RulesGuardInputs = GuardAuth & { securityGroupId: string; expectedRules: GuardRule[] };
/** Its state: the inputs and the live rules, as keys. */
export type RulesGuardState = RulesGuardInputs & { liveRules: string[] };

/** Inputs of a server's metadata guard. */
export type MetadataGuardInputs = GuardAuth & { serverId: string; expectedMetadata: Record<string, string> };
/** Its state: the inputs and the live metadata. */
export type MetadataGuardState = MetadataGuardInputs & { liveMetadata: Record<string, string> };

/** A dynamic provider's read answer; an empty ID tells the engine the object is gone. */
interface ReadResult<T> {
  id: string;
  props: T;
}

/** What a guard's provider calls. */
export interface Guard<I, S> {
  diff(olds: S, news: I): GuardDiff;
  /** Puts socle's version back; returns the state. */
  enforce(inputs: I): Promise<S>;
  read(id: string, state: S): Promise<ReadResult<S>>;
}

/** Deletes the group's rules that socle did not declare; returns the state with the rules left. */
export async function enforceRules(inputs: RulesGuardInputs): Promise<RulesGuardState> {
  const session = await openSession(inputs);
  const live = await securityGroupRules(session, inputs.securityGroupId);
  if (live === undefined) {
    throw new Error(`OpenStack drift guard: security group ${inputs.securityGroupId} does not exist`);
  }
  const extras = new Set(extraRuleIds(live, inputs.expectedRules));
  for (const id of extras) await deleteSecurityGroupRule(session, id);
  const kept = live.filter((row) => !extras.has(row.id)).map(fromNeutron);
  return { ...inputs, liveRules: ruleKeys(kept) };
}

/** The group's live rules into the state; gone when the group is. */
export async function readRules(id: string, state: RulesGuardState): Promise<ReadResult<RulesGuardState>> {
  const live = await securityGroupRules(await openSession(state), state.securityGroupId);
  if (live === undefined) return { id: "", props: state };
  return { id, props: { ...state, liveRules: ruleKeys(live.map(fromNeutron)) } };
}

/** Drift when the live rules are not exactly the declared ones. */
export function rulesDiff(olds: RulesGuardState, news: RulesGuardInputs): GuardDiff {
  // During a preview the declared rules may still be unknown: a change, then.
  const expected = Array.isArray(news.expectedRules) ? ruleKeys(news.expectedRules).join("\n") : undefined;
  const drifted = expected !== (olds.liveRules ?? []).join("\n");
  return guardDiff(olds, news, "securityGroupId", drifted, GUARD_AUTH_FIELDS);
}

/** Sets the server's metadata to exactly socle's (Nova's PUT removes the other keys). */
export async function enforceMetadata(inputs: MetadataGuardInputs): Promise<MetadataGuardState> {
  const session = await openSession(inputs);
  const liveMetadata = await replaceServerMetadata(session, inputs.serverId, inputs.expectedMetadata);
  return { ...inputs, liveMetadata };
}

/** The server's live metadata into the state; gone when the server is. */
export async function readMetadata(
  id: string,
  state: MetadataGuardState,
): Promise<ReadResult<MetadataGuardState>> {
  const live = await serverMetadata(await openSession(state), state.serverId);
  if (live === undefined) return { id: "", props: state };
  return { id, props: { ...state, liveMetadata: live } };
}

/** Drift when a key of socle's is missing or changed, or a key socle did not set is present. */
export function metadataDiff(olds: MetadataGuardState, news: MetadataGuardInputs): GuardDiff {
  const expected = news.expectedMetadata;
  const drifted =
    typeof expected !== "object" || hasMetadataDrift(metadataDrift(expected, olds.liveMetadata ?? {}));
  return guardDiff(olds, news, "serverId", drifted, GUARD_AUTH_FIELDS);
}

/** The security group rules guard. */
export const rulesGuard: Guard<RulesGuardInputs, RulesGuardState> = {
  diff: rulesDiff,
  enforce: enforceRules,
  read: readRules,
};

/** The server metadata guard. */
export const metadataGuard: Guard<MetadataGuardInputs, MetadataGuardState> = {
  diff: metadataDiff,
  enforce: enforceMetadata,
  read: readMetadata,
};
