// Checks a preview can make before the merge, beyond the offline form checks
// of validation.ts: a changed host key pin is compared with the key the switch
// presents (SSH handshake only, no login), and a new firmware image must exist
// here and match its checksum. Run by the providers' diff (and, for a new
// firmware resource, its check), so `pulumi preview` fails with the stack's
// name, its address and the fix.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { normaliseFingerprint, presentedHostKey } from "./session";
import { SHA256_HEX, UNKNOWN_DURING_PREVIEW, type Failure } from "./validation";

/** What the checks read of a switch resource's inputs. */
export interface PreflightProps {
  switchName: string;
  host: string;
  port?: number;
  hostKeySha256?: string;
  connectTimeoutMs?: number;
}

const known = (value: unknown): value is string =>
  typeof value === "string" && value !== UNKNOWN_DURING_PREVIEW;

/** "psv-r1 (10.0.1.11:22)": how messages name a switch. */
export function switchLabel(p: PreflightProps): string {
  return `${p.switchName} (${p.host}:${p.port ?? 22})`;
}

/**
 * When the pin changes on the same switch, fails unless the switch presents
 * that key: a wrong pin is refused at preview instead of stored silently.
 */
export async function verifyChangedHostKey(olds: PreflightProps, news: PreflightProps): Promise<void> {
  const sameSwitch = olds.host === news.host && (olds.port ?? 22) === (news.port ?? 22);
  if (!sameSwitch || !known(news.hostKeySha256) || !known(news.host)) return;
  if (
    known(olds.hostKeySha256) &&
    normaliseFingerprint(olds.hostKeySha256) === normaliseFingerprint(news.hostKeySha256)
  )
    return;
  const wanted = normaliseFingerprint(news.hostKeySha256);
  const presented = await presentedHostKey(
    { name: news.switchName, host: news.host, port: news.port },
    news.connectTimeoutMs ?? 15_000,
  );
  if (presented !== wanted) {
    throw new Error(
      `switch ${switchLabel(news)}: hostKeySha256 ${wanted} is not the key the switch presents (${presented}): ` +
        `check the fingerprint on the switch's console (display public-key local rsa public) or with ` +
        `ssh-keyscan -p ${news.port ?? 22} ${news.host} | ssh-keygen -lf -, then set hostKeySha256`,
    );
  }
}

/** SHA-256 (hex) of a file, read in chunks. */
function fileSha256(file: string): string {
  const hash = createHash("sha256");
  const fd = fs.openSync(file, "r");
  try {
    const buffer = Buffer.alloc(1 << 20);
    let read: number;
    while ((read = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0)
      hash.update(buffer.subarray(0, read));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest("hex");
}

/** The image file must exist on this machine and, when a checksum is given, match it. */
export function imageFileFailures(news: { imagePath?: unknown; sha256?: unknown }): Failure[] {
  if (!known(news.imagePath)) return [];
  const stat = fs.statSync(news.imagePath, { throwIfNoEntry: false });
  if (!stat || !stat.isFile()) {
    return [
      {
        property: "imagePath",
        reason: `${news.imagePath} is not a file on this machine: give the path of the image where pulumi runs`,
      },
    ];
  }
  if (!known(news.sha256) || !SHA256_HEX.test(news.sha256)) return [];
  const actual = fileSha256(news.imagePath);
  if (actual === news.sha256.toLowerCase()) return [];
  return [
    {
      property: "sha256",
      reason: `${news.sha256} is not the checksum of ${news.imagePath} (${actual}): the file is damaged or the checksum belongs to another image`,
    },
  ];
}

/** For the check of a new firmware resource: its image file, each failure naming the switch. */
export function newImageFailures(
  news: PreflightProps & { imagePath?: unknown; sha256?: unknown },
): Failure[] {
  return imageFileFailures(news).map((f) => ({ ...f, reason: `switch ${switchLabel(news)}: ${f.reason}` }));
}

/**
 * What the providers' diff runs before comparing: the host key pin, and for
 * a firmware whose image moves, the image file. Throws one error naming the
 * switch and every problem.
 */
export async function preflight(
  olds: PreflightProps & { imagePath?: unknown },
  news: PreflightProps & { imagePath?: unknown; sha256?: unknown },
): Promise<void> {
  await verifyChangedHostKey(olds, news);
  if (news.imagePath === undefined || news.imagePath === olds.imagePath) return;
  const failures = imageFileFailures(news);
  if (failures.length > 0)
    throw new Error(
      `switch ${switchLabel(news)}: ${failures.map((f) => `${f.property} ${f.reason}`).join("; ")}`,
    );
}
