// The device profiles by name: what a switch resource's `os` selects, and what
// a switch's own `display version` selects when `os` is not given. Adding an
// OS is one profile file, one name in tokens.ts and one entry here.
import { SWITCH_OS_NAMES, type SwitchOsName } from "../tokens";
import { parseDisplayVersion, type VersionInfo } from "../parsers/version";
import { assertValid, osFailures } from "../validation";
import { comware5 } from "./comware5";
import { comware7 } from "./comware7";
import type { DeviceProfile } from "./types";

const PROFILES: Record<SwitchOsName, DeviceProfile> = { comware5, comware7 };

/**
 * The profile an `os` name selects; undefined when no name is given (the session then
 * detects it from `display version`). An unknown name is refused, naming the ones there are.
 */
export function profileNamed(os: string, subject?: string): DeviceProfile;
export function profileNamed(os: string | undefined, subject?: string): DeviceProfile | undefined;
export function profileNamed(os: string | undefined, subject = "switch"): DeviceProfile | undefined {
  if (os === undefined) return undefined;
  assertValid(subject, osFailures(os, SWITCH_OS_NAMES));
  return PROFILES[os as SwitchOsName];
}

/** The profile whose software versions include `softwareVersion` (e.g. "7.1.070"); undefined for none. */
export function profileForVersion(softwareVersion: string): DeviceProfile | undefined {
  return Object.values(PROFILES).find((p) => p.softwareVersions.test(softwareVersion));
}

/** What `display version` makes of a switch: the profile to drive it with, or why it is refused. */
export type Identification =
  | {
      /** The profile that drives the switch (the given one, or the detected one). */
      profile: DeviceProfile;
      /** The parsed `display version`. */
      version: VersionInfo;
    }
  | {
      /** Why the switch is refused, naming what it runs and what socle drives. */
      refused: string;
    };

const supported = (): string =>
  Object.values(PROFILES)
    .map((p) => `${p.displayName} (os "${p.id}")`)
    .join(" and ");

// A version line that the strict parser does not take (Comware 3's, say) still names the OS.
const LOOSE_VERSION = /Comware\b.*?\bVersion\s+V?(\d+(?:\.\d+)*)/i;

/**
 * Picks the profile of a switch from its `display version` output: the one whose
 * software versions match (Comware 5.20, Comware 7.1). Anything else (another
 * Comware generation, a device that is no Comware switch) is refused by name;
 * so is a given profile (the stack's `os`) that the device contradicts.
 */
export function identifyProfile(versionOutput: string, given?: DeviceProfile): Identification {
  let version: VersionInfo;
  try {
    version = parseDisplayVersion(versionOutput);
  } catch {
    const loose = LOOSE_VERSION.exec(versionOutput);
    if (loose) {
      return {
        refused: `display version reports Comware ${loose[1]}, which socle does not drive (it drives ${supported()})`,
      };
    }
    // The first line with words names the device (a caret line under the echo does not).
    const first = versionOutput
      .split("\n")
      .map((l) => l.trim())
      .find((l) => /[A-Za-z]/.test(l));
    return {
      refused:
        `display version shows no Comware software version (${first ? `it begins "${first.slice(0, 80)}"` : "it printed nothing"}): ` +
        `not a switch socle drives (it drives ${supported()})`,
    };
  }
  if (given?.softwareVersions.test(version.softwareVersion)) return { profile: given, version };
  const detected = profileForVersion(version.softwareVersion);
  if (given) {
    const fix = detected
      ? `set os to "${detected.id}" or leave os out to detect it`
      : `socle drives ${supported()}`;
    return {
      refused:
        `os "${given.id}" (${given.displayName}) does not match the switch: display version reports ` +
        `Comware ${version.softwareVersion}${detected ? ` (${detected.displayName})` : ""}; ${fix}`,
    };
  }
  if (!detected) {
    return {
      refused: `display version reports Comware ${version.softwareVersion}, which socle does not drive (it drives ${supported()})`,
    };
  }
  return { profile: detected, version };
}
