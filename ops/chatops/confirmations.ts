// Confirmation codes for `up` of a production stack: the first request gets a
// short code, valid for one use by the same user on the same stack for 5 minutes.
import * as crypto from "node:crypto";

const VALID_MS = 5 * 60 * 1000;

export class Confirmations {
  private pending = new Map<string, { code: string; until: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A new code for `user` to update `stack`. */
  issue(user: string, stack: string): string {
    const code = crypto.randomBytes(3).toString("hex");
    this.pending.set(`${user} ${stack}`, { code, until: this.now() + VALID_MS });
    return code;
  }

  /** Whether `code` is the live code of `user` for `stack`; a code serves once. */
  consume(user: string, stack: string, code: string): boolean {
    const key = `${user} ${stack}`;
    const entry = this.pending.get(key);
    if (!entry || entry.until < this.now() || entry.code !== code) return false;
    this.pending.delete(key);
    return true;
  }
}
