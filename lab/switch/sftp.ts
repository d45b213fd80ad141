// SFTP subsystem of a simulated switch: the master's flash:/ as a flat directory, with the
// upload faults (cut after N bytes, flash full, corrupted content).
import * as fs from "node:fs";
import { Attributes, SFTPWrapper, utils } from "ssh2";
import { FlashFullError, SwitchDevice, validFlashName } from "./device";

const { STATUS_CODE, OPEN_MODE } = utils.sftp;

type Handle =
  | { kind: "file"; name: string; fd: number; written: boolean; writable: boolean }
  | { kind: "dir"; sent: boolean };

const FILE_MODE = 0o100644;
const DIR_MODE = 0o040755;

/** `/x.bin`, `x.bin`, `flash:/x.bin` -> `x.bin`; "" for the root; null outside flash:/. */
export function sftpName(p: string): string | null {
  const stripped = p
    .replace(/^flash:/i, "")
    .replace(/^\/+/, "")
    .replace(/^\.\/?/, "")
    .replace(/\/+$/, "");
  if (stripped === "" || stripped === ".") return "";
  return stripped.includes("/") ? null : stripped;
}

function attrsOf(st: fs.Stats): Attributes {
  return {
    mode: FILE_MODE,
    uid: 0,
    gid: 0,
    size: st.size,
    atime: Math.floor(st.atimeMs / 1000),
    mtime: Math.floor(st.mtimeMs / 1000),
  };
}

const rootAttrs = (): Attributes => {
  const now = Math.floor(Date.now() / 1000);
  return { mode: DIR_MODE, uid: 0, gid: 0, size: 0, atime: now, mtime: now };
};

/** The `corruptUpload` fault: same size, one byte different. */
function flipMiddleByte(file: string): void {
  const fd = fs.openSync(file, "r+");
  try {
    const size = fs.fstatSync(fd).size;
    if (size === 0) return;
    const at = Math.floor(size / 2);
    const byte = Buffer.alloc(1);
    fs.readSync(fd, byte, 0, 1, at);
    byte[0] ^= 0xff;
    fs.writeSync(fd, byte, 0, 1, at);
  } finally {
    fs.closeSync(fd);
  }
}

