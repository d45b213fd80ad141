// An interactive CLI session with a switch over SSH (ssh2 Client + pty shell),
// driven by a DeviceProfile, plus SFTP transfers on the same connection.
// Everything here is I/O wiring; decisions live in the profile, the parsers and
// the pure planning functions.
import { createHash } from "node:crypto";
import { promises as fsp } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { Client, type ClientChannel, type ConnectConfig, type SFTPWrapper } from "ssh2";
import { cleanOutput } from "./parsers/common";
import type { ScheduledReboot } from "./parsers/scheduleReboot";
import { comware5 } from "./profiles/comware5";
import type { ConfirmationAnswer, DeviceProfile, RebootAt } from "./profiles/types";
import { assertValid, connectionFailures } from "./validation";

// ---------------------------------------------------------------- errors

/** Base of every error the session raises; `transient` says whether retrying may help. */
export class SwitchError extends Error {
  constructor(
    message: string,
    /** The switch concerned: "host:port" for session errors, the target's name for some operation errors. */
    readonly host: string,
    /** True when retrying may help (network failure, timeout); false for refusals, auth, host key. */
    readonly transient: boolean,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The network failed (refused, reset, dropped, connect timeout): retrying may help. */
export class SwitchConnectionError extends SwitchError {
  constructor(
    message: string,
    host: string,
    /** Node/ssh2 error code when known, e.g. "ECONNREFUSED", "ETIMEDOUT", "ECONNRESET". */
    readonly code?: string,
  ) {
    super(message, host, true);
  }
}

/** The device did not answer a command in time. The session is closed (its state is unknown). */
export class CommandTimeoutError extends SwitchError {
  constructor(
    host: string,
    /** The command (or SFTP operation) that got no answer. */
    readonly command: string,
    /** How long it waited, in milliseconds. */
    readonly timeoutMs: number,
  ) {
    super(
      `switch ${host}: no prompt ${timeoutMs} ms after "${command}" (raise commandTimeoutMs if the device is slow)`,
      host,
      true,
    );
  }
}

/** Username/password or key refused. Never retried (it could lock the account). */
export class SwitchAuthError extends SwitchError {
  constructor(host: string, username: string, method: string) {
    super(
      `switch ${host}: authentication failed for user "${username}" with ${method}; check the username and the ${method}`,
      host,
      false,
    );
  }
}

/** The host key is not the pinned one: possibly another machine answering on that address. */
export class HostKeyMismatchError extends SwitchError {
  constructor(
    host: string,
    /** The pinned fingerprint, "SHA256:<base64>". */
    readonly expected: string,
    /** The fingerprint the server presented. */
    readonly actual: string,
  ) {
    super(
      `switch ${host}: host key mismatch: expected ${expected} but the server presented ${actual}; ` +
        `if the switch was replaced or re-keyed, update hostKeySha256`,
      host,
      false,
    );
  }
}

/** The device refused a command (an error line such as "% Unrecognized command ..."). */
export class DeviceCommandError extends SwitchError {
  constructor(
    host: string,
    /** The command the device refused. */
    readonly command: string,
    /** The device's error line, e.g. "% Unrecognized command found at '^' position.". */
    readonly deviceError: string,
  ) {
    super(`switch ${host}: "${command}" failed: ${deviceError.trim()}`, host, false);
  }
}

/** A configuration line was refused in system view; lines before it were applied. */
export class ConfigLineError extends DeviceCommandError {
  constructor(
    host: string,
    line: string,
    deviceError: string,
    /** How many of the lines had been applied before this one. */
    readonly appliedCount: number,
  ) {
    super(host, line, deviceError);
    this.message = `switch ${host}: configuration line "${line}" was refused: ${deviceError.trim()} (${appliedCount} line(s) before it were applied)`;
  }
}

/** The SFTP server refused an operation (flash full, permission ...). */
export class SftpError extends SwitchError {
  constructor(host: string, operation: string, path: string, detail: string) {
    super(`switch ${host}: SFTP ${operation} ${path} failed: ${detail}`, host, false);
  }
}

// ---------------------------------------------------------------- options

/** How to open an SSH session to one switch: address, credentials, pinned host key, profile, timeouts. */
export interface SessionOptions {
  /** Management address of the switch (IP or DNS name) that SSH connects to. */
  host: string;
  /** SSH port of the switch. @default 22 */
  port?: number;
  /** SSH login name on the switch. */
  username: string;
  /** Password authentication (a secret: never logged). */
  password?: string;
  /** Private key (OpenSSH/PEM text) for key authentication (a secret: never logged). */
  privateKey?: string | Buffer;
  /** Passphrase of an encrypted privateKey (a secret). @default none: the key is not encrypted */
  passphrase?: string;
  /** Pinned host key fingerprint, "SHA256:<base64>" as `ssh-keygen -l` prints it. */
  hostKeySha256?: string;
  /** Accept any host key when no pin is given (trust on first use). @default false: a pin is required */
  allowUnknownHostKey?: boolean;
  /** What the switch OS looks like: prompts, commands, confirmations, parsers. @default comware5 */
  profile?: DeviceProfile;
  /** TCP + SSH handshake + first prompt. @default 15000 */
  connectTimeoutMs?: number;
  /** Time from sending a command to the next prompt. @default 30000 */
  commandTimeoutMs?: number;
  /** Send the profile's paging-off command after login; when false, the pager is answered instead. @default true */
  disablePaging?: boolean;
  /** Progress/diagnostic lines (commands are logged, never secrets or outputs). */
  log?: (message: string) => void;
}

/** Options of one CLI command (SwitchSession.run, runChecked). */
export interface RunOptions {
  /** Answers to confirmation questions this command may ask. */
  answers?: ConfirmationAnswer[];
  /** Milliseconds to wait for the next prompt. @default the session's commandTimeoutMs */
  timeoutMs?: number;
}

/** Options of an SFTP upload (SwitchSession.upload). */
export interface UploadOptions {
  /** Continue from the size already on the switch instead of starting over. @default true */
  resume?: boolean;
  /** Called as writes are acknowledged, with the bytes on the switch so far and the file size. */
  onProgress?: (sentBytes: number, totalBytes: number) => void;
  /** SFTP write requests kept in flight. @default 32 */
  concurrency?: number;
}

/** What an SFTP upload did. */
export interface UploadResult {
  /** Size of the local file, in bytes. */
  sizeBytes: number;
  /** Offset the transfer started from (0 = from scratch). */
  resumedFrom: number;
  /** Bytes written in this transfer (0 when the complete file was already on the switch). */
  bytesSent: number;
}

const CHUNK_BYTES = 31 * 1024; // stays under ssh2's 34000-byte packet limit for non-OpenSSH servers

/** OpenSSH-style "SHA256:<base64 without padding>" fingerprint of a raw public key blob. */
export function sha256Fingerprint(key: Buffer): string {
  return `SHA256:${createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}`;
}

function normaliseFingerprint(fp: string): string {
  const body = fp
    .trim()
    .replace(/^SHA256:/i, "")
    .replace(/=+$/, "");
  return `SHA256:${body}`;
}

function authMethod(options: SessionOptions): string {
  return options.privateKey ? "private key" : "password";
}

// ---------------------------------------------------------------- session

/**
 * An interactive CLI session with one switch over SSH (a pty shell driven by a
 * {@link DeviceProfile}), plus SFTP transfers on the same connection. Open it with
 * `SwitchSession.connect`, and always `close()` it.
 */
export class SwitchSession {
  /** The device profile driving prompts, commands and parsers (comware5 unless the options give another). */
  readonly profile: DeviceProfile;
  /** "host:port" of the switch, as used in messages and errors. */
  readonly host: string;
  /** Hostname from the first prompt, e.g. "sw01". */
  hostname = "";
  /** The last prompt seen, e.g. "<sw01>" or "[sw01-vlan10]". */
  prompt = "";
  /** False when `screen-length disable` was refused and paging is answered instead. */
  pagingDisabled = false;

  private channel: ClientChannel | null = null;
  private sftpChannel: SFTPWrapper | null = null;
  private pending = "";
  private decoder = new StringDecoder("utf8");
  private onData: (() => void) | null = null;
  private closedError: SwitchError | null = null;
  private readonly closeWaiters = new Set<(error: SwitchError) => void>();
  private readonly commandTimeoutMs: number;

  private constructor(
    private readonly client: Client,
    private readonly options: SessionOptions,
  ) {
    this.profile = options.profile ?? comware5;
    this.host = `${options.host}:${options.port ?? 22}`;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 30_000;
  }

  /** Connects, authenticates, checks the host key, waits for the prompt and disables paging. */
  static async connect(options: SessionOptions): Promise<SwitchSession> {
    validateOptions(options);
    const session = new SwitchSession(new Client(), options);
    await session.open();
    return session;
  }

  private log(message: string): void {
    this.options.log?.(`[${this.host}] ${message}`);
  }

  private async open(): Promise<void> {
    const o = this.options;
    const connectTimeoutMs = o.connectTimeoutMs ?? 15_000;
    let presentedKey: string | null = null;
    const expected = o.hostKeySha256 ? normaliseFingerprint(o.hostKeySha256) : null;
    const config: ConnectConfig = {
      host: o.host,
      port: o.port ?? 22,
      username: o.username,
      password: o.password,
      privateKey: o.privateKey,
      passphrase: o.passphrase,
      readyTimeout: connectTimeoutMs,
      keepaliveInterval: 10_000,
      keepaliveCountMax: 3,
      tryKeyboard: false,
      // AES runs in node's native crypto; ssh2's default chacha20 may fall back to
      // JavaScript. CBC last: Comware 5 firmware often offers nothing newer.
      algorithms: {
        cipher: [
          "aes128-gcm@openssh.com",
          "aes256-gcm@openssh.com",
          "aes128-ctr",
          "aes256-ctr",
          "aes128-cbc",
          "aes256-cbc",
          "3des-cbc",
        ],
      },
      hostVerifier: (key: Buffer) => {
        presentedKey = sha256Fingerprint(key);
        return expected === null || presentedKey === expected;
      },
    };

    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.client.end();
        reject(
          new SwitchConnectionError(
            `switch ${this.host}: no SSH session within ${connectTimeoutMs} ms`,
            this.host,
            "ETIMEDOUT",
          ),
        );
      }, connectTimeoutMs + 1000);
      this.client.once("ready", () => {
        clearTimeout(timer);
        // Small command/answer packets: without this, Nagle + delayed ACKs add ~40 ms to each exchange.
        this.client.setNoDelay(true);
        resolve();
      });
      this.client.once("error", (err: Error & { level?: string; code?: string }) => {
        clearTimeout(timer);
        if (expected !== null && presentedKey !== null && presentedKey !== expected) {
          reject(new HostKeyMismatchError(this.host, expected, presentedKey));
        } else if (err.level === "client-authentication") {
          reject(new SwitchAuthError(this.host, o.username, authMethod(o)));
        } else {
          reject(
            new SwitchConnectionError(
              `switch ${this.host}: cannot connect: ${err.code ?? ""} ${err.message}`.replace(/\s+/g, " "),
              this.host,
              err.code ?? (err.level === "client-timeout" ? "ETIMEDOUT" : undefined),
            ),
          );
        }
      });
      this.client.connect(config);
    });
    this.client.on("error", (err: Error & { code?: string }) => {
      this.markClosed(
        new SwitchConnectionError(
          `switch ${this.host}: connection error: ${err.message}`,
          this.host,
          err.code,
        ),
      );
    });
    this.client.on("close", () => {
      this.markClosed(
        new SwitchConnectionError(
          `switch ${this.host}: connection closed by the switch`,
          this.host,
          "ECONNRESET",
        ),
      );
    });

    this.channel = await new Promise<ClientChannel>((resolve, reject) => {
      // Same terminal as Netmiko asks for: wide, tall, vt100.
      this.client.shell({ term: "vt100", cols: 511, rows: 1000 }, (err, stream) => {
        if (err)
          reject(
            new SwitchConnectionError(`switch ${this.host}: cannot open a shell: ${err.message}`, this.host),
          );
        else resolve(stream);
      });
    });
    this.channel.on("data", (chunk: Buffer) => {
      this.pending += this.decoder.write(chunk);
      this.onData?.();
    });
    this.channel.on("close", () => {
      this.markClosed(
        new SwitchConnectionError(`switch ${this.host}: shell closed by the switch`, this.host, "ECONNRESET"),
      );
    });

    // First prompt (after an optional banner). Nudge with Enter if the device stays quiet.
    const nudge = setTimeout(() => this.write("\n"), 1500);
    try {
      await this.readUntilPrompt("(login)", { timeoutMs: connectTimeoutMs });
    } finally {
      clearTimeout(nudge);
    }
    const m = /^[<[]([^>\]-]+)/.exec(this.prompt);
    this.hostname = m ? m[1] : this.prompt;
    this.log(`connected, prompt ${this.prompt}`);
    if (this.options.disablePaging ?? true) await this.disablePaging();
  }

  private async disablePaging(): Promise<void> {
    const out = await this.run(this.profile.paging.disableCommand);
    this.pagingDisabled = this.findErrorLine(out) === null;
    // When refused, run() still answers the pager marker, so output stays complete.
    if (!this.pagingDisabled) this.log("paging could not be disabled; answering the pager instead");
  }

  private markClosed(error: SwitchError): void {
    if (!this.closedError) this.closedError = error;
    this.onData?.();
    for (const waiter of this.closeWaiters) waiter(this.closedError);
    this.closeWaiters.clear();
  }

  /**
   * Settles with `work`, or rejects when the connection drops or no progress is
   * reported for commandTimeoutMs (SFTP callbacks may never come after a cut).
   */
  private guard<T>(operation: string, work: (progress: () => void) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let idle: NodeJS.Timeout;
      const arm = () => {
        clearTimeout(idle);
        idle = setTimeout(() => {
          done();
          reject(new CommandTimeoutError(this.host, operation, this.commandTimeoutMs));
          this.close();
        }, this.commandTimeoutMs);
      };
      const onClose = (error: SwitchError) => {
        done();
        reject(new SwitchConnectionError(`${error.message} during ${operation}`, this.host, "ECONNRESET"));
      };
      const done = () => {
        clearTimeout(idle);
        this.closeWaiters.delete(onClose);
      };
      if (this.closedError) return onClose(this.closedError);
      this.closeWaiters.add(onClose);
      arm();
      work(arm).then(
        (value) => {
          done();
          resolve(value);
        },
        (error: unknown) => {
          done();
          reject(error);
        },
      );
    });
  }

  private write(text: string): void {
    if (!this.channel || this.closedError) return;
    this.channel.write(text);
  }

  /**
   * Reads until the next prompt, answering the pager, the given confirmations,
   * and refusing ("n") any other [Y/N] question. Returns everything before the prompt.
   */
  private readUntilPrompt(command: string, options: RunOptions): Promise<string> {
    const timeoutMs = options.timeoutMs ?? this.commandTimeoutMs;
    const answers = options.answers ?? [];
    const p = this.profile;
    let collected = "";
    let unexpectedQuestion: string | null = null;

    return new Promise<string>((resolve, reject) => {
      const finish = (err: Error | null, output?: string) => {
        clearTimeout(timer);
        this.onData = null;
        if (err) reject(err);
        else resolve(output ?? "");
      };
      const timer = setTimeout(() => {
        finish(new CommandTimeoutError(this.host, command, timeoutMs));
        this.close();
      }, timeoutMs);

      const examine = () => {
        const newline = this.pending.lastIndexOf("\n");
        // Only cursor moves are removed here: cleanOutput would also erase the pager marker we look for.
        const lastLine = this.pending
          .slice(newline + 1)
          // eslint-disable-next-line no-control-regex -- cursor-move sequences
          .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "")
          .replace(/\r/g, "");
        if (p.prompts.any.test(lastLine.trim())) {
          collected += this.pending.slice(0, newline + 1);
          this.pending = "";
          this.prompt = lastLine.trim();
          if (unexpectedQuestion !== null) {
            finish(
              new DeviceCommandError(
                this.host,
                command,
                `unexpected question "${unexpectedQuestion}" (answered no)`,
              ),
            );
          } else finish(null, collected);
          return;
        }
        if (p.paging.moreMarker.test(lastLine)) {
          collected += this.pending.slice(0, newline + 1);
          this.pending = "";
          this.write(p.paging.moreAnswer);
          return;
        }
        if (lastLine.trim() === "") return;
        const known = answers.find((a) => a.pattern.test(lastLine));
        if (known) {
          collected += this.pending + "\n";
          this.pending = "";
          this.write(`${known.answer}\n`);
          return;
        }
        if (p.prompts.continueBanner.test(lastLine)) {
          collected += this.pending + "\n";
          this.pending = "";
          this.write("\n");
          return;
        }
        if (p.anyConfirmation.test(lastLine)) {
          unexpectedQuestion = lastLine.trim();
          collected += this.pending + "\n";
          this.pending = "";
          this.write("n\n");
        }
      };
      this.onData = () => {
        if (this.closedError) {
          finish(
            new SwitchConnectionError(
              `${this.closedError.message} while running "${command}"`,
              this.host,
              (this.closedError as SwitchConnectionError).code,
            ),
          );
          return;
        }
        examine();
      };
      this.onData();
    });
  }

  /** Runs one command in the current view and returns its output without the echo and the prompt. */
  async run(command: string, options: RunOptions = {}): Promise<string> {
    if (this.closedError) throw this.closedError;
    if (this.onData)
      throw new Error(`switch ${this.host}: run("${command}") while another command is running`);
    this.log(`> ${command}`);
    this.pending = "";
    this.write(`${command}\n`);
    const raw = await this.readUntilPrompt(command, options);
    const withoutResidue = this.profile.paging.residue.reduce((text, re) => text.replace(re, ""), raw);
    const lines = cleanOutput(withoutResidue).split("\n");
    // Drop the echo of the command (possibly after the previous prompt).
    if (lines.length > 0 && lines[0].trimEnd().endsWith(command.trim())) lines.shift();
    while (lines.length > 0 && lines[lines.length - 1].trim() === "") lines.pop();
    return lines.join("\n");
  }

  /** The first error line in an output, or null. */
  findErrorLine(output: string): string | null {
    for (const line of output.split("\n")) {
      if (this.profile.errorLines.some((re) => re.test(line))) return line.trim();
    }
    return null;
  }

  /** Runs a command and throws DeviceCommandError if the device printed an error line. */
  async runChecked(command: string, options: RunOptions = {}): Promise<string> {
    const out = await this.run(command, options);
    const error = this.findErrorLine(out);
    if (error !== null) throw new DeviceCommandError(this.host, command, error);
    return out;
  }

  /**
   * Applies configuration lines in system view, then returns to user view. On the
   * first refused line it returns to user view and throws ConfigLineError naming
   * the line, the device's error, and how many lines were applied before it.
   */
  async configure(lines: string[]): Promise<void> {
    const c = this.profile.commands;
    await this.runChecked(c.enterSystemView);
    if (!this.profile.prompts.system.test(this.prompt) && !this.prompt.startsWith("[")) {
      throw new DeviceCommandError(
        this.host,
        c.enterSystemView,
        `prompt ${this.prompt} is not a system-view prompt`,
      );
    }
    let applied = 0;
    try {
      for (const line of lines) {
        const out = await this.run(line);
        const error = this.findErrorLine(out);
        if (error !== null) throw new ConfigLineError(this.host, line, error, applied);
        applied++;
      }
    } finally {
      if (!this.closedError && this.prompt.startsWith("[")) await this.run(c.returnToUserView);
    }
  }

  /** Saves the running configuration, answering the save dialogue; throws unless the device confirms. */
  async save(): Promise<string> {
    const out = await this.runChecked(this.profile.commands.save, {
      answers: this.profile.confirmations.save,
      timeoutMs: Math.max(this.commandTimeoutMs, 120_000),
    });
    if (!this.profile.saveSucceeded.test(out)) {
      throw new DeviceCommandError(
        this.host,
        this.profile.commands.save,
        `no success line in: ${out.trim()}`,
      );
    }
    return out;
  }

  /** Schedules a reboot at a switch-clock time and reads the schedule back. */
  async scheduleReboot(at: RebootAt): Promise<ScheduledReboot> {
    await this.runChecked(this.profile.commands.scheduleRebootAt(at), {
      answers: this.profile.confirmations.scheduleReboot,
    });
    const scheduled = await this.readScheduledReboot();
    if (!scheduled) {
      throw new DeviceCommandError(
        this.host,
        this.profile.commands.scheduleRebootAt(at),
        "no reboot is scheduled afterwards",
      );
    }
    return scheduled;
  }

  /** Cancels the reboot scheduled on the switch (`undo schedule reboot`), answering its confirmation. */
  async cancelScheduledReboot(): Promise<void> {
    await this.runChecked(this.profile.commands.undoScheduleReboot, {
      answers: this.profile.confirmations.undoScheduleReboot,
    });
  }

  /** The reboot scheduled on the switch (`display schedule reboot`), or null when none is. */
  async readScheduledReboot(): Promise<ScheduledReboot | null> {
    return this.profile.parsers.scheduleReboot(
      await this.runChecked(this.profile.commands.displayScheduleReboot),
    );
  }

  // ------------------------------------------------------------ SFTP

  private async sftp(): Promise<SFTPWrapper> {
    if (this.closedError) throw this.closedError;
    if (this.sftpChannel) return this.sftpChannel;
    this.sftpChannel = await new Promise<SFTPWrapper>((resolve, reject) => {
      this.client.sftp((err, sftp) => {
        if (err)
          reject(
            new SwitchConnectionError(`switch ${this.host}: cannot open SFTP: ${err.message}`, this.host),
          );
        else resolve(sftp);
      });
    });
    return this.sftpChannel;
  }

  private sftpFailure(operation: string, path: string, err: Error & { code?: number | string }): SwitchError {
    if (this.closedError || typeof err.code !== "number") {
      return new SwitchConnectionError(
        `switch ${this.host}: SFTP ${operation} ${path} interrupted: ${this.closedError?.message ?? err.message}`,
        this.host,
        "ECONNRESET",
      );
    }
    return new SftpError(this.host, operation, path, err.message);
  }

  /** Size of a remote file in bytes, or null when it does not exist. */
  async remoteSize(remotePath: string): Promise<number | null> {
    const sftp = await this.sftp();
    return new Promise((resolve, reject) => {
      sftp.stat(remotePath, (err, stats) => {
        if (!err) resolve(stats.size);
        else if ((err as Error & { code?: number }).code === 2)
          resolve(null); // NO_SUCH_FILE
        else reject(this.sftpFailure("stat", remotePath, err));
      });
    });
  }

  /**
   * Uploads a file with pipelined SFTP writes. With `resume` (default) it continues
   * from the size already on the switch, so an upload cut by a dropped
   * connection restarts where it stopped on the next session.
   */
  async upload(localFile: string, remotePath: string, options: UploadOptions = {}): Promise<UploadResult> {
    const sftp = await this.sftp();
    const size = (await fsp.stat(localFile)).size;
    const remote = await this.remoteSize(remotePath);
    const resume = options.resume ?? true;
    const concurrency = options.concurrency ?? 32;
    // Pipelined writes can land out of order before a cut, so the bytes just below the
    // remote size may hold a gap: resend the last in-flight window (the checksum checks the rest).
    const start =
      resume && remote !== null && remote <= size ? Math.max(0, remote - concurrency * CHUNK_BYTES) : 0;
    this.log(`upload ${localFile} -> ${remotePath} (${size} bytes, from ${start})`);
    if (resume && remote === size) return { sizeBytes: size, resumedFrom: size, bytesSent: 0 };
    options.onProgress?.(start, size);

    const handle = await new Promise<Buffer>((resolve, reject) => {
      sftp.open(remotePath, start > 0 ? "r+" : "w", (err, h) =>
        err ? reject(this.sftpFailure("open", remotePath, err)) : resolve(h),
      );
    });
    const local = await fsp.open(localFile, "r");
    // Read the image in blocks of whole chunks: one file read per block, not per SFTP write.
    const blockBytes = CHUNK_BYTES * 32;
    const blocks = new Map<number, Promise<Buffer>>();
    const readChunk = async (offset: number, length: number): Promise<Buffer> => {
      const index = Math.floor((offset - start) / blockBytes);
      let block = blocks.get(index);
      if (!block) {
        const blockStart = start + index * blockBytes;
        const buffer = Buffer.allocUnsafe(Math.min(blockBytes, size - blockStart));
        block = local.read(buffer, 0, buffer.length, blockStart).then(() => buffer);
        blocks.set(index, block);
        blocks.delete(index - 2); // keep memory flat: writes run at most one block behind
      }
      const buffer = await block;
      const from = offset - (start + index * blockBytes);
      return buffer.subarray(from, from + length);
    };
    let sent = start;
    try {
      let nextOffset = start;
      let failure: SwitchError | null = null;
      await this.guard(
        `SFTP upload of ${remotePath}`,
        (progress) =>
          new Promise<void>((resolve, reject) => {
            let inFlight = 0;
            const pump = () => {
              if (failure) {
                if (inFlight === 0) reject(failure);
                return;
              }
              if (nextOffset >= size && inFlight === 0) {
                resolve();
                return;
              }
              while (!failure && inFlight < concurrency && nextOffset < size) {
                const offset = nextOffset;
                const length = Math.min(CHUNK_BYTES, size - offset);
                nextOffset += length;
                inFlight++;
                readChunk(offset, length)
                  .then((buffer) => {
                    sftp.write(handle, buffer, 0, length, offset, (err) => {
                      inFlight--;
                      if (err) failure ??= this.sftpFailure("write", remotePath, err);
                      else {
                        sent += length;
                        progress();
                        options.onProgress?.(sent, size);
                      }
                      pump();
                    });
                  })
                  .catch((err: Error) => {
                    inFlight--;
                    failure ??= new SwitchError(`cannot read ${localFile}: ${err.message}`, this.host, false);
                    pump();
                  });
              }
            };
            pump();
          }),
      );
    } finally {
      await local.close();
      await new Promise<void>((resolve) => {
        if (this.closedError) resolve();
        else sftp.close(handle, () => resolve());
      });
    }
    return { sizeBytes: size, resumedFrom: start, bytesSent: sent - start };
  }

  /** Reads a remote file back over SFTP and hashes it locally (Comware 5 has no md5sum). */
  async remoteChecksum(remotePath: string, algorithm = "sha256", concurrency = 32): Promise<string> {
    const sftp = await this.sftp();
    const size = await this.remoteSize(remotePath);
    if (size === null) throw new SftpError(this.host, "read", remotePath, "no such file");
    const handle = await new Promise<Buffer>((resolve, reject) => {
      sftp.open(remotePath, "r", (err, h) =>
        err ? reject(this.sftpFailure("open", remotePath, err)) : resolve(h),
      );
    });
    const hash = createHash(algorithm);
    try {
      await this.guard(
        `SFTP read of ${remotePath}`,
        (progress) =>
          new Promise<void>((resolve, reject) => {
            const ready = new Map<number, Buffer>();
            let nextToHash = 0;
            let nextToRead = 0;
            let inFlight = 0;
            let failure: SwitchError | null = null;
            const pump = () => {
              while (ready.has(nextToHash)) {
                const chunk = ready.get(nextToHash)!;
                ready.delete(nextToHash);
                hash.update(chunk);
                nextToHash += chunk.length;
              }
              if (failure) {
                if (inFlight === 0) reject(failure);
                return;
              }
              if (nextToHash >= size && inFlight === 0) {
                resolve();
                return;
              }
              while (inFlight < concurrency && nextToRead < size) {
                const offset = nextToRead;
                const length = Math.min(CHUNK_BYTES, size - offset);
                nextToRead += length;
                inFlight++;
                readFully(sftp, handle, offset, length, (err, data) => {
                  inFlight--;
                  if (err) failure ??= this.sftpFailure("read", remotePath, err);
                  else {
                    ready.set(offset, data!);
                    progress();
                  }
                  pump();
                });
              }
            };
            pump();
          }),
      );
    } finally {
      await new Promise<void>((resolve) => {
        if (this.closedError) resolve();
        else sftp.close(handle, () => resolve());
      });
    }
    return hash.digest("hex");
  }

  /** Deletes a file on the switch over SFTP; a file that does not exist is not an error. */
  async removeRemote(remotePath: string): Promise<void> {
    const sftp = await this.sftp();
    await new Promise<void>((resolve, reject) => {
      sftp.unlink(remotePath, (err) => {
        if (!err || (err as Error & { code?: number }).code === 2) resolve();
        else reject(this.sftpFailure("remove", remotePath, err));
      });
    });
  }

  /** Leaves the CLI politely and closes the connection. Safe to call twice. */
  close(): void {
    if (!this.closedError) {
      this.closedError = new SwitchError(`switch ${this.host}: session closed`, this.host, false);
      try {
        this.channel?.end(`${this.profile.commands.quitView}\n`);
      } catch {
        // already gone
      }
    }
    this.client.end();
  }
}

/** Reads exactly `length` bytes at `offset` (SFTP may return short reads). */
function readFully(
  sftp: SFTPWrapper,
  handle: Buffer,
  offset: number,
  length: number,
  done: (err: (Error & { code?: number }) | null, data?: Buffer) => void,
): void {
  const buffer = Buffer.allocUnsafe(length);
  let got = 0;
  const step = () => {
    sftp.read(handle, buffer, got, length - got, offset + got, (err, bytesRead) => {
      if (err) return done(err);
      if (bytesRead === 0) return done(null, buffer.subarray(0, got)); // EOF
      got += bytesRead;
      if (got < length) step();
      else done(null, buffer);
    });
  };
  step();
}

function validateOptions(o: SessionOptions): void {
  assertValid(`switch ${o.host || "session"}`, connectionFailures(o));
}
