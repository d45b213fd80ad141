// An interactive CLI session with a switch over SSH (ssh2 Client + pty shell),
// driven by a DeviceProfile: connect, pinned host key, prompts, paging,
// confirmations, commands and configuration lines. File transfers over the same
// connection are in sftp.ts, the errors in errors.ts, and what to do with the
// session (save, schedule a reboot, upgrade ...) in operations/.
import { createHash } from "node:crypto";
import { StringDecoder } from "node:string_decoder";
import { Client, type ClientChannel, type ConnectConfig } from "ssh2";
import {
  CommandTimeoutError,
  ConfigLineError,
  DeviceCommandError,
  HostKeyMismatchError,
  SwitchAuthError,
  SwitchConnectionError,
  SwitchError,
  UnsupportedSwitchOsError,
} from "./errors";
import { cleanOutput } from "./parsers/common";
import type { VersionInfo } from "./parsers/version";
import { identifyProfile } from "./profiles";
import { comware5 } from "./profiles/comware5";
import type { ConfirmationAnswer, DeviceProfile } from "./profiles/types";
import { SwitchSftp } from "./sftp";
import { assertValid, connectionFailures } from "./validation";

// ---------------------------------------------------------------- options

/** How to open an SSH session to one switch: address, credentials, pinned host key, profile, timeouts. */
export interface SessionOptions {
  /** The switch stack's name, shown before its address in every message, e.g. "psv-r1". @default address only */
  name?: string;
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
  /**
   * What the switch OS looks like: prompts, commands, confirmations, parsers. The switch's
   * `display version` must match it, else the session is refused before any change.
   * @default detected from `display version` (Comware 5.20 or 7.1; another OS is refused)
   */
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

/** OpenSSH-style "SHA256:<base64 without padding>" fingerprint of a raw public key blob. */
export function sha256Fingerprint(key: Buffer): string {
  return `SHA256:${createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}`;
}

/**
 * The fingerprint of the host key a switch presents, from the SSH handshake
 * alone: no login is tried, so it needs no credentials. `name` labels errors.
 */
export function presentedHostKey(
  where: { name?: string; host: string; port?: number },
  timeoutMs = 15_000,
): Promise<string> {
  const address = `${where.host}:${where.port ?? 22}`;
  const label = where.name ? `${where.name} (${address})` : address;
  return new Promise((resolve, reject) => {
    const client = new Client();
    let presented: string | null = null;
    client.on("error", (err: Error & { code?: string }) => {
      if (presented) resolve(presented);
      else
        reject(
          new SwitchConnectionError(
            `switch ${label}: cannot read its host key: ${err.message}`,
            label,
            err.code,
          ),
        );
    });
    client.connect({
      host: where.host,
      port: where.port ?? 22,
      username: "socle-host-key-check",
      readyTimeout: timeoutMs,
      // Refusing the key ends the handshake before any authentication.
      hostVerifier: (key: Buffer) => {
        presented = sha256Fingerprint(key);
        return false;
      },
    });
  });
}

/** "SHA256:<base64>" without padding, whatever way the pin was written. */
export function normaliseFingerprint(fp: string): string {
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
  /** The device profile driving prompts, commands and parsers: the options' one, else the one `display version` selects. */
  profile: DeviceProfile;
  /** The switch's `display version`, read when the session opened (it picks or checks the profile). */
  version!: VersionInfo;
  /** "name (host:port)", or "host:port" without a name: how messages and errors name the switch. */
  readonly host: string;
  /** Hostname from the first prompt, e.g. "sw01". */
  hostname = "";
  /** The last prompt seen, e.g. "<sw01>" or "[sw01-vlan10]". */
  prompt = "";
  /** False when `screen-length disable` was refused and paging is answered instead. */
  pagingDisabled = false;

  private channel: ClientChannel | null = null;
  private pending = "";
  private decoder = new StringDecoder("utf8");
  private onData: (() => void) | null = null;
  private closedError: SwitchError | null = null;
  private readonly closeWaiters = new Set<(error: SwitchError) => void>();
  /** Milliseconds from sending a command to the next prompt (the session's default). */
  readonly commandTimeoutMs: number;
  /** File transfers on this session's connection. */
  readonly sftp: SwitchSftp;

  private constructor(
    /** The SSH connection (shared with the SFTP transfers). */
    readonly client: Client,
    private readonly options: SessionOptions,
  ) {
    // Until display version has spoken, Comware 5's prompts, paging and error lines (common
    // to every Comware generation socle drives) read the login and that one command.
    this.profile = options.profile ?? comware5;
    const address = `${options.host}:${options.port ?? 22}`;
    // Messages name the stack as the team knows it, and where it was reached.
    this.host = options.name ? `${options.name} (${address})` : address;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 30_000;
    this.sftp = new SwitchSftp({
      host: this.host,
      client,
      closedReason: () => this.closedError,
      guard: (operation, work) => this.guard(operation, work),
      log: (message) => this.log(message),
    });
  }

  /** Connects, authenticates, checks the host key, waits for the prompt and disables paging. */
  static async connect(options: SessionOptions): Promise<SwitchSession> {
    validateOptions(options);
    const session = new SwitchSession(new Client(), options);
    try {
      await session.open();
      await session.identify();
    } catch (error) {
      session.close();
      throw error;
    }
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
    // The login prompt is user view, "<psv-r1>": the whole name, hyphens included (a sysname may
    // have them); only a system sub-view prompt would append "-<view>".
    const m = /^<([^>]+)>$/.exec(this.prompt) ?? /^[<[]([^>\]-]+)/.exec(this.prompt);
    this.hostname = m ? m[1] : this.prompt;
    this.log(`connected, prompt ${this.prompt}`);
    if (this.options.disablePaging ?? true) await this.disablePaging();
  }

  /** Reads `display version` and picks the profile from it, or checks the given one; refuses any other OS. */
  private async identify(): Promise<void> {
    const identified = identifyProfile(
      await this.run(this.profile.commands.displayVersion),
      this.options.profile,
    );
    if ("refused" in identified) throw new UnsupportedSwitchOsError(this.host, identified.refused);
    this.profile = identified.profile;
    this.version = identified.version;
    if (!this.options.profile) this.log(`display version: ${this.profile.displayName}`);
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
  guard<T>(operation: string, work: (progress: () => void) => Promise<T>): Promise<T> {
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
        // A [Y/N] question never gets a bare Enter (Comware 7 only asks again), whatever a profile says.
        const isYesNo = p.anyConfirmation.test(lastLine);
        const known = answers.find((a) => a.pattern.test(lastLine) && !(isYesNo && a.answer.trim() === ""));
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

function validateOptions(o: SessionOptions): void {
  assertValid(`switch ${o.host || "session"}`, connectionFailures(o));
}
