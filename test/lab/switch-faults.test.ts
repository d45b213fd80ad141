// SFTP on the simulated switch and every injectable fault.
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client, SFTPWrapper } from "ssh2";
import { startSwitchLab, type SwitchLab, type SwitchHandle } from "../../lab/switch";
import { Shell, connect, connectConfig, exec, openSftp } from "./ssh-helpers";

let lab: SwitchLab;
let dir: string;
let sw: SwitchHandle;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "switch-faults-"));
  lab = await startSwitchLab({
    dir,
    switches: [{ name: "f1", members: 2, flashKB: 4096 }],
    rebootDelayMs: 100,
  });
  sw = lab.get("f1");
});

afterAll(async () => {
  await lab?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const sha = (b: Buffer): string => createHash("sha256").update(b).digest("hex");

function call<T>(fn: (cb: (err: Error | null | undefined, v: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))));
}

/** Writes `data` from `offset` in 32 KiB requests through an open handle; resolves when all are acknowledged. */
async function writeFrom(
  sftp: SFTPWrapper,
  name: string,
  data: Buffer,
  offset: number,
  flags: "w" | "r+",
): Promise<void> {
  const handle = await call<Buffer>((cb) => sftp.open(name, flags, cb));
  for (let at = offset; at < data.length; at += 32768) {
    const end = Math.min(at + 32768, data.length);
    await call<void>((cb) => sftp.write(handle, data, at, end - at, at, (err) => cb(err, undefined)));
  }
  await call<void>((cb) => sftp.close(handle, (err) => cb(err, undefined)));
}

async function sftpSession(): Promise<{ client: Client; sftp: SFTPWrapper }> {
  const client = await connect(connectConfig(sw));
  return { client, sftp: await openSftp(client) };
}

describe("SFTP", () => {
  it("uploads to the master's flash:/, lists, stats, reads back, renames and removes", async () => {
    const { client, sftp } = await sftpSession();
    const data = randomBytes(200_000);
    await writeFrom(sftp, "/s5120ei-cmw520-r2221p25.bin", data, 0, "w");
    expect(sw.readFlashFile(1, "s5120ei-cmw520-r2221p25.bin").equals(data)).toBe(true);
    expect(sw.flashFiles(2).map((f) => f.name)).not.toContain("s5120ei-cmw520-r2221p25.bin");
    const st = await call<{ size: number }>((cb) => sftp.stat("flash:/s5120ei-cmw520-r2221p25.bin", cb));
    expect(st.size).toBe(200_000);
    const names = await call<{ filename: string }[]>((cb) => sftp.readdir("/", cb));
    expect(names.map((n) => n.filename).sort()).toEqual([
      "s5120ei-cmw520-r2208p01.bin",
      "s5120ei-cmw520-r2221p25.bin",
      "startup.cfg",
    ]);
    const local = path.join(dir, "readback.bin");
    await call<void>((cb) =>
      sftp.fastGet("/s5120ei-cmw520-r2221p25.bin", local, (err) => cb(err, undefined)),
    );
    expect(sha(fs.readFileSync(local))).toBe(sha(data));
    await call<void>((cb) =>
      sftp.rename("/s5120ei-cmw520-r2221p25.bin", "/new.bin", (err) => cb(err, undefined)),
    );
    await call<void>((cb) => sftp.unlink("/new.bin", (err) => cb(err, undefined)));
    await expect(call((cb) => sftp.stat("/new.bin", cb))).rejects.toThrow(/No such file/);
    const out = await exec(client, "dir");
    expect(out).not.toContain("new.bin");
    client.end();
  });

  it("an upload cut after N bytes keeps N bytes and resumes at that offset", async () => {
    const data = randomBytes(300_000);
    sw.setFaults({ dropAfterUploadBytes: 100_000 });
    const first = await sftpSession();
    await expect(writeFrom(first.sftp, "/big.bin", data, 0, "w")).rejects.toThrow();
    expect(sw.readFlashFile(1, "big.bin").length).toBe(100_000);
    // resume: stat, then write the rest at its offset (the drop fires once)
    const second = await sftpSession();
    const st = await call<{ size: number }>((cb) => second.sftp.stat("/big.bin", cb));
    expect(st.size).toBe(100_000);
    await writeFrom(second.sftp, "/big.bin", data, st.size, "r+");
    second.client.end();
    expect(sha(sw.readFlashFile(1, "big.bin"))).toBe(sha(data));
    sw.setFaults({});
  });

  it("fails a write beyond free flash with an SFTP failure (flash full)", async () => {
    sw.setFaults({ flashFreeKB: { "1": 64 } });
    const { client, sftp } = await sftpSession();
    await expect(writeFrom(sftp, "/toolarge.bin", randomBytes(200_000), 0, "w")).rejects.toThrow(
      /flash full/,
    );
    expect(sw.readFlashFile(1, "toolarge.bin").length).toBeLessThanOrEqual(64 * 1024);
    expect(await exec(client, "dir")).toMatch(/4096 KB total \(0 KB free\)/);
    client.end();
    sw.setFaults({});
    // without the override the real size limit applies too (4096 KB flash)
    const again = await sftpSession();
    await expect(writeFrom(again.sftp, "/huge.bin", randomBytes(5 * 1024 * 1024), 0, "w")).rejects.toThrow(
      /flash full/,
    );
    await call<void>((cb) => again.sftp.unlink("/huge.bin", (err) => cb(err, undefined)));
    await call<void>((cb) => again.sftp.unlink("/toolarge.bin", (err) => cb(err, undefined)));
    again.client.end();
  });

  it("a corrupted upload keeps the size but not the content", async () => {
    sw.setFaults({ corruptUpload: true });
    const data = randomBytes(50_000);
    const { client, sftp } = await sftpSession();
    await writeFrom(sftp, "/c.bin", data, 0, "w");
    client.end();
    sw.setFaults({});
    const stored = sw.readFlashFile(1, "c.bin");
    expect(stored.length).toBe(data.length);
    expect(sha(stored)).not.toBe(sha(data));
    expect(stored[25_000]).toBe(data[25_000] ^ 0xff);
  });
});

