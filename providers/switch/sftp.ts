// File transfers with a switch over SFTP, on the SSH connection of a
// SwitchSession (what netmiko keeps in scp_handler.py). Uploads resume where a
// cut stopped them; checksums read the file back. Both go through one
// pipelined transfer loop.
import { createHash } from "node:crypto";
import { promises as fsp } from "node:fs";
import type { Client, SFTPWrapper } from "ssh2";
import { SftpError, SwitchConnectionError, SwitchError } from "./errors";

/** Options of an SFTP upload (SwitchSftp.upload). */
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

/** What the transfers need of the session whose connection they share. */
export interface SftpConnection {
  /** "host:port", for messages. */
  readonly host: string;
  /** The connected SSH client. */
  readonly client: Client;
  /** Why the connection is closed, or null while it is open. */
  closedReason(): SwitchError | null;
  /** Runs `work`, failing when the connection drops or no progress comes for the command timeout. */
  guard<T>(operation: string, work: (progress: () => void) => Promise<T>): Promise<T>;
  /** A progress line for the session's log (never a secret). */
  log(message: string): void;
}

export const CHUNK_BYTES = 31 * 1024; // stays under ssh2's 34000-byte packet limit for non-OpenSSH servers

type Step = (offset: number, length: number, done: (failure: SwitchError | null) => void) => void;

/**
 * The transfer loop: cuts [start, size) into CHUNK_BYTES pieces and keeps up
 * to `concurrency` of them in flight through `step`. On the first failure it
 * starts no new piece and rejects once the pieces in flight have settled.
 */
export function transferPieces(
  start: number,
  size: number,
  concurrency: number,
  progress: () => void,
  step: Step,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let next = start;
    let inFlight = 0;
    let failure: SwitchError | null = null;
    const pump = () => {
      if (failure) {
        if (inFlight === 0) reject(failure);
        return;
      }
      if (next >= size && inFlight === 0) {
        resolve();
        return;
      }
      while (!failure && inFlight < concurrency && next < size) {
        const offset = next;
        const length = Math.min(CHUNK_BYTES, size - offset);
        next += length;
        inFlight++;
        step(offset, length, (stepFailure) => {
          inFlight--;
          if (stepFailure) failure ??= stepFailure;
          else progress();
          pump();
        });
      }
    };
    pump();
  });
}

/** SFTP file operations on a switch, opened on first use over the session's connection. */
export class SwitchSftp {
  private channel: SFTPWrapper | null = null;

  constructor(private readonly connection: SftpConnection) {}

  private get host(): string {
    return this.connection.host;
  }

  private async open(): Promise<SFTPWrapper> {
    const closed = this.connection.closedReason();
    if (closed) throw closed;
    if (this.channel) return this.channel;
    this.channel = await new Promise<SFTPWrapper>((resolve, reject) => {
      this.connection.client.sftp((err, sftp) => {
        if (err)
          reject(
            new SwitchConnectionError(`switch ${this.host}: cannot open SFTP: ${err.message}`, this.host),
          );
        else resolve(sftp);
      });
    });
    return this.channel;
  }

  private failure(operation: string, path: string, err: Error & { code?: number | string }): SwitchError {
    const closed = this.connection.closedReason();
    if (closed || typeof err.code !== "number") {
      return new SwitchConnectionError(
        `switch ${this.host}: SFTP ${operation} ${path} interrupted: ${closed?.message ?? err.message}`,
        this.host,
        "ECONNRESET",
      );
    }
    return new SftpError(this.host, operation, path, err.message);
  }

