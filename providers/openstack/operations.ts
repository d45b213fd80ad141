// What the drift guards do in the engine's provider process: read the live
// rules or metadata (refresh), put socle's back (create and update), and
// answer the engine's diffs. Loaded there by resources.ts.
import { randomUUID } from "node:crypto";
import { mapLimit } from "../switch/retry";
import { GUARD_AUTH_FIELDS, type GuardAuth } from "./auth";
import {
  deleteSecurityGroupRule,
  openSession,
  replaceServerMetadata,
  securityGroupRules,
  serverMetadata,
} from "./client";
import {
  canonicalJson,
  extraRuleIds,
  fromNeutron,
  guardDiff,
  hasMetadataDrift,
  metadataDrift,
  ruleKeys,
  serverSetDrifted,
  type GuardDiff,
  type GuardedServer,
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

/** Inputs of a set of servers' metadata guard: the servers by name. */
export type ServerSetGuardInputs = GuardAuth & { servers: Record<string, GuardedServer> };
/** Its state: the inputs and each server's live metadata, by name. */
export type ServerSetGuardState = ServerSetGuardInputs & {
  liveMetadata: Record<string, Record<string, string>>;
};

/** A dynamic provider's read answer; an empty ID tells the engine the object is gone. */
interface ReadResult<T> {
  id: string;
  props: T;
}

/** What a guard's provider calls. */
export interface Guard<I, S> {
  /** The ID a new guard takes. */
  idOf(inputs: I): string;
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

// Nova calls in flight at once for a set guard: enough to hide latency, few
// enough not to crowd the API of a busy cloud.
const SERVER_CALLS_AT_ONCE = 8;

/** Sets each server's metadata that drifted back to exactly socle's (read first: a server in order is left alone). */
export async function enforceServerSet(inputs: ServerSetGuardInputs): Promise<ServerSetGuardState> {
  const session = await openSession(inputs);
  const live = await mapLimit(
    Object.entries(inputs.servers),
    SERVER_CALLS_AT_ONCE,
    async ([name, server]) => {
      const found = await serverMetadata(session, server.serverId);
      if (found === undefined) {
        throw new Error(
          `OpenStack drift guard: server "${name}" (${server.serverId}) is gone; run pulumi refresh`,
        );
      }
      const drifted = hasMetadataDrift(metadataDrift(server.expectedMetadata, found));
      const metadata = drifted
        ? await replaceServerMetadata(session, server.serverId, server.expectedMetadata)
        : found;
      return [name, metadata] as const;
    },
  );
  return { ...inputs, liveMetadata: Object.fromEntries(live) };
}

/** The servers' live metadata into the state (a gone server is left out); the guard is gone when all are. */
export async function readServerSet(
  id: string,
  state: ServerSetGuardState,
): Promise<ReadResult<ServerSetGuardState>> {
  const session = await openSession(state);
  const entries = Object.entries(state.servers);
  const live = await mapLimit(
    entries,
    SERVER_CALLS_AT_ONCE,
    async ([name, server]) => [name, await serverMetadata(session, server.serverId)] as const,
  );
  const found = live.filter((entry): entry is [string, Record<string, string>] => entry[1] !== undefined);
  if (entries.length > 0 && found.length === 0) return { id: "", props: state };
  return { id, props: { ...state, liveMetadata: Object.fromEntries(found) } };
}

/** Drift when a server is gone, replaced (another ID), added or removed, or its metadata drifted; never a replacement. */
export function serverSetDiff(olds: ServerSetGuardState, news: ServerSetGuardInputs): GuardDiff {
  const drifted =
    canonicalJson(olds.servers) !== canonicalJson(news.servers) ||
    serverSetDrifted(news.servers, olds.liveMetadata ?? {});
  return guardDiff(olds, news, undefined, drifted, GUARD_AUTH_FIELDS);
}

/** The security group rules guard. */
export const rulesGuard: Guard<RulesGuardInputs, RulesGuardState> = {
  idOf: (inputs) => inputs.securityGroupId,
  diff: rulesDiff,
  enforce: enforceRules,
  read: readRules,
};

/** The server metadata guard. */
export const metadataGuard: Guard<MetadataGuardInputs, MetadataGuardState> = {
  idOf: (inputs) => inputs.serverId,
  diff: metadataDiff,
  enforce: enforceMetadata,
  read: readMetadata,
};

/** The guard of a set of servers' metadata (a bubble's). */
export const serverSetGuard: Guard<ServerSetGuardInputs, ServerSetGuardState> = {
  idOf: () => randomUUID(),
  diff: serverSetDiff,
  enforce: enforceServerSet,
  read: readServerSet,
};