describe("CLI faults", () => {
  it("drops the connection at the n-th command, once", async () => {
    sw.setFaults({ dropAtCommand: 3 });
    const sh = await Shell.open(sw);
    await sh.run("display clock");
    await sh.run("display clock");
    sh.send("display version\r");
    expect(await sh.closedOrTimeout()).toBe(true);
    expect(sh.buffer).not.toContain("Comware Software");
    const again = await Shell.open(sw);
    expect(await again.run("display clock")).toContain("UTC");
    again.close();
    sw.setFaults({});
  });

  it("slows each command by latencyMs", async () => {
    sw.setFaults({ latencyMs: 300 });
    const sh = await Shell.open(sw);
    const t0 = Date.now();
    await sh.run("display clock");
    const elapsed = Date.now() - t0;
    sh.close();
    sw.setFaults({});
    expect(elapsed).toBeGreaterThanOrEqual(290);
  });

  it("wrong credentials: a changed password and rejectAuth", async () => {
    sw.setFaults({ password: "rotated-pw" });
    await expect(connect(connectConfig(sw))).rejects.toThrow(/authentication/i);
    (await connect(connectConfig(sw, { password: "rotated-pw" }))).end();
    sw.setFaults({ rejectAuth: true });
    await expect(connect(connectConfig(sw))).rejects.toThrow(/authentication/i);
    sw.setFaults({});
    (await connect(connectConfig(sw))).end();
  });

  it("a member that rejects the boot file fails alone and keeps its main image", async () => {
    const image = "s5120ei-cmw520-r2221p25.bin";
    sw.writeFlashFile(1, image, Buffer.alloc(1024, 7));
    sw.writeFlashFile(2, image, Buffer.alloc(1024, 7));
    sw.setFaults({ rejectBootFileOnMembers: [2] });
    const sh = await Shell.open(sw);
    sh.send(`boot-loader file flash:/${image} slot all main\r`);
    await sh.expect(/Continue\? \[Y\/N\]:$/);
    sh.send("y\r");
    const out = await sh.expect(/<f1>$/);
    sh.close();
    sw.setFaults({});
    expect(out).toContain(
      " The specified file will be used as the main boot file at the next reboot on slot 1!\r\n",
    );
    expect(out).toContain("%Failed to set the boot file on slot 2: the file is not a valid boot file.\r\n");
    expect(sw.bootInfo().map((b) => b.main)).toEqual([image, "s5120ei-cmw520-r2208p01.bin"]);
    // put slot 1 back for the next tests
    await sw.runCommand("boot-loader file s5120ei-cmw520-r2208p01.bin main");
  });
});

describe("faults file (out-of-process control)", () => {
  it("is re-read on each new connection, merged over in-process faults, and validated", async () => {
    const file = path.join(sw.stateDir, "faults.json");
    fs.writeFileSync(file, JSON.stringify({ password: "from-file" }));
    await expect(connect(connectConfig(sw))).rejects.toThrow(/authentication/i);
    (await connect(connectConfig(sw, { password: "from-file" }))).end();
    fs.writeFileSync(file, JSON.stringify({ dropAtCommand: 1 }));
    const client = await connect(connectConfig(sw));
    await expect(exec(client, "display clock")).resolves.toBe(""); // connection destroyed instead
    fs.writeFileSync(file, JSON.stringify({ clockOffsetMs: -86_400_000 * 365 }));
    const c2 = await connect(connectConfig(sw));
    const clock = await exec(c2, "display clock");
    c2.end();
    expect(clock).toContain(String(new Date().getUTCFullYear() - 1));
    fs.writeFileSync(file, JSON.stringify({ nonsense: 1 }));
    const c3 = await connect(connectConfig(sw)); // a bad file is reported on stderr and ignored
    c3.end();
    fs.rmSync(file);
    sw.clock.set(new Date());
  });
});

describe("many switches", () => {
  it("starts 48 switches in one process, each answering on its own port", async () => {
    const manyDir = fs.mkdtempSync(path.join(os.tmpdir(), "switch-many-"));
    const many = await startSwitchLab({ dir: manyDir, switches: 48 });
    try {
      expect(new Set(many.switches.map((s) => s.port)).size).toBe(48);
      const outputs = await Promise.all(
        many.switches.map(async (s) => {
          const client = await connect(connectConfig(s));
          const out = await exec(client, "display current-configuration");
          client.end();
          return out;
        }),
      );
      outputs.forEach((out, i) => expect(out).toContain(` sysname ${many.switches[i].name}\r\n`));
    } finally {
      await many.close();
      fs.rmSync(manyDir, { recursive: true, force: true });
    }
  });
});
