// The smallest socle stack: needs no lab, proves the engine, the language
// host and our dynamic providers work on this machine.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ManagedFile } from "../providers/local/managedFile";

export default function localStack(): Record<string, unknown> {
  const config = new pulumi.Config();
  const site = config.get("site") ?? "demo-hospital";
  // Relative paths are taken from the repository root, not the program folder.
  const dir = path.resolve(__dirname, "..", config.get("dir") ?? ".socle/local");
  const file = new ManagedFile("site-readme", {
    path: `${dir}/${site}.txt`,
    content: `Site ${site}, managed by socle.\n`,
  });
  return { path: file.path, size: file.size };
}
