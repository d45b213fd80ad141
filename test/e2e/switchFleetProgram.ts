// Opens the switch-fleet program (programs/switch-fleet) on the stacks of a switch
// lab: the configuration every fleet e2e gives it, with a maintenance window that
// starts two hours after the lab clock, so reboots wait for it.
import * as fs from "node:fs";
import * as path from "node:path";
import type { ConfigMap } from "@pulumi/pulumi/automation";
import { repoRoot } from "../../lab/engine";
import type { SwitchHandle, SwitchLab } from "../../lab/switch";
import { openProgramStack, type ProgramStack } from "./harness";

export interface FleetProgramOptions {
  lab: SwitchLab;
  /** The fleet's password (stored as a secret). */
  password: string;
  vlans: { id: number; name: string }[];
  /** The fleet's firmware. */
  imagePath: string;
  release: string;
  backupDirectory: string;
  /** Extra fields of a stack's entry (os, its own firmware). @default none */
  stackExtras?: (sw: SwitchHandle) => Record<string, unknown>;
}

export function openFleetProgram(options: FleetProgramOptions): Promise<ProgramStack> {
  const { lab } = options;
  const now = lab.switches[0].clock.now();
  const hh = (h: number) => String((now.getHours() + h) % 24).padStart(2, "0");
  const config: ConfigMap = {
    socleRoot: { value: repoRoot },
    stacks: {
      value: JSON.stringify(
        lab.switches.map((s) => ({
          name: s.name,
          host: s.host,
          port: s.port,
          hostKeySha256: s.hostKeyFingerprint,
          ...options.stackExtras?.(s),
        })),
      ),
    },
    username: { value: "admin" },
    password: { value: options.password, secret: true },
    vlans: { value: JSON.stringify(options.vlans) },
    imagePath: { value: options.imagePath },
    release: { value: options.release },
    maintenanceWindow: { value: JSON.stringify({ start: `${hh(2)}:00`, end: `${hh(4)}:00` }) },
    backupDirectory: { value: options.backupDirectory },
    retryAttempts: { value: "1" },
  };
  return openProgramStack(path.join(__dirname, "programs", "switch-fleet"), config);
}

/** A stand-in firmware image of `bytes` bytes in `dir`, filled with `fill` (its release, say). */
export function standInImage(dir: string, fileName: string, bytes: number, fill = fileName): string {
  const file = path.join(dir, fileName);
  fs.writeFileSync(file, Buffer.alloc(bytes, fill));
  return file;
}
