// Reads the public Comware samples in /work/shared/comware/raw by command prefix,
// so that every sample of a command is covered by its parser's tests.
import * as fs from "node:fs";
import * as path from "node:path";

export const RAW_DIR =
  process.env.SOCLE_COMWARE_RAW ?? path.resolve(__dirname, "../../../../shared/comware/raw");

export function samplesFor(prefix: string): { name: string; text: string }[] {
  if (!fs.existsSync(RAW_DIR)) {
    throw new Error(`Comware samples not found at ${RAW_DIR}: set SOCLE_COMWARE_RAW to the raw/ directory`);
  }
  return fs
    .readdirSync(RAW_DIR)
    .filter((name) => name.startsWith(`${prefix}__`))
    .sort()
    .map((name) => ({ name, text: fs.readFileSync(path.join(RAW_DIR, name), "utf8") }));
}

export function sample(name: string): string {
  return fs.readFileSync(path.join(RAW_DIR, name), "utf8");
}
