// The SSH front of one simulated switch: a TCP listener on 127.0.0.1, an ssh2 server with a
// persisted host key, password/public-key auth, shell, exec and the SFTP subsystem.
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { createHash } from "node:crypto";
import { ClientInfo, Connection, ParsedKey, Server, utils, type ServerChannel } from "ssh2";
import { SwitchDevice } from "./device";
import { serveSftp } from "./sftp";
import { CliShell } from "./shell";

export interface HostKey {
  pem: string;
  /** `SHA256:<base64 without padding>`, as `ssh-keygen -lf` prints it */
  fingerprint: string;
  /** OpenSSH one-line public key, e.g. `ssh-rsa AAAA…` */
  publicKey: string;
}

function parsed(text: string, what: string): ParsedKey {
  const key = utils.parseKey(text);
  if (key instanceof Error) throw new Error(`${what}: ${key.message}`);
  return Array.isArray(key) ? (key[0] as ParsedKey) : key;
}

/**
 * Connects the switch's CLI to an SSH channel: its output to the channel, the
 * channel's input to it. An interactive shell ends when the channel closes, an
 * exec when its input ends; `finish` closes the channel the way each expects.
 */
function shellOnChannel(
  dev: SwitchDevice,
  channel: ServerChannel,
  socket: net.Socket,
  interactive: boolean,
  finish: () => void,
): CliShell {
  const shell = new CliShell(
    dev,
    {
      write: (text) => {
        // A fault may split the output into small packets, each its own SSH data message.
        const size = dev.faults.outputChunkChars ?? text.length;
        for (let at = 0; at < text.length; at += Math.max(1, size)) {
          if (channel.writable) channel.write(text.slice(at, at + Math.max(1, size)));
        }
      },
      end: finish,
      drop: () => socket.destroy(),
    },
    interactive,
  );
  channel.on("data", (d: Buffer) => shell.feed(d.toString("latin1")));
  channel.on(interactive ? "close" : "end", () => shell.endOfInput());
  return shell;
}

/** A CLI that crashed is a lab bug: say so on stderr and drop the connection. */
function failure(dev: SwitchDevice, socket: net.Socket, what: string): (error: Error) => void {
  return (error) => {
    process.stderr.write(`lab/switch ${dev.state.name}: ${what} failed: ${error.stack ?? error.message}\n`);
    socket.destroy();
  };
}

export function fingerprintOf(publicSsh: Buffer): string {
  return "SHA256:" + createHash("sha256").update(publicSsh).digest("base64").replace(/=+$/, "");
}

/** Loads `<stateDir>/host_key`, generating an RSA 2048 key the first time (Comware 5 uses RSA). */
export function loadHostKey(stateDir: string): HostKey {
  const file = path.join(stateDir, "host_key");
  if (!fs.existsSync(file)) {
    const pair = utils.generateKeyPairSync("rsa", { bits: 2048 });
    fs.writeFileSync(file, pair.private, { mode: 0o600 });
  }
  const pem = fs.readFileSync(file, "utf8");
  const key = parsed(pem, file);
  const blob = key.getPublicSSH();
  return { pem, fingerprint: fingerprintOf(blob), publicKey: `${key.type} ${blob.toString("base64")}` };
}

export class SwitchServer {
  private readonly tcp: net.Server;
  private readonly ssh: Server;
  private readonly sockets = new Set<net.Socket>();

  constructor(
    private readonly dev: SwitchDevice,
    hostKey: HostKey,
  ) {
    this.ssh = new Server({ hostKeys: [hostKey.pem], ident: "SSH-2.0-Comware-5.20" });
    this.tcp = net.createServer((socket) => this.onSocket(socket));
    // ssh2 reports a client once its version header arrived: find its socket by remote port
    this.ssh.on("connection", (client: Connection, info: ClientInfo) => {
      const socket = [...this.sockets].find((s) => s.remotePort === info.port);
      if (socket) this.onClient(client, socket);
      else client.end();
    });
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.tcp.once("error", reject);
      this.tcp.listen(port, "127.0.0.1", () => {
        this.tcp.off("error", reject);
        resolve((this.tcp.address() as net.AddressInfo).port);
      });
    });
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.tcp.close(() => resolve()));
  }

  private onSocket(socket: net.Socket): void {
    // a rebooting switch does not answer: the client sees the connection reset
    if (!this.dev.up) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    socket.setNoDelay(true);
    this.dev.reloadFaultsFile();
    this.ssh.injectSocket(socket);
  }

  private onClient(client: Connection, socket: net.Socket): void {
    const dev = this.dev;
    const detach = dev.attach({
      kill: (graceful) => (graceful ? client.end() : socket.destroy()),
    });
    client.on("close", detach);
    client.on("error", () => socket.destroy());
    client.on("authentication", (ctx) => {
      if (ctx.method === "password") {
        return dev.acceptsPassword(ctx.username, ctx.password)
          ? ctx.accept()
          : ctx.reject(["password", "publickey"]);
      }
      if (ctx.method === "publickey" && dev.acceptsUser(ctx.username)) {
        const allowed = dev.state.authorizedKeys.map((k, i) =>
          parsed(k, `authorizedKeys[${i}] of ${dev.state.name}`),
        );
        const key = allowed.find((k) => k.type === ctx.key.algo && k.getPublicSSH().equals(ctx.key.data));
        if (key && (!ctx.signature || (ctx.blob && key.verify(ctx.blob, ctx.signature, ctx.hashAlgo))))
          return ctx.accept();
      }
      ctx.reject(["password", "publickey"]);
    });
    client.on("ready", () => {
      client.on("session", (acceptSession) => {
        const session = acceptSession();
        session.on("pty", (accept) => accept?.());
        session.on("window-change", (accept) => accept?.());
        session.on("env", (accept) => accept?.());
        session.on("shell", (accept) => {
          const channel = accept();
          const shell = shellOnChannel(dev, channel, socket, true, () => {
            channel.end();
            client.end();
          });
          void shell.run().catch(failure(dev, socket, "shell"));
        });
        session.on("exec", (accept, _reject, info) => {
          const channel = accept();
          const shell = shellOnChannel(dev, channel, socket, false, () => {
            channel.exit(0);
            channel.end();
          });
          void shell.runOnce(info.command).catch(failure(dev, socket, "exec"));
        });
        session.on("sftp", (accept) => serveSftp(accept(), dev, () => socket.destroy()));
      });
    });
  }
}
