// Retries with exponential backoff and jitter for transient network failures
// only, and a bounded-parallelism map for fleets of switches.
import { SwitchError } from "./errors";

/** Retry policy: attempts, backoff bounds, which errors to retry, and hooks for logs and tests. */
export interface RetryOptions {
  /** Total attempts including the first. @default 4 */
  attempts?: number;
  /** Delay before the first retry. @default 500 */
  baseDelayMs?: number;
  /** Upper bound of one delay. @default 15000 */
  maxDelayMs?: number;
  /** Which errors are worth another attempt. @default isTransientError */
  isRetryable?: (error: unknown) => boolean;
  /** Called before each retry (for logs). */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Source of randomness in [0, 1) for the jitter (tests pass a fixed one). @default Math.random */
  random?: () => number;
  /** How to wait (tests pass a fake). @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
}

const TRANSIENT_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EAI_AGAIN",
]);

/**
 * Transient = the network or a slow device, where trying again may succeed.
 * Authentication failures, host key mismatches, device refusals and
 * programming errors are never transient.
 */
export function isTransientError(error: unknown): boolean {
  if (error instanceof SwitchError) return error.transient;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && TRANSIENT_CODES.has(code);
}

/** "Full jitter" backoff: a random delay in [0, min(max, base * 2^(attempt-1))]. */
export function backoffDelayMs(
  attempt: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number,
): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling * random());
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` (given the attempt number, from 1) until it succeeds. An error that
 * `isRetryable` accepts (a transient one by default) is retried after a
 * full-jitter backoff; any other error, or the error of the last attempt, is thrown.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 4;
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 15_000;
  const retryable = options.isRetryable ?? isTransientError;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= attempts || !retryable(error)) throw error;
      const delay = backoffDelayMs(attempt, base, max, random);
      options.onRetry?.(error, attempt, delay);
      await sleep(delay);
    }
  }
}

/**
 * Maps with at most `limit` calls running at once; results keep the input
 * order. On the first failure no new call starts, the running ones finish, and
 * the first error is thrown.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const settled = await runLimited(items, limit, fn, true);
  const failed = settled.find((s): s is PromiseRejectedResult => s?.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<R>).value);
}

/** Like mapLimit but runs every item and reports each outcome (for fleets: one bad switch does not stop the rest). */
export async function mapLimitSettled<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  return runLimited(items, limit, fn, false) as Promise<PromiseSettledResult<R>[]>;
}

async function runLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  stopOnFailure: boolean,
): Promise<(PromiseSettledResult<R> | undefined)[]> {
  if (!Number.isInteger(limit) || limit < 1)
    throw new Error(`mapLimit: limit must be an integer >= 1, got ${limit}`);
  const results: (PromiseSettledResult<R> | undefined)[] = new Array(items.length);
  let next = 0;
  let stopped = false;
  const worker = async () => {
    while (!stopped && next < items.length) {
      const index = next++;
      try {
        results[index] = { status: "fulfilled", value: await fn(items[index], index) };
      } catch (reason) {
        results[index] = { status: "rejected", reason };
        if (stopOnFailure) stopped = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
