// A GitLab stand-in on 127.0.0.1 for the merge-request notes API: keeps notes
// in memory, paginates like GitLab, records every call, and can be told to
// fail the next requests to exercise retries.
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedCall {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export interface StoredNote {
  id: number;
  body: string;
  system: boolean;
}

export interface FakeGitLab {
  /** e.g. http://127.0.0.1:PORT/api/v4 */
  apiUrl: string;
  calls: RecordedCall[];
  notes: StoredNote[];
  /** Answer the next requests with these statuses (and Retry-After: 0) before serving normally. */
  failNext(statuses: number[]): void;
  close(): Promise<void>;
}

export async function startFakeGitLab(projectId: string, mergeRequestIid: string): Promise<FakeGitLab> {
  const calls: RecordedCall[] = [];
  const notes: StoredNote[] = [];
  const failures: number[] = [];
  let nextId = 1000;
  const base = `/api/v4/projects/${encodeURIComponent(projectId)}/merge_requests/${mergeRequestIid}/notes`;

  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const body: unknown = raw === "" ? undefined : JSON.parse(raw);
      calls.push({
        method: req.method ?? "",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
      });
      const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(payload === undefined ? "" : JSON.stringify(payload));
      };
      const failure = failures.shift();
      if (failure !== undefined) return send(failure, { message: "injected" }, { "retry-after": "0" });
      if (
        req.headers["private-token"] !== "glpat-test-secret" &&
        req.headers["job-token"] !== "job-test-secret"
      ) {
        return send(401, { message: "401 Unauthorized" });
      }
      if (!url.pathname.startsWith(base)) return send(404, { message: "404 Not found" });
      const noteId = url.pathname.slice(base.length).replace(/^\//, "");
      const content = (body as { body?: string } | undefined)?.body;
      if (req.method === "GET" && noteId === "") {
        const perPage = Number(url.searchParams.get("per_page") ?? 20);
        const page = Number(url.searchParams.get("page") ?? 1);
        const slice = notes.slice((page - 1) * perPage, page * perPage);
        const more = page * perPage < notes.length;
        return send(200, slice, { "x-next-page": more ? String(page + 1) : "" });
      }
      if (req.method === "POST" && noteId === "") {
        if (typeof content !== "string") return send(400, { message: "body is missing" });
        const note = { id: nextId++, body: content, system: false };
        notes.push(note);
        return send(201, note);
      }
      const note = notes.find((n) => String(n.id) === noteId);
      if (!note) return send(404, { message: "404 Note Not Found" });
      if (req.method === "PUT") {
        if (typeof content !== "string") return send(400, { message: "body is missing" });
        note.body = content;
        return send(200, note);
      }
      if (req.method === "DELETE") {
        notes.splice(notes.indexOf(note), 1);
        return send(204);
      }
      return send(405, { message: "method not allowed" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/v4`,
    calls,
    notes,
    failNext: (statuses) => failures.push(...statuses),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
