// `display …` and `dir` outputs of a switch, as lists of lines (no line endings).
import { dirDate, displayClock, inHoursMinutes, scheduleWhen, uptime } from "./clock";
import { SwitchDevice } from "./device";
import { releaseFromImageName, versionHeader } from "./version";

const MODEL = "HP A5120-24G EI Switch with 2 Interface Slots";

/** The members this half of the stack still sees (all of them unless the splitMembers fault cut some off). */
export function visibleMembers(dev: SwitchDevice): SwitchDevice["state"]["members"] {
  const split = dev.faults.splitMembers ?? [];
  return dev.state.members.filter((m) => !split.includes(m.id));
}

export function displayVersion(dev: SwitchDevice): string[] {
  const release = releaseFromImageName(dev.state.members[0].current ?? "");
  const header = versionHeader(release);
  const lines = [
    header.platform,
    `Comware Software, Version ${dev.softwareVersion()}, ${dev.release()}`,
    header.copyright,
    `${MODEL} uptime is ${uptime(dev.now().getTime() - dev.state.bootedAt)}`,
  ];
  const irf = dev.state.members.length > 1;
  for (const m of visibleMembers(dev)) {
    lines.push("");
    if (irf) lines.push(` Slot ${m.id}:`);
    lines.push(
      `${MODEL} with 1 Processor`,
      "128M    bytes SDRAM",
      `${dev.state.flashKB}K  bytes Flash Memory`,
      "",
      "Hardware Version is REV.B",
      "CPLD Version is 007",
      "Bootrom Version is 621",
      "[SubSlot 0] 24GE+4SFP Hardware Version is REV.B",
    );
  }
  return lines;
}

export function displayIrf(dev: SwitchDevice): string[] {
  const lines = ["Switch  Role   Priority  CPU-Mac         Description"];
  for (const m of visibleMembers(dev)) {
    const mark = (m.id === dev.master ? "*+" : "  ") + String(m.id);
    const role = m.id === dev.master ? "Master" : "Slave";
    lines.push(
      `${mark.padStart(3)}   ${role.padEnd(8)}${String(m.priority).padEnd(10)}${m.cpuMac.padEnd(16)}-----`,
    );
  }
  lines.push(
    "--------------------------------------------------",
    " * indicates the device is the master.",
    " + indicates the device through which the user logs in.",
    "",
    ` The Bridge MAC of the IRF is: ${dev.state.members[0].cpuMac.replace(/..$/, "00")}`,
    " Auto upgrade                : yes",
    " Mac persistent              : 6 min",
    " Domain ID                   : 0",
  );
  return lines;
}

const bootPath = (name: string | null): string => (name ? `flash:/${name}` : "NULL");

export function displayBootLoader(dev: SwitchDevice): string[] {
  const lines: string[] = [];
  const irf = dev.state.members.length > 1;
  for (const m of visibleMembers(dev)) {
    if (irf) lines.push(` Slot ${m.id}`);
    lines.push(
      `The current boot app is: ${bootPath(m.current)}`,
      `The main boot app is: ${bootPath(m.main)}`,
      `The backup boot app is: ${bootPath(m.backup)}`,
    );
  }
  return lines;
}

export function dirListing(dev: SwitchDevice, member: number): string[] {
  const m = dev.state.members.find((x) => x.id === member);
  const location = member === dev.master ? "flash:/" : `slot${member}#flash:/`;
  const lines = [`Directory of ${location}`, ""];
  dev.listFiles(member).forEach((f, i) => {
    const isMain = m?.main?.toLowerCase() === f.name.toLowerCase();
    const isBackup = m?.backup?.toLowerCase() === f.name.toLowerCase();
    const attr = isMain && isBackup ? "(*b)" : isMain ? "(*)" : isBackup ? "(b)" : "";
    lines.push(
      `${String(i).padStart(4)}${attr.padEnd(5)}-rw-  ${String(f.size).padStart(8)}  ${dirDate(f.mtime)}   ${f.name}`,
    );
  });
  const totalKB = dev.state.flashKB;
  const freeKB = Math.floor(dev.freeBytes(member) / 1024);
  lines.push(
    "",
    `${totalKB} KB total (${freeKB} KB free)`,
    "",
    "(*) -with main attribute   (b) -with backup attribute",
    "(*b) -with both main and backup attribute",
  );
  return lines;
}

/**
 * `display clock`: the wall clock, and the zone and summer-time rule when the running
 * configuration sets them (`clock timezone CET add 01:00:00`, `clock summer-time CEST
 * repeating 02:00:00 03/29 03:00:00 10/25 01:00:00`); the lab clock is already wall time.
 */
export function displayClockLines(dev: SwitchDevice): string[] {
  const globals = dev.state.running.filter((b) => b.head === null).flatMap((b) => b.lines);
  const zone = globals.map((l) => /^clock timezone (\S+) (add|minus) (\S+)$/.exec(l)).find((m) => m);
  const summer = globals
    .map((l) => /^clock summer-time (\S+) (?:one-off|repeating) (.+)$/.exec(l))
    .find((m) => m);
  const lines = [displayClock(dev.now(), zone?.[1])];
  if (zone) lines.push(`Time Zone : ${zone[1]} ${zone[2]} ${zone[3]}`);
  if (summer) lines.push(`Summer Time : ${summer[1]} ${summer[2]}`);
  return lines;
}

export function displayScheduleReboot(dev: SwitchDevice): string[] {
  const at = dev.scheduledReboot();
  if (!at) return [];
  return [
    ` System will reboot at ${scheduleWhen(at)} (${inHoursMinutes(at.getTime() - dev.now().getTime())}).`,
  ];
}

export function displayStartup(dev: SwitchDevice): string[] {
  return [
    ` Current startup saved-configuration file: flash:/${dev.state.startupFile}`,
    ` Next main startup saved-configuration file: flash:/${dev.state.startupFile}`,
    " Next backup startup saved-configuration file: NULL",
  ];
}
