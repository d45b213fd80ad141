// The ChatOps audit log: one JSON line per decision and per result, with who asked.
import * as fs from "node:fs";
import * as path from "node:path";

export interface AuditEntry {
  platform: "slack" | "mattermost";
  /** "<platform>:<user id>". */
  user: string;
  /** The name the configuration gives the user, or the platform's user name when unknown. */
  name: string;
  /** The command's text as typed. */
  text: string;
  /** accepted, refused, confirm (a production up waiting for its code), done, failed. */
  event: "accepted" | "refused" | "confirm" | "done" | "failed";
  /** Why it was refused, or the first line of the result. */
  detail?: string;
}

export function appendAudit(file: string, entry: AuditEntry): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, JSON.stringify({ time: new Date().toISOString(), ...entry }) + "\n");
}

export function readAudit(file: string): (AuditEntry & { time: string })[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AuditEntry & { time: string });
}
