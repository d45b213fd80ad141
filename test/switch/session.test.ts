// SwitchSession against the simulated switches over real SSH.
import * as fs from "node:fs";
import { utils } from "ssh2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withRetry } from "../../providers/switch/retry";
import {
  CommandTimeoutError,
  ConfigLineError,
  HostKeyMismatchError,
  SwitchAuthError,
  SwitchConnectionError,
  UnsupportedSwitchOsError,
} from "../../providers/switch/errors";
import { applyConfig } from "../../providers/switch/operations/config";
import {
  cancelScheduledReboot,
  readScheduledReboot,
  saveConfiguration,
  scheduleReboot,
} from "../../providers/switch/operations/device";
import { SwitchSession, type SessionOptions } from "../../providers/switch/session";
import { parseConfig } from "../../providers/switch/parsers/config";
import { comware5 } from "../../providers/switch/profiles/comware5";
import { makeImage, startLab, targetFor, type LabFixture } from "./labHelpers";

const key = utils.generateKeyPairSync("ed25519");

describe("SwitchSession against the lab", () => {
  let fx: LabFixture;
  const opts = (name: string, extra: Partial<SessionOptions> = {}): SessionOptions => {
    const t = targetFor(fx.lab.get(name));
    return {
      host: t.host,
      port: t.port,
      username: t.username,
      password: t.password,
      hostKeySha256: t.hostKeySha256,
      connectTimeoutMs: t.connectTimeoutMs,
      commandTimeoutMs: t.commandTimeoutMs,
      ...extra,
    };
  };

  beforeAll(async () => {
    fx = await startLab([
      { name: "s1", members: 2 },
      { name: "s2", authorizedKeys: [key.public] },
      { name: "s3" },
    ]);
  });
  afterAll(async () => {
    for (const sw of fx?.lab.switches ?? []) sw.setFaults({});
    await fx?.close();
  });

  it("logs in with a password and a pinned host key, disables paging, runs commands without echo or prompt", async () => {
    const s = await SwitchSession.connect(opts("s1"));
    try {
      expect(s.hostname).toBe("s1");
      expect(s.prompt).toBe("<s1>");
      expect(s.pagingDisabled).toBe(true);
      const out = await s.run("display version");
      expect(out.split("\n")[0]).toBe("HP Comware Platform Software");
      expect(out).not.toContain("<s1>");
      expect(out).not.toContain("display version");
      const config = await s.run("display current-configuration");
      expect(config).not.toContain("---- More ----");
      expect(parseConfig(config, comware5.config)).toEqual(
        parseConfig(fx.lab.get("s1").runningConfig(), comware5.config),
      );
    } finally {
      s.close();
    }
  });

  it("answers the pager when paging stays on, and the output is the same", async () => {
    const s = await SwitchSession.connect(opts("s1", { disablePaging: false }));
    try {
      const config = await s.run("display current-configuration");
      expect(config.split("\n").length).toBeGreaterThan(60); // more than two 24-line pages
      expect(config).not.toContain("More");
      expect(config).not.toContain("\u001b");
      expect(parseConfig(config, comware5.config)).toEqual(
        parseConfig(fx.lab.get("s1").runningConfig(), comware5.config),
      );
    } finally {
      s.close();
    }
  });

  it("logs in with a private key", async () => {
    const s = await SwitchSession.connect(opts("s2", { password: undefined, privateKey: key.private }));
    try {
      expect(s.prompt).toBe("<s2>");
    } finally {
      s.close();
    }
  });

  it("refuses a host key that is not the pinned one, naming the host and both fingerprints", async () => {
    const sw = fx.lab.get("s1");
    const wrong = "SHA256:" + "A".repeat(43);
    const error = await SwitchSession.connect(opts("s1", { hostKeySha256: wrong })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostKeyMismatchError);
    const message = (error as Error).message;
    expect(message).toContain(`${sw.host}:${sw.port}`);
    expect(message).toContain(wrong);
    expect(message).toContain(sw.hostKeyFingerprint);
  });

  it("requires a pin unless trust-on-first-use is asked for", async () => {
    await expect(SwitchSession.connect(opts("s1", { hostKeySha256: undefined }))).rejects.toThrow(
      /hostKeySha256 is required/,
    );
    const s = await SwitchSession.connect(
      opts("s1", { hostKeySha256: undefined, allowUnknownHostKey: true }),
    );
    s.close();
  });

  it("reports wrong credentials clearly, without the password, and is not retried", async () => {
    let attempts = 0;
    const secret = "definitely-wrong-Pa55";
    const error = await withRetry(
      async () => {
        attempts++;
        return SwitchSession.connect(opts("s3", { password: secret }));
      },
      { attempts: 4, baseDelayMs: 1 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SwitchAuthError);
    expect((error as Error).message).toMatch(/authentication failed for user "admin" with password/);
    expect((error as Error).message).not.toContain(secret);
    expect(attempts).toBe(1);
  });

  it("applies configuration lines, and on a refused line names it and the device error and returns to user view", async () => {
    const sw = fx.lab.get("s1");
    const s = await SwitchSession.connect(opts("s1"));
    try {
      await s.configure(["vlan 42", "name session-test", "quit"]);
      expect(s.prompt).toBe("<s1>");
      expect(sw.runningConfig()).toContain("vlan 42\n name session-test");
      const error = await s.configure(["vlan 43", "quit", "frobnicate the switch"]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigLineError);
      expect((error as ConfigLineError).message).toMatch(
        /configuration line "frobnicate the switch" was refused: % Unrecognized command found at '\^' position\. \(2 line\(s\) before it were applied\)/,
      );
      expect(s.prompt).toBe("<s1>");
      await saveConfiguration(s);
      expect(parseConfig(sw.savedConfig(), comware5.config)).toEqual(
        parseConfig(sw.runningConfig(), comware5.config),
      );
    } finally {
      s.close();
    }
  });

  it("never sends a bare Enter at a [Y/N] question, however the device splits its output into packets", async () => {
    const sw = fx.lab.get("s3");
    const before = sw.bareEntersAtQuestions;
    // Packet sizes that cut the save dialogue's questions at many different places.
    for (const chunk of [1, 3, 7, 11, 16, 29, 53]) {
      sw.setFaults({ outputChunkChars: chunk });
      const s = await SwitchSession.connect(opts("s3"));
      try {
        await s.configure([`sysname s3`]);
        const out = await saveConfiguration(s);
        expect(out, `packets of ${chunk} characters`).toMatch(/saved to device successfully/);
        expect(await readScheduledReboot(s)).toBeNull();
        await scheduleReboot(s, { hour: 3, minute: 30 });
        await cancelScheduledReboot(s);
      } finally {
        s.close();
      }
      expect(sw.bareEntersAtQuestions - before, `packets of ${chunk} characters`).toBe(0);
    }
    sw.setFaults({});
  });

  it("schedules a reboot, reads it back, and cancels it", async () => {
    const sw = fx.lab.get("s3");
    const s = await SwitchSession.connect(opts("s3"));
    try {
      const now = sw.clock.now();
      const at = new Date(now.getTime() + 3 * 3600_000);
      const scheduled = await scheduleReboot(s, {
        hour: at.getUTCHours(),
        minute: at.getUTCMinutes(),
        date: { year: at.getUTCFullYear(), month: at.getUTCMonth() + 1, day: at.getUTCDate() },
      });
      expect(scheduled.when).toMatch(/^\d{2}:\d{2} \d{2}\/\d{2}\/\d{4}$/);
      expect(sw.scheduledReboot()).not.toBeNull();
      await cancelScheduledReboot(s);
      expect(await readScheduledReboot(s)).toBeNull();
      expect(sw.scheduledReboot()).toBeNull();
    } finally {
      s.close();
    }
  });

  it("times out on a slow device with an error naming the command, and works with a longer timeout", async () => {
    const sw = fx.lab.get("s3");
    sw.setFaults({ latencyMs: 600 });
    try {
      const slow = await SwitchSession.connect(
        opts("s3", { commandTimeoutMs: 200, connectTimeoutMs: 5000 }),
      ).catch((e: unknown) => e);
      // The paging command itself is slow: the connect step times out on it.
      expect(slow).toBeInstanceOf(CommandTimeoutError);
      expect((slow as Error).message).toMatch(/no prompt 200 ms after "screen-length disable"/);
      const s = await SwitchSession.connect(opts("s3", { commandTimeoutMs: 5000 }));
      try {
        expect(await s.run("display clock")).toMatch(/UTC/);
      } finally {
        s.close();
      }
    } finally {
      sw.setFaults({});
    }
  });

  it("refuses, by name and before any change, a switch whose display version is no OS socle drives", async () => {
    const sw = fx.lab.get("s3");
    sw.setFaults({ softwareVersion: "3.10" });
    const config = sw.runningConfig();
    try {
      const address = `127.0.0.1:${sw.port}`;
      const detected = await SwitchSession.connect(opts("s3")).catch((e: unknown) => e);
      expect(detected).toBeInstanceOf(UnsupportedSwitchOsError);
      expect((detected as UnsupportedSwitchOsError).transient).toBe(false);
      expect((detected as Error).message).toBe(
        `switch ${address}: display version reports Comware 3.10, which socle does not drive ` +
          `(it drives Comware 5.20 (os "comware5") and Comware 7.1 (os "comware7")); nothing was changed`,
      );
      const given = await SwitchSession.connect(opts("s3", { profile: comware5 })).catch((e: unknown) => e);
      expect((given as Error).message).toBe(
        `switch ${address}: os "comware5" (Comware 5.20) does not match the switch: display version reports ` +
          `Comware 3.10; socle drives Comware 5.20 (os "comware5") and Comware 7.1 (os "comware7"); nothing was changed`,
      );
      // The configuration path stops there too: nothing applied, no retry of a refusal.
      const applied = await applyConfig(
        { ...targetFor(sw), retry: { attempts: 3, baseDelayMs: 10 } },
        { text: "#\nvlan 77\n name refused\n#\n" },
      ).catch((e: unknown) => e);
      expect(applied).toBeInstanceOf(UnsupportedSwitchOsError);
      expect(sw.runningConfig()).toBe(config);
    } finally {
      sw.setFaults({});
    }
  });

  it("reports a connection dropped mid-command as a transient connection error", async () => {
    const sw = fx.lab.get("s3");
    const s = await SwitchSession.connect(opts("s3"));
    sw.setFaults({ dropAtCommand: 1 });
    try {
      const error = await s.run("display version").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SwitchConnectionError);
      expect((error as SwitchConnectionError).transient).toBe(true);
      expect((error as Error).message).toContain('while running "display version"');
    } finally {
      s.close();
      sw.setFaults({});
    }
  });

  it("uploads over SFTP, resumes from the remote size after a cut, and the read-back checksum matches", async () => {
    const sw = fx.lab.get("s1");
    const file = makeImage(fx.dir, "upload-test.bin", 4 * 1024 * 1024 + 123);
    const local = fs.readFileSync(file);
    sw.setFaults({ dropAfterUploadBytes: 2.5 * 1024 * 1024 });
    const first = await SwitchSession.connect(opts("s1"));
    const progress: number[] = [];
    const cut = await first.sftp
      .upload(file, "/upload-test.bin", { onProgress: (sent) => progress.push(sent) })
      .catch((e: unknown) => e);
    first.close();
    expect(cut).toBeInstanceOf(SwitchConnectionError);
    const stored = sw.flashFiles(1).find((f) => f.name === "upload-test.bin")!;
    expect(stored.size).toBeGreaterThan(0);

    const second = await SwitchSession.connect(opts("s1"));
    try {
      const result = await second.sftp.upload(file, "/upload-test.bin");
      // Resumes below the stored size by at most the in-flight window (32 x 31 KiB), never from 0.
      expect(result.resumedFrom).toBeGreaterThan(0);
      expect(result.resumedFrom).toBeLessThanOrEqual(stored.size);
      expect(stored.size - result.resumedFrom).toBeLessThanOrEqual(32 * 31 * 1024);
      expect(result.bytesSent).toBe(local.length - result.resumedFrom);
      expect(await second.sftp.size("/upload-test.bin")).toBe(local.length);
      const { createHash } = await import("node:crypto");
      expect(await second.sftp.checksum("/upload-test.bin")).toBe(
        createHash("sha256").update(local).digest("hex"),
      );
      expect(sw.readFlashFile(1, "upload-test.bin").equals(local)).toBe(true);
      await second.sftp.remove("/upload-test.bin");
      expect(await second.sftp.size("/upload-test.bin")).toBeNull();
    } finally {
      second.close();
      sw.setFaults({});
    }
    expect(progress.length).toBeGreaterThan(1);
  });
});
