// Comware 5.20 (HP/H3C 5120 EI and relatives), as data. Sources for every
// string are in /work/shared/comware/README.md (sections 1-6); where sources
// are silent, LAB-DECISIONS.md.
import { parseDisplayBootLoader } from "../parsers/bootLoader";
import { parseDisplayClock } from "../parsers/clock";
import { parseConfig } from "../parsers/config";
import { parseDir } from "../parsers/dir";
import { parseDisplayIrf } from "../parsers/irf";
import { parseScheduleReboot } from "../parsers/scheduleReboot";
import { parseDisplayVersion } from "../parsers/version";
import type { DeviceProfile, RebootAt } from "./types";

const pad2 = (n: number): string => String(n).padStart(2, "0");

/**
 * `<command> at hh:mm [mm/dd/yyyy]` and `<command> delay hh:mm`: Comware 5's `schedule reboot`
 * (README section 4, LAB-DECISIONS 5) and Comware 7's `scheduler reboot` take the same arguments.
 */
export function rebootSchedulers(command: string): {
  at: (at: RebootAt) => string;
  delay: (minutes: number) => string;
} {
  return {
    at: (at) => {
      const time = `${pad2(at.hour)}:${pad2(at.minute)}`;
      if (!at.date) return `${command} at ${time}`;
      return `${command} at ${time} ${pad2(at.date.month)}/${pad2(at.date.day)}/${at.date.year}`;
    },
    delay: (minutes) => `${command} delay ${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`,
  };
}

const scheduleReboot = rebootSchedulers("schedule reboot");

