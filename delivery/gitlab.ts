// GitLab REST wiring for merge-request notes: the target read from CI
// variables, and a small client that retries what GitLab asks to retry.

/** Where the notes go and how to authenticate. */
export interface MergeRequestTarget {
  /** e.g. https://gitlab.example.org/api/v4 (CI_API_V4_URL) */
  apiUrl: string;
  /** Numeric project ID (CI_PROJECT_ID), or the project's full path (socle URL-encodes it). */
  projectId: string;
  /** The merge request's number within the project, e.g. "42" (CI_MERGE_REQUEST_IID). */
  mergeRequestIid: string;
  /** PRIVATE-TOKEN for personal/project/group access tokens, JOB-TOKEN for CI_JOB_TOKEN. */
  tokenHeader: "PRIVATE-TOKEN" | "JOB-TOKEN";
  /** The token (a secret: never printed). */
  token: string;
  /** Which variable the token came from, for error messages (never the token itself). */
  tokenSource: string;
}

/**
 * Reads the merge request target from GitLab CI's predefined variables.
 * Uses CI_MERGE_REQUEST_IID, so it works in merge-request and merged-results
 * pipelines alike (a branch name would not identify the MR there).
 */
export function targetFromEnv(env: Record<string, string | undefined>): MergeRequestTarget {
  const missing: string[] = [];
  const need = (name: string, fix: string): string => {
    const value = env[name]?.trim();
    if (!value) missing.push(`${name} (${fix})`);
    return value ?? "";
  };
  const apiUrl = need("CI_API_V4_URL", "set by GitLab CI; outside CI set it to https://<host>/api/v4");
  const projectId = need("CI_PROJECT_ID", "set by GitLab CI; outside CI set it to the numeric project id");
  const mergeRequestIid = need(
    "CI_MERGE_REQUEST_IID",
    'only set in merge request pipelines: add `rules: - if: $CI_PIPELINE_SOURCE == "merge_request_event"` to the job',
  );
  const privateToken = env.SOCLE_GITLAB_TOKEN?.trim();
  const jobToken = env.CI_JOB_TOKEN?.trim();
  if (!privateToken && !jobToken) {
    missing.push(
      "SOCLE_GITLAB_TOKEN (a project access token with the `api` scope, stored as a masked CI/CD variable)",
    );
  }
  if (missing.length > 0) throw new Error(`missing CI variables:\n  - ${missing.join("\n  - ")}`);
  if (!/^[0-9]+$/.test(mergeRequestIid)) {
    throw new Error(
      `CI_MERGE_REQUEST_IID must be the merge request number (e.g. 42), got "${mergeRequestIid}"`,
    );
  }
  return {
    apiUrl: apiUrl.replace(/\/+$/, ""),
    projectId,
    mergeRequestIid,
    tokenHeader: privateToken ? "PRIVATE-TOKEN" : "JOB-TOKEN",
    token: privateToken ?? jobToken ?? "",
    tokenSource: privateToken ? "SOCLE_GITLAB_TOKEN" : "CI_JOB_TOKEN",
  };
}

/** A merge request note, as GitLab returns it (only the fields socle reads). */
export interface Note {
  /** Note ID. */
  id: number;
  /** Markdown text. */
  body: string;
  /** True for notes GitLab writes itself (pushes, status changes). */
  system?: boolean;
}

/** How {@link MergeRequestNotes} retries rate-limited (429) and failed (5xx) requests, and network errors. */
export interface RetryOptions {
  /** Attempts per request, the first included. @default 5 */
  attempts?: number;
  /** First back-off delay; doubles on each retry. @default 500 */
  baseDelayMs?: number;
  /** Longest wait, including a server's Retry-After. @default 30000 */
  maxDelayMs?: number;
}

