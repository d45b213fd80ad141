// How operations reach a switch: connection settings plus retry policy, and a
// helper that opens a session, runs a step and always closes it.
import { withRetry, type RetryOptions } from "../retry";
import { SwitchSession, type SessionOptions } from "../session";

/** One switch stack to operate on: its session options (without `log`), a display name, a retry policy. */
export interface SwitchTarget extends Omit<SessionOptions, "log"> {
  /** Name used in messages and results. @default "host:port" */
  name?: string;
  /** Retry policy for transient network failures. @default 4 attempts, 500 ms base backoff with jitter */
  retry?: RetryOptions;
}

/** Options every operation accepts. */
export interface OperationOptions {
  /** Progress lines (never secrets). */
  log?: (message: string) => void;
}

/** The target's name for messages and results: `name`, else "host:port". */
export function targetName(target: SwitchTarget): string {
  return target.name ?? `${target.host}:${target.port ?? 22}`;
}

/** Opens a session, runs `fn`, closes the session. No retry: see withTargetRetry. */
export async function withSession<T>(
  target: SwitchTarget,
  fn: (session: SwitchSession) => Promise<T>,
  options: OperationOptions = {},
): Promise<T> {
  const session = await SwitchSession.connect({ ...target, log: options.log });
  try {
    return await fn(session);
  } finally {
    session.close();
  }
}

/**
 * Runs `fn` in a fresh session, and again in a new session after a transient
 * failure (dropped connection, timeout). `fn` must be safe to repeat: every
 * operation here re-reads the device state and plans from it.
 */
export function withTargetRetry<T>(
  target: SwitchTarget,
  fn: (session: SwitchSession, attempt: number) => Promise<T>,
  options: OperationOptions = {},
): Promise<T> {
  return withRetry((attempt) => withSession(target, (s) => fn(s, attempt), options), {
    ...target.retry,
    onRetry: (error, attempt, delayMs) => {
      options.log?.(
        `${targetName(target)}: attempt ${attempt} failed (${(error as Error).message}); retrying in ${delayMs} ms`,
      );
      target.retry?.onRetry?.(error, attempt, delayMs);
    },
  });
}