/** The profile of Comware 5.20 (HP/H3C 5120 EI and relatives): the default of every session. */
export const comware5: DeviceProfile = {
  id: "comware5",
  displayName: "Comware 5.20",
  // "Comware Software, Version 5.20, Release 1505P09" … "Version 5.20.106" (every CW5 sample in the reference).
  softwareVersions: /^5\.20(?:\.\d+)?$/,
  prompts: {
    // Hostnames are [A-Za-z0-9_.-]; sub-views append "-<view>" with / and : in interface names.
    any: /^[<[][\w.\-@/:()]+[>\]]\s*$/,
    user: /^<[\w.\-@/:()]+>\s*$/,
    system: /^\[[\w.\-@/:()]+\]\s*$/,
    continueBanner: /Press Y or ENTER to continue, N to exit\.?\s*$/,
  },
  paging: {
    disableCommand: "screen-length disable",
    moreMarker: /\s*-+ More -+\s*$/,
    moreAnswer: " ",
    // eslint-disable-next-line no-control-regex -- the residue is made of escape sequences
    residue: [/\x1b\[(?:16|42|12)D\s*\x1b\[(?:16|42|12)D/g, /\x1b\[\d+D/g],
  },
  errorLines: [
    /^\s*% (Unrecognized|Incomplete|Ambiguous) command found at '\^' position\./,
    /^\s*% (Too many parameters|Wrong parameter) found at '\^' position\./,
    /^\s*% Wrong device\b.*/,
    /^\s*% Such file or path doesn't exist\./,
    /^\s*%\s*(Error|Failed|Fail)\b.*/i,
    /^\s*Error:.*/,
  ],
  confirmations: {
    save: [
      { pattern: /Are you sure\? ?\[Y\/N\]:?\s*$/, answer: "y" },
      // Enter keeps the existing startup file name. Answered on the question's last line only:
      // its first line ("Please input the file name(*.cfg)[flash:/startup.cfg]") may arrive
      // alone, and an Enter sent then would meet the next question, "overwrite? [Y/N]".
      { pattern: /\(To leave the existing filename unchanged, press the enter key\):\s*$/, answer: "" },
      { pattern: /exists, overwrite\? ?\[Y\/N\]:?\s*$/, answer: "y" },
    ],
    setBootImage: [
      { pattern: /This command will set the boot file.*Continue\? ?\[Y\/N\]:?\s*$/, answer: "y" },
    ],
    copyFile: [
      { pattern: /Copy .+ to .+\?\s*\[Y\/N\]:?\s*$/, answer: "y" },
      { pattern: /The file .+ exists\. Overwrite it\?\s*\[Y\/N\]:?\s*$/, answer: "y" },
    ],
    scheduleReboot: [{ pattern: /Reboot system at .*Confirm\? ?\[Y\/N\]:?\s*$/, answer: "y" }],
    undoScheduleReboot: [{ pattern: /Confirm\? ?\[Y\/N\]:?\s*$/, answer: "y" }],
  },
  anyConfirmation: /\[Y\/N\]:?\s*$/,
  installedImageName: (fileName) => fileName,
  bootLoaderCopiesToMembers: false,
  saveSucceeded:
    /(Configuration is saved to device successfully|Saved the current configuration to mainboard device successfully|saved to the active main board successfully)/,
  commands: {
    displayVersion: "display version",
    displayIrf: "display irf",
    displayBootLoader: "display boot-loader",
    displayCurrentConfiguration: "display current-configuration",
    displaySavedConfiguration: "display saved-configuration",
    displayClock: "display clock",
    displayScheduleReboot: "display schedule reboot",
    dir: (member, isMaster) => (isMaster ? "dir flash:/" : `dir slot${member}#flash:/`),
    memberFilePath: (member, isMaster, fileName) =>
      isMaster ? `flash:/${fileName}` : `slot${member}#flash:/${fileName}`,
    // The SFTP root is the master's flash:/ (LAB-DECISIONS 6).
    sftpPath: (fileName) => `/${fileName}`,
    // No automatic copy to members on Comware 5 (LAB-DECISIONS 1).
    copyToMember: (fileName, member) => `copy flash:/${fileName} slot${member}#flash:/${fileName}`,
    setBootImage: (fileName, member, kind) => `boot-loader file flash:/${fileName} slot ${member} ${kind}`,
    scheduleRebootAt: scheduleReboot.at,
    scheduleRebootDelay: scheduleReboot.delay,
    undoScheduleReboot: "undo schedule reboot",
    enterSystemView: "system-view",
    returnToUserView: "return",
    quitView: "quit",
    save: "save",
    // Comware 5.20 has no md5sum (README section 4, LAB-DECISIONS 4): verify by reading back over SFTP.
    md5sum: undefined,
  },
  config: {
    volatileLines: [
      // Firmware version banner inside the configuration: changes with an upgrade, not configurable.
      /^version \d+\.\d+/,
      // Dynamically learned secure MAC addresses (RANCID h3c.pm).
      /^mac-address security\b/,
    ],
    secretLines: [
      /^(\s*(?:super )?password(?: level \d+)? (?:cipher|simple|hash))\s+\S.*$/,
      /^(\s*snmp-agent community (?:read|write)(?: cipher| simple)?)\s+\S.*$/,
      /^(\s*snmp-agent usm-user .*?(?:authentication-mode|privacy-mode) \S+)\s+\S.*$/,
      /^(\s*key (?:authentication|authorization|accounting) (?:cipher|simple))\s+\S.*$/,
    ],
    singleValued: [
      /^(sysname)\s/,
      /^(description)\s/,
      /^(ip address) \S+ \S+$/,
      /^(port link-type)\s/,
      /^(port link-mode)\s/,
      /^(port access vlan)\s/,
      /^(port trunk pvid vlan)\s/,
      /^(name)\s/,
      /^(clock timezone)\s/,
      /^(authentication-mode)\s/,
      /^(user privilege level)\s/,
      /^(protocol inbound)\s/,
      /^(idle-timeout)\s/,
      /^(service-type)\s/,
      /^(authorization-attribute level)\s/,
      /^(password (?:cipher|simple|hash))\s/,
      /^(stp mode)\s/,
      /^(stp priority)\s/,
      /^(irf member \d+ priority)\s/,
    ],
    removableSections: [
      /^vlan \d+$/,
      /^interface (Vlan-interface|Bridge-Aggregation|Route-Aggregation|LoopBack|Tunnel)\S+$/,
      /^acl number \d+/,
      /^local-user \S+$/,
      /^radius scheme \S+$/,
      /^domain (?!system$|default)\S+$/,
      /^ospf \d+/,
      /^rip \d+/,
    ],
    endMarker: "return",
    separator: "#",
  },
  parsers: {
    version: parseDisplayVersion,
    irf: parseDisplayIrf,
    bootLoader: parseDisplayBootLoader,
    dir: parseDir,
    clock: parseDisplayClock,
    config: (text, profile) => parseConfig(text, profile.config),
    scheduleReboot: parseScheduleReboot,
  },
};
