// Comware 7.1 (HPE 5130/5140 EI, 5510 HI, FlexFabric 5940/5945, H3C S5130/S6520),
// as data: only what differs from Comware 5 is written here, the rest is the
// Comware 5 profile. Sources are in /work/shared/comware/README.md (sections
// 1, 3, 4 and 5) and its raw Comware 7 samples; where they are silent,
// lab/switch/README.md ("Comware 7 mode") says what the lab chose.
import { parseDisplayBootLoaderComware7 } from "../parsers/bootLoader";
import { parseMd5sum, parseSha256sum } from "../parsers/digest";
import { comware5, rebootSchedulers } from "./comware5";
import type { DeviceProfile } from "./types";

/** `scheduler reboot at hh:mm [mm/dd/yyyy]` / `delay hh:mm` (hpe-cw7-ansible comware_reboot, README section 5). */
const schedulerReboot = rebootSchedulers("scheduler reboot");

/**
 * The boot and system images a Comware 7 `.ipe` package unpacks into, by the
 * naming the devices use: `S6520EI-CMW710-R2432P05.ipe` gives
 * `s6520ei-cmw710-boot-r2432p05.bin` and `s6520ei-cmw710-system-r2432p05.bin`
 * (raw upgrade transcript). Null when the name does not follow the rule.
 */
export function ipeImages(ipeName: string): {
  /** The boot image's file name, e.g. "s5130ei-cmw710-boot-r3208p03.bin". */
  boot: string;
  /** The system image's file name, e.g. "s5130ei-cmw710-system-r3208p03.bin". */
  system: string;
} | null {
  const m = /^(.+?-cmw7\d\d)-(.+)\.ipe$/i.exec(ipeName.replace(/^.*[/:]/, ""));
  if (!m) return null;
  const [prefix, release] = [m[1].toLowerCase(), m[2].toLowerCase()];
  return { boot: `${prefix}-boot-${release}.bin`, system: `${prefix}-system-${release}.bin` };
}

/** The profile of Comware 7.1 (HPE 5130 EI and relatives). */
export const comware7: DeviceProfile = {
  ...comware5,
  id: "comware7",
  displayName: "Comware 7.1",
  // "Comware Software, Version 7.1.045" / "7.1.070" (every CW7 sample in the reference).
  softwareVersions: /^7\.1\.\d+$/,
  // `screen-length disable` answers nothing on Comware 7 (Oxidized 5130 EI spec): same command.
  confirmations: {
    ...comware5.confirmations,
    setBootImage: [
      {
        pattern:
          /This command will set the (?:main|backup) startup software images\. Continue\? ?\[Y\/N\]:?\s*$/,
        answer: "y",
      },
      // The .ipe stays on flash: the next member, or a re-run, may need it.
      { pattern: /Do you want to delete .+\.ipe now\? ?\[Y\/N\]:?\s*$/, answer: "n" },
    ],
  },
  installedImageName: (fileName) => ipeImages(fileName)?.system ?? fileName,
  // "Add images to slot N": the package on the master is unpacked onto each member named.
  bootLoaderCopiesToMembers: true,
  // `save force` prints "Validating file. Please wait..." and this line (CW7 lab transcripts).
  saveSucceeded: /Saved the current configuration to mainboard device successfully/,
  commands: {
    ...comware5.commands,
    displayScheduleReboot: "display scheduler reboot",
    // `boot-loader file flash:/<pkg>.ipe slot N main|backup` (`all` exists too; socle sets members one by one).
    // An image already unpacked (a previous main kept as backup) is set as its boot/system pair.
    setBootImage: (fileName, member, kind) =>
      /-system-/i.test(fileName) && !/\.ipe$/i.test(fileName)
        ? `boot-loader file boot flash:/${fileName.replace(/-system-/i, "-boot-")} system flash:/${fileName} slot ${member} ${kind}`
        : `boot-loader file flash:/${fileName} slot ${member} ${kind}`,
    scheduleRebootAt: schedulerReboot.at,
    scheduleRebootDelay: schedulerReboot.delay,
    undoScheduleReboot: "undo scheduler reboot",
    // No questions: the Comware 7 save dialogue re-asks a bare Enter, `save force` asks nothing.
    save: "save force",
    md5sum: (path) => `md5sum ${path}`,
    sha256sum: (path) => `sha256sum ${path}`,
  },
  parsers: {
    ...comware5.parsers,
    bootLoader: parseDisplayBootLoaderComware7,
    md5: parseMd5sum,
    sha256: parseSha256sum,
  },
};
