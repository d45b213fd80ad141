// `md5sum <file>` and `sha256sum <file>` (Comware 7): the device hashes a file
// on its own flash and prints "MD5 digest:" / "SHA256 digest:" then the hex
// digest on the next line (README section 4).
import { ParseError, outputLines } from "./common";

function parseDigest(command: string, label: string, hexLength: number, text: string): string {
  const lines = outputLines(text).map((l) => l.trim());
  const hex = new RegExp(`^[0-9a-fA-F]{${hexLength}}$`);
  const labelAt = lines.findIndex((l) => l.toUpperCase() === `${label.toUpperCase()}:`);
  const digest = labelAt >= 0 ? lines.slice(labelAt + 1).find((l) => l !== "") : undefined;
  if (digest === undefined || !hex.test(digest)) {
    throw new ParseError(command, `no "${label}:" line followed by ${hexLength} hex digits`);
  }
  return digest.toLowerCase();
}

/** The MD5 digest (32 lower-case hex digits) printed by `md5sum`. */
export const parseMd5sum = (text: string): string => parseDigest("md5sum", "MD5 digest", 32, text);

/** The SHA-256 digest (64 lower-case hex digits) printed by `sha256sum`. */
export const parseSha256sum = (text: string): string => parseDigest("sha256sum", "SHA256 digest", 64, text);
