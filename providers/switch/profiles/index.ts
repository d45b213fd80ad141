// The device profiles by name: what a switch resource's `os` selects. Adding
// an OS is one profile file, one name in tokens.ts and one entry here.
import { DEFAULT_SWITCH_OS, SWITCH_OS_NAMES, type SwitchOsName } from "../tokens";
import { assertValid, osFailures } from "../validation";
import { comware5 } from "./comware5";
import { comware7 } from "./comware7";
import type { DeviceProfile } from "./types";

const PROFILES: Record<SwitchOsName, DeviceProfile> = { comware5, comware7 };

/** The profile of an OS name (default comware5); an unknown name is refused, naming the ones there are. */
export function profileNamed(os: string | undefined, subject = "switch"): DeviceProfile {
  const name = os ?? DEFAULT_SWITCH_OS;
  assertValid(subject, osFailures(name, SWITCH_OS_NAMES));
  return PROFILES[name as SwitchOsName];
}
