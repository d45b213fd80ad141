// A raw ssh2 client for driving the switch lab in tests: an interactive shell with expect().
import { Client, ClientChannel, ConnectConfig, SFTPWrapper } from "ssh2";
import type { SwitchHandle } from "../../lab/switch";

export function connectConfig(sw: SwitchHandle, extra: Partial<ConnectConfig> = {}): ConnectConfig {
  return {
    host: sw.host,
    port: sw.port,
    username: sw.username,
    password: sw.password,
    readyTimeout: 5000,
    ...extra,
  };
}

export function connect(config: ConnectConfig): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    // later resets (reboots, faults) are observed via "close"; only the first error settles connect()
    client.on("error", reject);
    client.once("ready", () => {
      client.setNoDelay(true); // without it, sequential SFTP writes wait on Nagle + delayed ACK (~80 ms each)
      resolve(client);
    });
    client.connect(config);
  });
}

export class Shell {
  buffer = "";
  closed = false;
  private waiters: (() => void)[] = [];

  constructor(
    readonly client: Client,
    readonly channel: ClientChannel,
  ) {
    channel.on("data", (d: Buffer) => {
      this.buffer += d.toString("latin1");
      this.notify();
    });
    channel.on("close", () => {
      this.closed = true;
      this.notify();
    });
    client.on("close", () => {
      this.closed = true;
      this.notify();
    });
    client.on("error", () => undefined);
  }

  static async open(sw: SwitchHandle, extra: Partial<ConnectConfig> = {}): Promise<Shell> {
    const client = await connect(connectConfig(sw, extra));
    const channel = await new Promise<ClientChannel>((resolve, reject) =>
      client.shell({ term: "vt100", cols: 511, rows: 1000 }, (err, ch) => (err ? reject(err) : resolve(ch))),
    );
    const shell = new Shell(client, channel);
    await shell.expect(/<[\w.-]+>$/);
    shell.buffer = "";
    return shell;
  }

  private notify(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  send(text: string): void {
    this.channel.write(text);
  }

  /** Waits until the buffer matches; returns the buffer up to the end of the match and consumes it. */
  async expect(re: RegExp, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = re.exec(this.buffer);
      if (m) {
        const upto = this.buffer.slice(0, m.index + m[0].length);
        this.buffer = this.buffer.slice(m.index + m[0].length);
        return upto;
      }
      if (this.closed)
        throw new Error(`connection closed while waiting for ${re}; got: ${JSON.stringify(this.buffer)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout waiting for ${re}; got: ${JSON.stringify(this.buffer)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits for the connection to close. */
  async closedOrTimeout(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return this.closed;
  }

  /** Sends a command and returns everything up to (not including) the next prompt. */
  async run(command: string, prompt: RegExp = /[<[][\w.\-/]+[>\]]$/): Promise<string> {
    this.send(command + "\r\n");
    const out = await this.expect(prompt);
    return out.replace(prompt, "");
  }

  close(): void {
    this.client.end();
  }
}

export function exec(client: Client, command: string, stdin?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, ch) => {
      if (err) return reject(err);
      let out = "";
      ch.on("data", (d: Buffer) => (out += d.toString()));
      ch.on("close", () => resolve(out));
      if (stdin) ch.write(stdin);
    });
  });
}

export function openSftp(client: Client): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) => client.sftp((err, sftp) => (err ? reject(err) : resolve(sftp))));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
