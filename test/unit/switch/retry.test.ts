import { describe, expect, it } from "vitest";
import {
  backoffDelayMs,
  isTransientError,
  mapLimit,
  mapLimitSettled,
  withRetry,
} from "../../../providers/switch/retry";
import {
  CommandTimeoutError,
  HostKeyMismatchError,
  SwitchAuthError,
  SwitchConnectionError,
} from "../../../providers/switch/errors";

const noSleep = async () => undefined;

describe("withRetry", () => {
  it("retries transient network errors with growing, jittered delays, then succeeds", async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw new SwitchConnectionError("reset", "h:22", "ECONNRESET");
        return "ok";
      },
      { baseDelayMs: 100, random: () => 0.5, sleep: noSleep, onRetry: (_e, _a, d) => delays.push(d) },
    );
    expect(result).toBe("ok");
    expect(calls).toBe(3);
    expect(delays).toEqual([50, 100]);
  });

  it("never retries authentication or host key errors", async () => {
    for (const error of [
      new SwitchAuthError("h:22", "admin", "password"),
      new HostKeyMismatchError("h:22", "SHA256:a", "SHA256:b"),
    ]) {
      let calls = 0;
      await expect(
        withRetry(
          async () => {
            calls++;
            throw error;
          },
          { sleep: noSleep },
        ),
      ).rejects.toBe(error);
      expect(calls).toBe(1);
    }
  });

  it("gives up after the configured attempts with the last error", async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw Object.assign(new Error(`refused ${calls}`), { code: "ECONNREFUSED" });
        },
        { attempts: 3, sleep: noSleep },
      ),
    ).rejects.toThrow("refused 3");
    expect(calls).toBe(3);
  });

  it("classifies errors", () => {
    expect(isTransientError(new CommandTimeoutError("h", "display version", 10))).toBe(true);
    expect(isTransientError(Object.assign(new Error("x"), { code: "ETIMEDOUT" }))).toBe(true);
    expect(isTransientError(new Error("bug"))).toBe(false);
    expect(isTransientError(null)).toBe(false);
  });

  it("caps the backoff and keeps it within [0, ceiling]", () => {
    expect(backoffDelayMs(10, 500, 15_000, () => 0.999)).toBeLessThanOrEqual(15_000);
    expect(backoffDelayMs(1, 500, 15_000, () => 0)).toBe(0);
    expect(backoffDelayMs(3, 500, 15_000, () => 1)).toBe(2000);
  });
});

describe("mapLimit", () => {
  it("never runs more than the limit at once and keeps the input order", async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimit([50, 10, 30, 5, 20, 1], 2, async (ms, i) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, ms));
      running--;
      return i * 10;
    });
    expect(out).toEqual([0, 10, 20, 30, 40, 50]);
    expect(peak).toBe(2);
  });

  it("stops starting new items after a failure and throws the first error", async () => {
    const started: number[] = [];
    await expect(
      mapLimit([1, 2, 3, 4, 5], 1, async (n) => {
        started.push(n);
        if (n === 2) throw new Error("switch 2 failed");
        return n;
      }),
    ).rejects.toThrow("switch 2 failed");
    expect(started).toEqual([1, 2]);
  });

  it("settled variant runs everything and reports each outcome", async () => {
    const out = await mapLimitSettled([1, 2, 3], 3, async (n) => {
      if (n === 2) throw new Error("bad");
      return n;
    });
    expect(out.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    await expect(mapLimit([1], 0, async (n) => n)).rejects.toThrow(/limit must be an integer >= 1, got 0/);
  });
});
