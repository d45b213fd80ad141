// The drift guards' login reuse (providers/openstack/client.ts): one Keystone
// login per credentials for a whole operation, a refused token renewed once,
// a failed login never kept. Against a small Keystone-shaped HTTP server on
// loopback that counts the logins; the lab tests (test/lab/openstack-drift)
// run the same code against the real Keystone.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { forgetLogins, openSession } from "../../../providers/openstack/client";

interface Keystone {
  url: string;
  logins: number;
  /** Tokens the "service" turns down with 401. */
  revoked: Set<string>;
  /** Passwords Keystone accepts. */
  passwords: Set<string>;
  close(): Promise<void>;
}

async function startKeystone(): Promise<Keystone> {
  let issued = 0;
  const state = { logins: 0, revoked: new Set<string>(), passwords: new Set(["good"]) };
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      if (req.method === "POST" && req.url === "/v3/auth/tokens") {
        state.logins++;
        const password = JSON.parse(body).auth.identity.password.user.password as string;
        if (!state.passwords.has(password)) {
          res.writeHead(401, { "content-type": "application/json" }).end('{"error":"bad"}');
          return;
        }
        const catalog = [
          { type: "network", endpoints: [{ interface: "public", region_id: "r1", url: base }] },
        ];
        const expires = new Date(Date.now() + 3600_000).toISOString();
        res
          .writeHead(201, { "x-subject-token": `tok-${++issued}`, "content-type": "application/json" })
          .end(JSON.stringify({ token: { catalog, expires_at: expires } }));
        return;
      }
      const token = String(req.headers["x-auth-token"] ?? "");
      if (state.revoked.has(token)) {
        res.writeHead(401).end("token revoked");
        return;
      }
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ security_group: { security_group_rules: [], token } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, {
    url,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }) as Keystone;
}

describe("drift guards reuse one Keystone login per credentials", () => {
  let keystone: Keystone;
  beforeAll(async () => {
    keystone = await startKeystone();
  });
  afterAll(() => keystone.close());
  afterEach(() => {
    forgetLogins();
    keystone.logins = 0;
  });

  // Every field given, so that an OS_* environment (a sourced openrc) changes nothing.
  const auth = (password = "good", projectId = "p1") => ({
    authUrl: keystone.url,
    userName: "socle",
    password,
    projectId,
    userDomainName: "Default",
    region: "r1",
    interface: "public",
  });
  const tokenSeen = async (password?: string, projectId?: string) => {
    const session = await openSession(auth(password, projectId));
    const found = await session.request<{ security_group: { token: string } }>("network", "GET", "/v2.0/x");
    return found?.security_group.token;
  };

  it("twenty guards running at once log in once and share the token", async () => {
    const tokens = await Promise.all(Array.from({ length: 20 }, () => tokenSeen()));
    expect(keystone.logins).toBe(1);
    expect(new Set(tokens).size).toBe(1);
  });

  it("other credentials (another project) get their own login", async () => {
    const a = await tokenSeen("good", "p1");
    const b = await tokenSeen("good", "p2");
    expect(keystone.logins).toBe(2);
    expect(a).not.toBe(b);
  });

  it("a token the service refuses is renewed once and the request made again", async () => {
    const first = await tokenSeen();
    keystone.revoked.add(first ?? "");
    const second = await tokenSeen();
    expect(second).not.toBe(first);
    expect(keystone.logins).toBe(2);
    // Later guards use the renewed token without a new login.
    expect(await tokenSeen()).toBe(second);
    expect(keystone.logins).toBe(2);
  });

  it("a failed login is reported by each guard and never kept", async () => {
    await expect(tokenSeen("wrong")).rejects.toThrow(/login of "socle" .* failed \(HTTP 401\)/);
    await expect(tokenSeen("wrong")).rejects.toThrow(/HTTP 401/);
    expect(keystone.logins).toBe(2);
    keystone.passwords.add("wrong"); // the password was fixed in Keystone
    expect(await tokenSeen("wrong")).toMatch(/^tok-/);
  });
});