export function serveSftp(sftp: SFTPWrapper, dev: SwitchDevice, drop: () => void): void {
  const member = dev.master;
  const handles = new Map<number, Handle>();
  let nextHandle = 1;
  const newHandle = (h: Handle): Buffer => {
    const id = nextHandle++;
    handles.set(id, h);
    const buf = Buffer.alloc(4);
    buf.writeUInt32BE(id);
    return buf;
  };
  const lookup = (buf: Buffer): Handle | undefined =>
    buf.length === 4 ? handles.get(buf.readUInt32BE(0)) : undefined;
  const closeAll = (): void => {
    for (const h of handles.values()) if (h.kind === "file") fs.closeSync(h.fd);
    handles.clear();
  };
  const on = (event: string, handler: (reqId: number, ...args: never[]) => void): void => {
    sftp.on(event, (reqId: number, ...args: never[]) => {
      try {
        handler(reqId, ...args);
      } catch (error) {
        sftp.status(reqId, STATUS_CODE.FAILURE, (error as Error).message);
      }
    });
  };
  // The client's EOF ends the subsystem: close our side too, as OpenSSH's
  // sftp waits for the channel to close before it exits.
  sftp.on("end", () => {
    closeAll();
    sftp.end();
  });
  sftp.on("close", closeAll);

  on("OPEN", (reqId: number, filename: string, flags: number) => {
    const name = sftpName(filename);
    if (!name || !validFlashName(name)) return sftp.status(reqId, STATUS_CODE.NO_SUCH_FILE, "No such file");
    const existing = dev.findFile(member, name);
    const write = (flags & OPEN_MODE.WRITE) !== 0;
    const create = (flags & OPEN_MODE.CREAT) !== 0;
    if (!existing && !create) return sftp.status(reqId, STATUS_CODE.NO_SUCH_FILE, "No such file");
    if (existing && (flags & OPEN_MODE.EXCL) !== 0)
      return sftp.status(reqId, STATUS_CODE.FAILURE, "File exists");
    let mode = write
      ? (flags & OPEN_MODE.READ) !== 0
        ? fs.constants.O_RDWR
        : fs.constants.O_WRONLY
      : fs.constants.O_RDONLY;
    if (create) mode |= fs.constants.O_CREAT;
    if ((flags & OPEN_MODE.TRUNC) !== 0) mode |= fs.constants.O_TRUNC;
    const fd = fs.openSync(dev.filePath(member, existing ?? name), mode, 0o644);
    sftp.handle(
      reqId,
      newHandle({ kind: "file", name: existing ?? name, fd, written: false, writable: write }),
    );
  });

  on("WRITE", (reqId: number, handleBuf: Buffer, offset: number, data: Buffer) => {
    const h = lookup(handleBuf);
    if (!h || h.kind !== "file" || !h.writable) return sftp.status(reqId, STATUS_CODE.FAILURE, "Bad handle");
    const size = fs.fstatSync(h.fd).size;
    try {
      dev.reserve(member, Math.max(size, offset + data.length) - size);
    } catch (error) {
      if (error instanceof FlashFullError) return sftp.status(reqId, STATUS_CODE.FAILURE, error.message);
      throw error;
    }
    const { allowed, drop: cut } = dev.noteUpload(data.length);
    if (allowed > 0) fs.writeSync(h.fd, data, 0, allowed, offset);
    h.written = true;
    if (cut) {
      closeAll();
      drop();
      return;
    }
    sftp.status(reqId, STATUS_CODE.OK);
  });

  on("READ", (reqId: number, handleBuf: Buffer, offset: number, length: number) => {
    const h = lookup(handleBuf);
    if (!h || h.kind !== "file") return sftp.status(reqId, STATUS_CODE.FAILURE, "Bad handle");
    const buf = Buffer.alloc(Math.min(length, 256 * 1024));
    const n = fs.readSync(h.fd, buf, 0, buf.length, offset);
    if (n === 0) return sftp.status(reqId, STATUS_CODE.EOF);
    sftp.data(reqId, buf.subarray(0, n));
  });

  on("CLOSE", (reqId: number, handleBuf: Buffer) => {
    const h = lookup(handleBuf);
    if (!h) return sftp.status(reqId, STATUS_CODE.FAILURE, "Bad handle");
    handles.delete(handleBuf.readUInt32BE(0));
    if (h.kind === "file") {
      fs.closeSync(h.fd);
      if (h.written && dev.faults.corruptUpload) flipMiddleByte(dev.filePath(member, h.name));
    }
    sftp.status(reqId, STATUS_CODE.OK);
  });

  on("FSTAT", (reqId: number, handleBuf: Buffer) => {
    const h = lookup(handleBuf);
    if (!h) return sftp.status(reqId, STATUS_CODE.FAILURE, "Bad handle");
    sftp.attrs(reqId, h.kind === "file" ? attrsOf(fs.fstatSync(h.fd)) : rootAttrs());
  });

  const stat = (reqId: number, p: string): void => {
    const name = sftpName(p);
    if (name === "") return sftp.attrs(reqId, rootAttrs());
    const found = name && dev.findFile(member, name);
    if (!found) return sftp.status(reqId, STATUS_CODE.NO_SUCH_FILE, "No such file");
    sftp.attrs(reqId, attrsOf(fs.statSync(dev.filePath(member, found))));
  };
  on("STAT", stat);
  on("LSTAT", stat);
  on("SETSTAT", (reqId: number) => sftp.status(reqId, STATUS_CODE.OK));
  on("FSETSTAT", (reqId: number) => sftp.status(reqId, STATUS_CODE.OK));

  on("OPENDIR", (reqId: number, p: string) => {
    if (sftpName(p) !== "") return sftp.status(reqId, STATUS_CODE.NO_SUCH_FILE, "No such directory");
    sftp.handle(reqId, newHandle({ kind: "dir", sent: false }));
  });

  on("READDIR", (reqId: number, handleBuf: Buffer) => {
    const h = lookup(handleBuf);
    if (!h || h.kind !== "dir") return sftp.status(reqId, STATUS_CODE.FAILURE, "Bad handle");
    if (h.sent) return sftp.status(reqId, STATUS_CODE.EOF);
    h.sent = true;
    const entries = dev.listFiles(member).map((f) => {
      const st = fs.statSync(dev.filePath(member, f.name));
      return {
        filename: f.name,
        longname: `-rw-r--r--    1 0        0        ${String(f.size).padStart(8)} ${f.name}`,
        attrs: attrsOf(st),
      };
    });
    if (entries.length === 0) return sftp.status(reqId, STATUS_CODE.EOF);
    sftp.name(reqId, entries);
  });

  on("REMOVE", (reqId: number, p: string) => {
    const name = sftpName(p);
    const found = name && dev.findFile(member, name);
    if (!found) return sftp.status(reqId, STATUS_CODE.NO_SUCH_FILE, "No such file");
    dev.deleteFile(member, found, true);
    sftp.status(reqId, STATUS_CODE.OK);
  });

  on("RENAME", (reqId: number, oldPath: string, newPath: string) => {
    const from = sftpName(oldPath);
    const to = sftpName(newPath);
    const found = from && dev.findFile(member, from);
    if (!found) return sftp.status(reqId, STATUS_CODE.NO_SUCH_FILE, "No such file");
    if (!to || !validFlashName(to)) return sftp.status(reqId, STATUS_CODE.FAILURE, "Invalid target name");
    if (dev.findFile(member, to)) return sftp.status(reqId, STATUS_CODE.FAILURE, "Target exists");
    fs.renameSync(dev.filePath(member, found), dev.filePath(member, to));
    sftp.status(reqId, STATUS_CODE.OK);
  });

  on("REALPATH", (reqId: number, p: string) => {
    const name = sftpName(p);
    if (name === null) return sftp.status(reqId, STATUS_CODE.NO_SUCH_FILE, "No such file");
    const full = "/" + name;
    sftp.name(reqId, [{ filename: full, longname: full, attrs: rootAttrs() }]);
  });

  for (const op of ["MKDIR", "RMDIR", "READLINK", "SYMLINK"]) {
    on(op, (reqId: number) => sftp.status(reqId, STATUS_CODE.OP_UNSUPPORTED, "Not supported on flash:/"));
  }
}
