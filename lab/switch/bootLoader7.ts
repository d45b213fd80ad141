// Comware 7 `boot-loader file flash:/<pkg>.ipe slot N|all main|backup` on a lab switch: the
// package is read on the master's flash, unpacked into its boot and system images on each
// member named (Comware 7 copies them itself: "Add images to slot N"), and each member's
// main or backup pair is set. Wording from the raw S6520 upgrade transcript in
// /work/shared/comware/raw; the lab's package format is lab/switch/README.md's.
import * as fs from "node:fs";
import { SwitchDevice } from "./device";
import { imageContent } from "./state";
import { ipePair } from "./version";

export interface DialogueIO {
  confirm(question: string): Promise<boolean>;
  print(lines: string[]): Promise<void>;
}

/** What one unpacked image holds: the package's bytes split in two, so that a sha256 of the pair depends on the package. */
function unpacked(pkg: Buffer, image: string, first: boolean): Buffer {
  const half = Math.ceil(pkg.length / 2);
  const part = first ? pkg.subarray(0, half) : pkg.subarray(half);
  return part.length > 0 ? Buffer.from(part) : imageContent(image, 16);
}

export async function bootLoaderComware7(
  dev: SwitchDevice,
  io: DialogueIO,
  targets: number[],
  fileName: string,
  kind: "main" | "backup",
): Promise<void> {
  const found = dev.findFile(dev.master, fileName);
  if (!found) return io.print([`%The file flash:/${fileName} does not exist.`]);
  const images = ipePair(found);
  if (!images) return io.print([`%The file flash:/${found} is not a valid IPE file.`]);
  await io.print([`HPE 5130 EI images in IPE:`, `  ${images.boot}`, `  ${images.system}`]);
  if (!(await io.confirm(`This command will set the ${kind} startup software images. Continue? [Y/N]:`)))
    return;
  const pkg = fs.readFileSync(dev.filePath(dev.master, found));
  for (const member of targets) {
    const lines = [`Add images to slot ${member}.`];
    try {
      dev.writeFile(member, images.boot, unpacked(pkg, images.boot, true));
      dev.writeFile(member, images.system, unpacked(pkg, images.system, false));
    } catch (error) {
      await io.print([...lines, `%Failed to add images to slot ${member}: ${(error as Error).message}`]);
      continue;
    }
    for (const image of [images.boot, images.system])
      lines.push(`Decompressing file ${image} to flash:/${image}.........Done.`);
    for (const image of [images.boot, images.system])
      lines.push(`Verifying the file flash:/${image} on slot ${member}...Done.`);
    const [result] = dev.setBootFile([member], images.system, kind);
    lines.push(
      result.ok
        ? `The images that have passed all examinations will be used as the ${kind} startup software images at the next reboot on slot ${member}.`
        : result.message,
    );
    await io.print(lines);
  }
  await io.print(["Decompression completed."]);
  if (await io.confirm(`Do you want to delete flash:/${found} now? [Y/N]:`)) {
    dev.deleteFile(dev.master, found, true);
  }
}

/**
 * `boot-loader file boot flash:/<boot>.bin system flash:/<system>.bin slot N main|backup`: an
 * already unpacked pair, which must be on that member's flash (e.g. the previous release kept
 * as backup).
 */
export async function bootLoaderPairComware7(
  dev: SwitchDevice,
  io: DialogueIO,
  member: number,
  boot: string,
  system: string,
  kind: "main" | "backup",
): Promise<void> {
  const missing = [boot, system].filter((name) => !dev.findFile(member, name));
  if (missing.length > 0)
    return io.print(missing.map((name) => `%The file slot${member}#flash:/${name} does not exist.`));
  if (system.replace(/-system-/i, "-boot-").toLowerCase() !== boot.toLowerCase())
    return io.print([`%The boot image flash:/${boot} does not match the system image flash:/${system}.`]);
  if (!(await io.confirm(`This command will set the ${kind} startup software images. Continue? [Y/N]:`)))
    return;
  const [result] = dev.setBootFile([member], system, kind);
  return io.print([
    result.ok
      ? `The images that have passed all examinations will be used as the ${kind} startup software images at the next reboot on slot ${member}.`
      : result.message,
  ]);
}

/** `md5sum` / `sha256sum <file>`: the device hashes a file on its own flash. */
export function digestLines(label: "MD5" | "SHA256", hex: string): string[] {
  return [`${label} digest:`, hex];
}
