// The command table of the simulated CLI, per view.
import { CommandPattern, pattern } from "./grammar";
import type { LabOs } from "./state";

export type ViewKind = "user" | "system" | "vlan" | "interface" | "luser" | "ui";

type AnyPattern = CommandPattern<string>;

const ANY_VIEW = [
  pattern("displayVersion", "display version"),
  pattern("displayIrf", "display irf"),
  pattern("displayBootLoader", "display boot-loader"),
  pattern("displayCurrent", "display current-configuration"),
  pattern("displaySaved", "display saved-configuration"),
  pattern("displayClock", "display clock"),
  pattern("displayStartup", "display startup"),
  pattern("screenLengthDisable", "screen-length disable"),
  pattern("undoScreenLengthDisable", "undo screen-length disable"),
  pattern("save", "save"),
  pattern("saveForce", "save force"),
  pattern("saveFile", "save <word>"),
  pattern("quit", "quit"),
];

const USER_VIEW = [
  pattern("systemView", "system-view"),
  pattern("dir", "dir"),
  pattern("dirPath", "dir <word>"),
  pattern("copy", "copy <word> <word>"),
  pattern("delete", "delete <word>"),
  pattern("deleteUnreserved", "delete /unreserved <word>"),
  pattern("resetRecycleBin", "reset recycle-bin"),
  pattern("bootLoader", "boot-loader file <word> {main|backup}"),
  pattern("bootLoaderSlotAll", "boot-loader file <word> slot all {main|backup}"),
  pattern("bootLoaderSlot", "boot-loader file <word> slot <int:1-9> {main|backup}"),
  pattern("reboot", "reboot"),
  pattern("clockDatetime", "clock datetime <clockTime> <date>"),
  pattern("terminalMonitor", "terminal monitor"),
  pattern("undoTerminalMonitor", "undo terminal monitor"),
];

// Comware 5 `schedule reboot`; Comware 7 renamed it `scheduler reboot` and hashes files on the device.
const OS_USER_VIEW: Record<LabOs, AnyPattern[]> = {
  comware5: [
    pattern("scheduleAt", "schedule reboot at <time>"),
    pattern("scheduleAtDate", "schedule reboot at <time> <date>"),
    pattern("scheduleDelay", "schedule reboot delay <delay>"),
    pattern("undoSchedule", "undo schedule reboot"),
  ],
  comware7: [
    pattern("scheduleAt", "scheduler reboot at <time>"),
    pattern("scheduleAtDate", "scheduler reboot at <time> <date>"),
    pattern("scheduleDelay", "scheduler reboot delay <delay>"),
    pattern("undoSchedule", "undo scheduler reboot"),
    pattern("bootLoaderPair", "boot-loader file boot <word> system <word> slot <int:1-9> {main|backup}"),
    pattern("md5sum", "md5sum <word>"),
    pattern("sha256sum", "sha256sum <word>"),
  ],
};
const OS_ANY_VIEW: Record<LabOs, AnyPattern[]> = {
  comware5: [pattern("displaySchedule", "display schedule reboot")],
  comware7: [pattern("displaySchedule", "display scheduler reboot")],
};

// Global commands of system view kept as whole lines (their sub-syntax is not modelled).
export const GLOBAL_FAMILIES = [
  "ntp-service",
  "snmp-agent",
  "info-center",
  "ssh",
  "sftp",
  "irf",
  "dns",
  "stp",
  "lldp",
];

const SYSTEM_VIEW = [
  pattern("return", "return"),
  pattern("displayThis", "display this"),
  pattern("sysname", "sysname <word>"),
  pattern("undoSysname", "undo sysname"),
  pattern("vlan", "vlan <int:1-4094>"),
  pattern("undoVlan", "undo vlan <int:1-4094>"),
  pattern("interface", "interface <text>"),
  pattern("undoInterface", "undo interface <text>"),
  pattern("localUser", "local-user <word>"),
  pattern("undoLocalUser", "undo local-user <word>"),
  pattern("userInterface", "user-interface vty <int:0-15> <int:0-15>"),
  pattern("clockTimezone", "clock timezone <text>"),
  pattern("undoClockTimezone", "undo clock timezone"),
  pattern("clockSummerTime", "clock summer-time <text>"),
  pattern("undoClockSummerTime", "undo clock summer-time"),
  pattern("ipRouteStatic", "ip route-static <text>"),
  pattern("undoIpRouteStatic", "undo ip route-static <text>"),
  ...GLOBAL_FAMILIES.flatMap((f) => [
    pattern("global", `${f} ${f === "snmp-agent" ? "<optText>" : "<text>"}`),
    pattern("undoGlobal", `undo ${f} <optText>`),
  ]),
];