  private openFile(sftp: SFTPWrapper, remotePath: string, mode: "r" | "r+" | "w"): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      sftp.open(remotePath, mode, (err, h) =>
        err ? reject(this.failure("open", remotePath, err)) : resolve(h),
      );
    });
  }

  private closeFile(sftp: SFTPWrapper, handle: Buffer): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.connection.closedReason()) resolve();
      else sftp.close(handle, () => resolve());
    });
  }

  /** Size of a remote file in bytes, or null when it does not exist. */
  async size(remotePath: string): Promise<number | null> {
    const sftp = await this.open();
    return new Promise((resolve, reject) => {
      sftp.stat(remotePath, (err, stats) => {
        if (!err) resolve(stats.size);
        else if ((err as Error & { code?: number }).code === 2)
          resolve(null); // NO_SUCH_FILE
        else reject(this.failure("stat", remotePath, err));
      });
    });
  }

  /**
   * Uploads a file with pipelined SFTP writes. With `resume` (default) it continues
   * from the size already on the switch, so an upload cut by a dropped
   * connection restarts where it stopped on the next session.
   */
  async upload(localFile: string, remotePath: string, options: UploadOptions = {}): Promise<UploadResult> {
    const sftp = await this.open();
    const size = (await fsp.stat(localFile)).size;
    const remote = await this.size(remotePath);
    const resume = options.resume ?? true;
    const concurrency = options.concurrency ?? 32;
    // Pipelined writes can land out of order before a cut, so the bytes just below the
    // remote size may hold a gap: resend the last in-flight window (the checksum checks the rest).
    const start =
      resume && remote !== null && remote <= size ? Math.max(0, remote - concurrency * CHUNK_BYTES) : 0;
    this.connection.log(`upload ${localFile} -> ${remotePath} (${size} bytes, from ${start})`);
    if (resume && remote === size) return { sizeBytes: size, resumedFrom: size, bytesSent: 0 };
    options.onProgress?.(start, size);

    const handle = await this.openFile(sftp, remotePath, start > 0 ? "r+" : "w");
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
      await this.connection.guard(`SFTP upload of ${remotePath}`, (progress) =>
        transferPieces(start, size, concurrency, progress, (offset, length, done) => {
          readChunk(offset, length).then(
            (buffer) =>
              sftp.write(handle, buffer, 0, length, offset, (err) => {
                if (err) return done(this.failure("write", remotePath, err));
                sent += length;
                options.onProgress?.(sent, size);
                done(null);
              }),
            (err: Error) =>
              done(new SwitchError(`cannot read ${localFile}: ${err.message}`, this.host, false)),
          );
        }),
      );
    } finally {
      await local.close();
      await this.closeFile(sftp, handle);
    }
    return { sizeBytes: size, resumedFrom: start, bytesSent: sent - start };
  }

  /** Reads a remote file back over SFTP and hashes it locally (for devices without md5sum/sha256sum). */
  async checksum(remotePath: string, algorithm = "sha256", concurrency = 32): Promise<string> {
    const sftp = await this.open();
    const size = await this.size(remotePath);
    if (size === null) throw new SftpError(this.host, "read", remotePath, "no such file");
    const handle = await this.openFile(sftp, remotePath, "r");
    const hash = createHash(algorithm);
    // Pieces arrive in any order; they are hashed in file order.
    const ready = new Map<number, Buffer>();
    let nextToHash = 0;
    try {
      await this.connection.guard(`SFTP read of ${remotePath}`, (progress) =>
        transferPieces(0, size, concurrency, progress, (offset, length, done) => {
          readFully(sftp, handle, offset, length, (err, data) => {
            if (err) return done(this.failure("read", remotePath, err));
            ready.set(offset, data ?? Buffer.alloc(0));
            for (let chunk = ready.get(nextToHash); chunk; chunk = ready.get(nextToHash)) {
              ready.delete(nextToHash);
              hash.update(chunk);
              nextToHash += CHUNK_BYTES;
            }
            done(null);
          });
        }),
      );
    } finally {
      await this.closeFile(sftp, handle);
    }
    return hash.digest("hex");
  }

  /** Deletes a file on the switch; a file that does not exist is not an error. */
  async remove(remotePath: string): Promise<void> {
    const sftp = await this.open();
    await new Promise<void>((resolve, reject) => {
      sftp.unlink(remotePath, (err) => {
        if (!err || (err as Error & { code?: number }).code === 2) resolve();
        else reject(this.failure("remove", remotePath, err));
      });
    });
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
