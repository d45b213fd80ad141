// Comware 7 outputs of a lab switch (5130 EI style IRF of 1-4 members), in the shapes of the
// public Comware 7 samples (/work/shared/comware/raw: display_version__…cw7…, display_irf__…cw7…)
// and, for `display boot-loader`, the shape lab/switch/README.md ("Comware 7 mode") describes.
import { uptime } from "./clock";
import { SwitchDevice } from "./device";
import { visibleMembers } from "./render";
import { bootImageOf } from "./state";
import { releaseFromImageName } from "./version";

export const MODEL_CW7 = "5130 24G 4SFP+ EI Switch";
const PRODUCT_CW7 = `HPE ${MODEL_CW7} JG932A`;
/** A chassis-based stack's model, as the 7506 samples print it. */
export const MODEL_CHASSIS = "HP 7506";

/** "Release 3507P18" -> "3507P18". */
const releaseCode = (image: string | null): string =>
  (image && releaseFromImageName(image)?.release.replace(/^\S+ /, "")) ?? "0000";

export function displayVersion7(dev: SwitchDevice): string[] {
  const master = dev.state.members.find((m) => m.id === dev.master) ?? dev.state.members[0];
  const system = master.current ?? "";
  const release = `${dev.softwareVersion()}, ${dev.release()}`;
  const up = uptime(dev.now().getTime() - dev.state.bootedAt);
  const chassis = dev.state.chassis === true;
  const lines = [
    `HPE Comware Software, Version ${release}`,
    "Copyright (c) 2010-2023 Hewlett Packard Enterprise Development LP",
    `${chassis ? MODEL_CHASSIS : PRODUCT_CW7} uptime is ${up}`,
    "Last reboot reason : User reboot",
    "",
    `Boot image: flash:/${bootImageOf(system)}`,
    `Boot image version: ${release}`,
    "  Compiled Oct 12 2023 11:00:00",
    `System image: flash:/${system}`,
    `System image version: ${release}`,
    "  Compiled Oct 12 2023 11:00:00",
    "",
  ];
  if (chassis) return [...lines, ...chassisBoards(dev, up)];
  for (const m of visibleMembers(dev)) {
    lines.push(
      "",
      `Slot ${m.id}:`,
      `Uptime is ${up.replace(/, /g, ",")}`,
      `${MODEL_CW7} with 2 Processors`,
      `BOARD TYPE:         ${MODEL_CW7}`,
      "DRAM:               1024M bytes",
      "FLASH:              512M bytes",
      "PCB 1 Version:      VER.B",
      "Bootrom Version:    128",
      "CPLD 1 Version:     003",
      `Release Version:    ${PRODUCT_CW7}-${releaseCode(m.current)}`,
      "Patch Version  :    None",
      "Reboot Cause  :     UserReboot",
      "[SubSlot 0] 24GE+4SFP Plus",
    );
  }
  return lines;
}

/**
 * The boards of a chassis-based IRF, in the 7506 samples' shape: per member (chassis N) two
 * main boards, slot 1 the active one on the master's chassis (`MPU(M)`), the others `MPU(S)`,
 * then two line cards in slots 2 and 3. Every board of a chassis runs that member's release,
 * so chassis 1's `LPU Chassis 1 Slot 2` shares member 2's number, never its release.
 */
function chassisBoards(dev: SwitchDevice, up: string): string[] {
  const lines: string[] = [];
  for (const m of visibleMembers(dev)) {
    const boards: [string, number, string][] = [
      ["MPU(S)", 0, "LSQM1SRP8X2QE0"],
      [m.id === dev.master ? "MPU(M)" : "MPU(S)", 1, "LSQM1SRP8X2QE0"],
      ["LPU", 2, "LSQM2TGS48RSG0"],
      ["LPU", 3, "LSQM1GV48SE0"],
    ];
    for (const [role, slot, type] of boards) {
      lines.push(
        "",
        `${role} Chassis ${m.id} Slot ${slot}:`,
        `Uptime is ${up.replace(/, /g, ",")}`,
        `BOARD TYPE:         ${type}`,
        `DRAM:               ${role === "LPU" ? "2048" : "4096"}M bytes`,
        `FLASH:              ${role === "LPU" ? "0" : "1024"}M bytes`,
        "PCB 1 Version:      VER.B",
        "Bootrom Version:    127",
        `Release Version:    ${MODEL_CHASSIS}-${releaseCode(m.current)}`,
        "Patch Version  :    None",
        "Reboot Cause  :     ColdReboot",
      );
    }
  }
  return lines;
}

export function displayIrf7(dev: SwitchDevice): string[] {
  const lines = ["MemberID    Role    Priority  CPU-Mac         Description"];
  for (const m of visibleMembers(dev)) {
    const mark = (m.id === dev.master ? " *+" : "   ") + String(m.id);
    const role = m.id === dev.master ? "Master" : "Standby";
    lines.push(
      `${mark.padEnd(12)}${role.padEnd(8)}${String(m.priority).padEnd(10)}${m.cpuMac.padEnd(16)}---`,
    );
  }
  lines.push(
    "--------------------------------------------------",
    " * indicates the device is the master.",
    " + indicates the device through which the user logs in.",
    "",
    ` The bridge MAC of the IRF is: ${dev.state.members[0].cpuMac.replace(/..$/, "00")}`,
    " Auto upgrade                : yes",
    " Mac persistent              : 6 min",
    " Domain ID                   : 0",
  );
  return lines;
}

const pair = (system: string | null): string[] =>
  system ? [`  flash:/${bootImageOf(system)}`, `  flash:/${system}`] : ["  None"];

export function displayBootLoader7(dev: SwitchDevice): string[] {
  return visibleMembers(dev).flatMap((m) => [
    `Software images on slot ${m.id}:`,
    "Current software images:",
    ...pair(m.current),
    "Main startup software images:",
    ...pair(m.main),
    "Backup startup software images:",
    ...pair(m.backup),
  ]);
}