/** A GitLab API request failed; the message says what to fix. */
export class GitLabError extends Error {
  constructor(
    message: string,
    /** HTTP status of a refused request; absent when the retries ran out (network errors, 429 or 5xx). */
    readonly status?: number,
  ) {
    super(message);
    this.name = "GitLabError";
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Statuses worth retrying: rate limiting and server-side failures. */
export function isRetryable(status: number): boolean {
  return status === 429 || status >= 500;
}

/** A small client for the notes of one merge request. */
export class MergeRequestNotes {
  private readonly attempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(
    private readonly target: MergeRequestTarget,
    retry: RetryOptions = {},
  ) {
    this.attempts = Math.max(1, retry.attempts ?? 5);
    this.baseDelayMs = retry.baseDelayMs ?? 500;
    this.maxDelayMs = retry.maxDelayMs ?? 30_000;
  }

  private notesPath(noteId?: number): string {
    const t = this.target;
    const base = `/projects/${encodeURIComponent(t.projectId)}/merge_requests/${encodeURIComponent(t.mergeRequestIid)}/notes`;
    return noteId === undefined ? base : `${base}/${noteId}`;
  }

  private async request(method: string, path: string, body?: unknown): Promise<Response> {
    const url = `${this.target.apiUrl}${path}`;
    const headers: Record<string, string> = {
      [this.target.tokenHeader]: this.target.token,
      Accept: "application/json",
    };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let lastProblem = "";
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      let response: Response | undefined;
      try {
        response = await fetch(url, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        lastProblem = cause?.code ?? cause?.message ?? (err as Error).message;
      }
      if (response && response.ok) return response;
      if (response && !isRetryable(response.status)) throw await this.failure(method, path, response);
      if (response) lastProblem = `HTTP ${response.status}`;
      if (attempt < this.attempts) {
        const retryAfterSec = Number(response?.headers.get("retry-after"));
        const backoff = this.baseDelayMs * 2 ** (attempt - 1);
        await sleep(
          Math.min(
            this.maxDelayMs,
            Number.isFinite(retryAfterSec) && retryAfterSec > 0 ? retryAfterSec * 1000 : backoff,
          ),
        );
      }
    }
    throw new GitLabError(`${method} ${url} failed after ${this.attempts} attempts (last: ${lastProblem})`);
  }

  private async failure(method: string, path: string, response: Response): Promise<GitLabError> {
    const detail = (await response.text().catch(() => "")).slice(0, 300);
    const where = `${method} ${this.target.apiUrl}${path}`;
    const t = this.target;
    const hint =
      response.status === 401 || response.status === 403
        ? `GitLab refused the token from ${t.tokenSource}: use a project access token with the \`api\` scope (CI_JOB_TOKEN cannot write notes) in SOCLE_GITLAB_TOKEN`
        : response.status === 404
          ? `merge request !${t.mergeRequestIid} of project ${t.projectId} not found, or the token cannot see it: check CI_PROJECT_ID and CI_MERGE_REQUEST_IID`
          : "GitLab rejected the request";
    return new GitLabError(
      `${where} returned HTTP ${response.status}: ${hint}${detail ? ` (${detail})` : ""}`,
      response.status,
    );
  }

  /** Every note of the merge request, following GitLab's pagination. */
  async list(): Promise<Note[]> {
    const notes: Note[] = [];
    let page = "1";
    while (page) {
      const response = await this.request(
        "GET",
        `${this.notesPath()}?per_page=100&page=${page}&sort=asc&order_by=created_at`,
      );
      const batch = (await response.json()) as Note[];
      notes.push(...batch);
      page = response.headers.get("x-next-page") ?? "";
      if (batch.length === 0) break;
    }
    return notes;
  }

  /** Adds a note with this Markdown body. */
  async create(body: string): Promise<Note> {
    return (await (await this.request("POST", this.notesPath(), { body })).json()) as Note;
  }

  /** Replaces the body of a note. */
  async update(noteId: number, body: string): Promise<Note> {
    return (await (await this.request("PUT", this.notesPath(noteId), { body })).json()) as Note;
  }

  /** Deletes a note. */
  async remove(noteId: number): Promise<void> {
    await this.request("DELETE", this.notesPath(noteId));
  }
}
