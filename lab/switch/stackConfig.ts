// The lab's manifest as a stack's configuration: `./socle up psv-network`
// writes the committed stack file plus the lab's inventory (stacks, username,
// password) to a file under .socle/ and passes it with --config-file, so the
// program reads configuration only and the committed file stays untouched.
import * as fs from "node:fs";
import type { Manifest } from "./lab";

/** The configuration keys the lab's inventory sets, values as the program reads them. */
export function labInventoryConfig(manifest: Manifest, namespace = "socle"): Record<string, unknown> {
  const first = manifest.switches[0];
  if (!first) throw new Error("the switch lab's manifest lists no switch: start the lab with an inventory");
  return {
    [`${namespace}:stacks`]: manifest.switches.map((s) => ({
      name: s.name,
      host: s.host,
      port: s.port,
      hostKeySha256: s.hostKeyFingerprint,
      // Without os the provider detects it from display version; a Comware 7 switch names it anyway.
      ...(s.os === "comware7" ? { os: s.os } : {}),
    })),
    [`${namespace}:username`]: first.username,
    // The lab gives every switch the fleet password of its inventory (lab only,
    // already in clear in the manifest; the program reads it as a secret).
    [`${namespace}:password`]: first.password,
  };
}

/**
 * The committed stack file's text with the lab's keys added at the top of its
 * `config:` block (JSON values are YAML flow values). A key the file already
 * sets on one line is replaced by the lab's.
 */
export function withLabInventory(stackFileText: string, manifest: Manifest): string {
  const entries = Object.entries(labInventoryConfig(manifest));
  const kept = stackFileText
    .split("\n")
    .filter((line) => !entries.some(([key]) => line.startsWith(`  ${key}:`)));
  const at = kept.findIndex((line) => /^config:\s*$/.test(line));
  if (at < 0)
    throw new Error("the stack file has no top-level `config:` block to add the lab's inventory to");
  const added = entries.map(([key, value]) => `  ${key}: ${JSON.stringify(value)}`);
  return [...kept.slice(0, at + 1), ...added, ...kept.slice(at + 1)].join("\n");
}

/** Writes `out`: the stack file with the inventory of the lab whose manifest is `manifestFile`. */
export function writeLabStackConfig(stackFile: string, manifestFile: string, out: string): void {
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as Manifest;
  fs.writeFileSync(out, withLabInventory(fs.readFileSync(stackFile, "utf8"), manifest), { mode: 0o600 });
}
