// The few OpenStack REST calls the drift guards make, in the engine's provider
// process: a Keystone token (kept in the provider process's memory, reused for
// the same credentials while valid, never returned or logged), then Neutron's
// rules of a group and Nova's metadata of a server.
import { createHash } from "node:crypto";
import {
  endpointFor,
  resolveAuth,
  tokenRequestBody,
  tokensUrl,
  type CatalogService,
  type GuardAuth,
  type ResolvedAuth,
} from "./auth";
import type { NeutronRule } from "./drift";

/** A logged-in session: JSON requests to one service's endpoint. */
export interface OpenStackSession {
  /** Calls `path` on service `type`; `undefined` on 404. Throws on any other failure. */
  request<T>(
    type: "network" | "compute",
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T | undefined>;
}

/** A Keystone token and its catalog, as one login returned them. */
interface Login {
  token: string;
  catalog: CatalogService[];
  /** When the token stops being used here: Keystone's expiry less a safety margin (ms since epoch). */
  reuseUntil: number;
}

// Logins of this provider process, by credentials: one Keystone login serves
// every guard of an operation instead of one per guard (Keystone's password
// check is deliberately slow). The promise is kept, so guards that run
// concurrently wait for the same login. Only in memory, never written.
const logins = new Map<string, Promise<Login>>();
const REUSE_MARGIN_MS = 5 * 60 * 1000;

/** Forgets every cached login (tests, and a rotated password). */
export function forgetLogins(): void {
  logins.clear();
}

/** The cache key of resolved credentials: a digest, so no password sits in a map key. */
function loginKey(auth: ResolvedAuth): string {
  return createHash("sha256").update(JSON.stringify(auth)).digest("hex");
}

/** POST /v3/auth/tokens once. */
async function login(auth: ResolvedAuth): Promise<Login> {
  const url = tokensUrl(auth.authUrl);
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(tokenRequestBody(auth)),
  });
  if (!response.ok) {
    throw new Error(
      `OpenStack drift guard: login of "${auth.userName}" at ${url} failed (HTTP ${response.status}): ${await errorText(response)}`,
    );
  }
  const token = response.headers.get("x-subject-token") ?? "";
  const body = (await response.json()) as { token: { catalog?: CatalogService[]; expires_at?: string } };
  const expires = Date.parse(body.token.expires_at ?? "");
  // No expiry given: use the token for this operation's first minute only.
  const reuseUntil = Number.isNaN(expires) ? Date.now() + 60_000 : expires - REUSE_MARGIN_MS;
  return { token, catalog: body.token.catalog ?? [], reuseUntil };
}

/**
 * A cached login still good to use (and not `refused`, a token Keystone just
 * turned down), else a new one, shared by concurrent callers.
 */
async function cachedLogin(auth: ResolvedAuth, refused?: Login): Promise<Login> {
  const key = loginKey(auth);
  const cached = logins.get(key);
  if (cached !== undefined) {
    const done = await cached.catch(() => undefined);
    if (done !== undefined && done !== refused && done.reuseUntil > Date.now()) return done;
    if (logins.get(key) !== cached) return cachedLogin(auth, refused); // another caller renewed it
  }
  const fresh = login(auth);
  logins.set(key, fresh);
  // A failed login is not kept: the next guard tries again and reports its own error.
  fresh.catch(() => {
    if (logins.get(key) === fresh) logins.delete(key);
  });
  return fresh;
}

/**
 * Logs in with `given` over the process's OS_* environment. Reuses this
 * process's token for the same credentials; a token Keystone no longer
 * accepts (401) is dropped and the request made once more with a new one.
 */
export async function openSession(given: GuardAuth): Promise<OpenStackSession> {
  const auth = resolveAuth(given, process.env);
  let current = await cachedLogin(auth);
  const send = async (login: Login, type: string, method: string, path: string, body?: unknown) => {
    // Neutron's endpoint is registered with or without its "/v2.0"; paths here carry it.
    const base = endpointFor(login.catalog, type, auth.interface, auth.region).replace(/\/v2\.0$/, "");
    const target = `${base}${path}`;
    const res = await fetch(target, {
      method,
      headers: {
        "x-auth-token": login.token,
        "content-type": "application/json",
        accept: "application/json",
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { res, target };
  };
  return {
    async request<T>(type: "network" | "compute", method: string, path: string, body?: unknown) {
      let { res, target } = await send(current, type, method, path, body);
      if (res.status === 401) {
        // Revoked or expired early: one new login, one more try.
        current = await cachedLogin(auth, current);
        ({ res, target } = await send(current, type, method, path, body));
      }
      if (res.status === 404) return undefined;
      if (!res.ok) {
        throw new Error(
          `OpenStack drift guard: ${method} ${target} failed (HTTP ${res.status}): ${await errorText(res)}`,
        );
      }
      return res.status === 204 ? ({} as T) : ((await res.json()) as T);
    },
  };
}

/** The start of an error body (services answer JSON or HTML; never the request, which may hold a password). */
async function errorText(response: Response): Promise<string> {
  return (await response.text()).slice(0, 300).replace(/\s+/g, " ");
}

/** The rules of a security group, or undefined when the group is gone. */
export async function securityGroupRules(
  session: OpenStackSession,
  groupId: string,
): Promise<NeutronRule[] | undefined> {
  const found = await session.request<{ security_group: { security_group_rules: NeutronRule[] } }>(
    "network",
    "GET",
    `/v2.0/security-groups/${encodeURIComponent(groupId)}`,
  );
  return found?.security_group.security_group_rules;
}

/** Deletes one rule (already gone is fine). */
export async function deleteSecurityGroupRule(session: OpenStackSession, ruleId: string): Promise<void> {
  await session.request("network", "DELETE", `/v2.0/security-group-rules/${encodeURIComponent(ruleId)}`);
}

/** A server's metadata, or undefined when the server is gone. */
export async function serverMetadata(
  session: OpenStackSession,
  serverId: string,
): Promise<Record<string, string> | undefined> {
  const found = await session.request<{ metadata: Record<string, string> }>(
    "compute",
    "GET",
    `/servers/${encodeURIComponent(serverId)}/metadata`,
  );
  return found?.metadata;
}

/** Replaces a server's whole metadata (Nova's PUT): keys not given are removed. */
export async function replaceServerMetadata(
  session: OpenStackSession,
  serverId: string,
  metadata: Record<string, string>,
): Promise<Record<string, string>> {
  const done = await session.request<{ metadata: Record<string, string> }>(
    "compute",
    "PUT",
    `/servers/${encodeURIComponent(serverId)}/metadata`,
    { metadata },
  );
  if (done === undefined)
    throw new Error(`OpenStack drift guard: server ${serverId} is gone; run pulumi refresh`);
  return done.metadata;
}
