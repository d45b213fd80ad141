// The few OpenStack REST calls the drift guards make, in the engine's provider
// process: a Keystone token (kept in memory for one operation, never returned
// or logged), then Neutron's rules of a group and Nova's metadata of a server.
import {
  endpointFor,
  resolveAuth,
  tokenRequestBody,
  tokensUrl,
  type CatalogService,
  type GuardAuth,
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

/** Logs in with `given` over the process's OS_* environment. */
export async function openSession(given: GuardAuth): Promise<OpenStackSession> {
  const auth = resolveAuth(given, process.env);
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
  const { catalog } = ((await response.json()) as { token: { catalog?: CatalogService[] } }).token;
  return {
    async request<T>(type: "network" | "compute", method: string, path: string, body?: unknown) {
      // Neutron's endpoint is registered with or without its "/v2.0"; paths here carry it.
      const base = endpointFor(catalog ?? [], type, auth.interface, auth.region).replace(/\/v2\.0$/, "");
      const target = `${base}${path}`;
      const res = await fetch(target, {
        method,
        headers: { "x-auth-token": token, "content-type": "application/json", accept: "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
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
