// One of the repository's OpenStack stacks under the engine, as the lab's
// administrator, with a blank qcow2 disk of its own as the image it uploads
// (nothing boots in the lab, so an empty disk is image enough).
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import type { ConfigMap } from "@pulumi/pulumi/automation";
import { openStackEnv, type OpenStackLabManifest } from "../../lab/openstack";
import { openRepoStack, type ProgramStack } from "../e2e/harness";

/**
 * Opens `stacks/<stackName>.ts` with `overrides`, its `socle:imagePath` set
 * to a new 16 MiB qcow2 disk in `scratchDir`.
 */
export function openLabRepoStack(
  lab: OpenStackLabManifest,
  stackName: string,
  scratchDir: string,
  overrides: ConfigMap,
): Promise<ProgramStack> {
  const disk = path.join(scratchDir, `${stackName}.qcow2`);
  execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", disk, "16M"]);
  return openRepoStack(
    stackName,
    { "socle:imagePath": { value: disk }, ...overrides },
    openStackEnv(lab, "admin"),
  );
}
