// A small Kubernetes API client from a JSON kubeconfig (its current context), for
// the restore check run outside Pulumi: bearer token or client certificate,
// the cluster's own authority. Exec credential plugins are not supported.
import * as https from "node:https";

/** An answer of the API server. */
export interface KubeAnswer {
  /** HTTP status. */
  status: number;
  /** Body, as text. */
  body: string;
}

/** Calls the API server of one kubeconfig's current context. */
export interface KubeClient {
  /** The API server's URL. */
  server: string;
  /** One request; `body` is sent as JSON. */
  request(method: string, apiPath: string, body?: unknown): Promise<KubeAnswer>;
  /** GET, then the parsed JSON; a status other than 200 is an error naming the path. */
  getJson<T>(apiPath: string): Promise<T>;
}

interface Kubeconfig {
  "current-context"?: string;
  clusters?: { name: string; cluster: Record<string, string | boolean | undefined> }[];
  contexts?: { name: string; context: { cluster: string; user: string } }[];
  users?: { name: string; user: Record<string, unknown> }[];
}

const fromBase64 = (value: unknown) => (typeof value === "string" ? Buffer.from(value, "base64") : undefined);

/** How {@link httpsRequest} reaches and logs in to the API server. */
export interface HttpsRequestOptions {
  /** TLS settings (authority, client certificate, whether to verify). */
  agent?: https.Agent;
  /** Sent as a bearer token when given. */
  token?: string;
  /** Sent as JSON when given. */
  body?: unknown;
  /** The request fails after this long without an answer. */
  timeoutMs: number;
}

/** One HTTPS request to a Kubernetes API server, its answer as text. */
export function httpsRequest(method: string, url: string, options: HttpsRequestOptions): Promise<KubeAnswer> {
  const { agent, token, body, timeoutMs } = options;
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const req = https.request(url, { method, headers, agent, timeout: timeoutMs }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${url}: timed out`)));
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Parses a kubeconfig given as JSON, saying how to get one when it is not. */
function parseKubeconfig(text: string): Kubeconfig {
  try {
    return JSON.parse(text) as Kubeconfig;
  } catch {
    throw new Error(
      "kubeconfig: not JSON; write one with `kubectl config view --raw --flatten --minify -o json`",
    );
  }
}

/** A client for the current context of a kubeconfig (JSON, as the lab writes it). */
export function kubeClient(kubeconfigText: string): KubeClient {
  const config = parseKubeconfig(kubeconfigText);
  const contextName = config["current-context"];
  const context = config.contexts?.find((c) => c.name === contextName)?.context;
  if (!context) throw new Error(`kubeconfig: current-context "${contextName}" is not among its contexts`);
  const cluster = config.clusters?.find((c) => c.name === context.cluster)?.cluster;
  const user = config.users?.find((u) => u.name === context.user)?.user ?? {};
  if (!cluster || typeof cluster.server !== "string") {
    throw new Error(`kubeconfig: cluster "${context.cluster}" has no server`);
  }
  if (user.exec || user["auth-provider"]) {
    throw new Error(
      `kubeconfig: user "${context.user}" logs in through a plugin; give a token or a client certificate`,
    );
  }
  const server = cluster.server.replace(/\/$/, "");
  const agent = new https.Agent({
    ca: fromBase64(cluster["certificate-authority-data"]),
    cert: fromBase64(user["client-certificate-data"]),
    key: fromBase64(user["client-key-data"]),
    rejectUnauthorized: cluster["insecure-skip-tls-verify"] !== true,
  });
  const token = typeof user.token === "string" ? user.token : undefined;

  const request = (method: string, apiPath: string, body?: unknown): Promise<KubeAnswer> =>
    httpsRequest(method, `${server}${apiPath}`, { agent, token, body, timeoutMs: 30_000 });

  return {
    server,
    request,
    async getJson<T>(apiPath: string): Promise<T> {
      const answer = await request("GET", apiPath);
      if (answer.status !== 200)
        throw new Error(`GET ${apiPath}: ${answer.status} ${answer.body.slice(0, 300)}`);
      return JSON.parse(answer.body) as T;
    },
  };
}
