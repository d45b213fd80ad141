// Shared set-up for provider tests against the simulated switches (lab/switch).
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startSwitchLab, type SwitchHandle, type SwitchLab } from "../../lab/switch";
import type { SwitchSpec } from "../../lab/switch";
import type { SwitchTarget } from "../../providers/switch/operations";

export interface LabFixture {
  lab: SwitchLab;
  dir: string;
  close(): Promise<void>;
}

export async function startLab(switches: SwitchSpec[]): Promise<LabFixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "socle-switch-test-"));
  const lab = await startSwitchLab({ dir, switches, rebootDelayMs: 200 });
  return {
    lab,
    dir,
    async close() {
      await lab.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Connection settings for a lab switch, with fast retries for tests. */
export function targetFor(sw: SwitchHandle, overrides: Partial<SwitchTarget> = {}): SwitchTarget {
  return {
    name: sw.name,
    host: sw.host,
    port: sw.port,
    username: sw.username,
    password: sw.password,
    hostKeySha256: sw.hostKeyFingerprint,
    connectTimeoutMs: 5000,
    commandTimeoutMs: 10_000,
    retry: { attempts: 3, baseDelayMs: 50, maxDelayMs: 200 },
    ...overrides,
  };
}

/** A fake image whose name the lab maps to a release (lab README 5.1). */
export function makeImage(dir: string, fileName: string, sizeBytes: number): string {
  const file = path.join(dir, fileName);
  fs.writeFileSync(file, randomBytes(sizeBytes));
  return file;
}