const VLAN_VIEW = [
  pattern("setLine", "name <text>"),
  pattern("setLine", "description <text>"),
  pattern("undoLine", "undo name"),
  pattern("undoLine", "undo description"),
];

const INTERFACE_VIEW = [
  pattern("setLine", "description <text>"),
  pattern("undoLine", "undo description"),
  pattern("setLine", "port access vlan <int:1-4094>"),
  pattern("undoLine", "undo port access vlan"),
  pattern("setLine", "port link-type {access|trunk|hybrid}"),
  pattern("undoLine", "undo port link-type"),
  pattern("setLine", "port trunk permit vlan <text>"),
  pattern("undoLine", "undo port trunk permit vlan <text>"),
  pattern("setLine", "shutdown"),
  pattern("undoLine", "undo shutdown"),
  pattern("setLine", "ip address <ip> <ip>"),
  pattern("undoLine", "undo ip address"),
  pattern("setLine", "stp edge-port enable"),
  pattern("undoLine", "undo stp edge-port"),
];

const LUSER_VIEW = [
  pattern("password", "password {simple|cipher} <word>"),
  pattern("undoLine", "undo password"),
  pattern("setLine", "service-type <text>"),
  pattern("undoLine", "undo service-type <text>"),
  pattern("setLine", "authorization-attribute level <int:0-3>"),
  pattern("undoLine", "undo authorization-attribute level"),
];

const UI_VIEW = [
  pattern("setLine", "authentication-mode {scheme|password|none}"),
  pattern("setLine", "protocol inbound {ssh|telnet|all}"),
  pattern("setLine", "user privilege level <int:0-3>"),
  pattern("undoLine", "undo user privilege level"),
  pattern("setLine", "idle-timeout <text>"),
  pattern("undoLine", "undo idle-timeout"),
];

function viewPatterns(os: LabOs): { views: Record<ViewKind, AnyPattern[]>; systemFromSubview: AnyPattern[] } {
  const withCommon = (own: AnyPattern[]): AnyPattern[] => [...own, ...ANY_VIEW, ...OS_ANY_VIEW[os]];
  const subView = (own: AnyPattern[]): AnyPattern[] =>
    withCommon([pattern("return", "return"), pattern("displayThis", "display this"), ...own]);
  return {
    views: {
      user: withCommon([...USER_VIEW, ...OS_USER_VIEW[os]]),
      system: withCommon(SYSTEM_VIEW),
      vlan: subView(VLAN_VIEW),
      interface: subView(INTERFACE_VIEW),
      luser: subView(LUSER_VIEW),
      ui: subView(UI_VIEW),
    },
    // System-view commands that also work from a sub-view (Comware moves to that view).
    systemFromSubview: withCommon(SYSTEM_VIEW),
  };
}

/** The command table of each view, per OS. */
export const PATTERNS_BY_OS: Record<LabOs, ReturnType<typeof viewPatterns>> = {
  comware5: viewPatterns("comware5"),
  comware7: viewPatterns("comware7"),
};

const INTERFACE_TYPES: [RegExp, string][] = [
  [/^(ge|g|gi|gigabitethernet)$/i, "GigabitEthernet"],
  [/^(xge|ten-gigabitethernet|ten-g|t)$/i, "Ten-GigabitEthernet"],
  [/^(vlan-interface|vlan-int|vlan|vl|vlanif)$/i, "Vlan-interface"],
  [/^(bagg|bridge-aggregation|bridge-agg)$/i, "Bridge-Aggregation"],
  [/^(loopback|loop|lo)$/i, "LoopBack"],
  [/^null$/i, "NULL"],
];

/** `GigabitEthernet1/0/1`, `gi 1/0/1`, `vlan-interface 10` -> canonical name, or null. */
export function canonicalInterface(text: string): string | null {
  const match = /^([A-Za-z-]+)\s*(\d+(?:\/\d+)*)$/.exec(text.trim());
  if (!match) return null;
  const type = INTERFACE_TYPES.find(([re]) => re.test(match[1]))?.[1];
  return type ? `${type}${match[2]}` : null;
}
