// The running configuration as Comware prints it: blocks separated by `#`, global commands
// indented by one space, sub-view commands under their view's line. Pure functions only.
import { createHash } from "node:crypto";

/** `head` null = a block of global commands (printed with one leading space). */
export interface ConfigBlock {
  head: string | null;
  lines: string[];
}

export const PORTS_PER_MEMBER = 28; // HP A5120-24G EI: 24 GE + 4 combo SFP

/** Stable stand-in for Comware's reversible cipher: same input, same text. */
export function cipherOf(secret: string): string {
  return "$c$3$" + createHash("sha256").update(secret).digest("base64").slice(0, 32);
}

export function defaultConfig(opts: {
  sysname: string;
  members: number;
  username: string;
  password: string;
}): ConfigBlock[] {
  const blocks: ConfigBlock[] = [
    { head: null, lines: [`sysname ${opts.sysname}`] },
    {
      head: null,
      lines: ["irf mac-address persistent timer", "irf auto-update enable", "undo irf link-delay"],
    },
    { head: null, lines: ["domain default enable system"] },
    { head: null, lines: ["password-recovery enable"] },
    { head: "vlan 1", lines: [] },
    {
      head: "domain system",
      lines: ["access-limit disable", "state active", "idle-cut disable", "self-service-url disable"],
    },
    {
      head: `local-user ${opts.username}`,
      lines: [
        `password cipher ${cipherOf(opts.password)}`,
        "authorization-attribute level 3",
        "service-type ssh",
      ],
    },
    { head: "interface NULL0", lines: [] },
    { head: "interface Vlan-interface1", lines: ["ip address dhcp-alloc"] },
  ];
  for (let m = 1; m <= opts.members; m++) {
    for (let p = 1; p <= PORTS_PER_MEMBER; p++)
      blocks.push({ head: `interface GigabitEthernet${m}/0/${p}`, lines: [] });
  }
  blocks.push(
    {
      head: null,
      lines: [
        "ssh server enable",
        "sftp server enable",
        `ssh user ${opts.username} service-type all authentication-type password`,
      ],
    },
    { head: null, lines: ["load xml-configuration"] },
    {
      head: opts.members > 1 ? `user-interface aux 0 ${opts.members - 1}` : "user-interface aux 0",
      lines: [],
    },
    { head: "user-interface vty 0 15", lines: ["authentication-mode scheme", "protocol inbound ssh"] },
  );
  return blocks;
}

/** `display current-configuration` text (without trailing newline); the version line comes from the running image. */
export function renderConfig(blocks: ConfigBlock[], release: string, software = "5.20.99"): string[] {
  const out = ["#", ` version ${software}, ${release}`];
  for (const block of blocks) {
    out.push("#");
    if (block.head === null) out.push(...block.lines.map((l) => ` ${l}`));
    else out.push(block.head, ...block.lines.map((l) => ` ${l}`));
  }
  out.push("#", "return");
  return out;
}

/** Reads a saved configuration back into blocks (the version line is regenerated on display). */
export function parseConfig(text: string): ConfigBlock[] {
  const blocks: ConfigBlock[] = [];
  let current: ConfigBlock | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+$/, "");
    if (line === "" || line === "return") continue;
    if (line === "#") {
      current = null;
      continue;
    }
    if (/^ version /.test(line)) continue;
    if (!line.startsWith(" ")) {
      current = { head: line, lines: [] };
      blocks.push(current);
    } else if (current) {
      current.lines.push(line.slice(1));
    } else {
      current = { head: null, lines: [line.slice(1)] };
      blocks.push(current);
    }
  }
  return blocks;
}

export function cloneConfig(blocks: ConfigBlock[]): ConfigBlock[] {
  return blocks.map((b) => ({ head: b.head, lines: [...b.lines] }));
}

// Commands that hold one value: setting them replaces the previous line with the same key.
const SINGLE_VALUED = [
  "sysname",
  "description",
  "name",
  "port access vlan",
  "port link-type",
  "ip address",
  "password",
  "authorization-attribute level",
  "service-type",
  "authentication-mode",
  "user privilege level",
  "protocol inbound",
  "clock timezone",
  "clock summer-time",
  "snmp-agent sys-info contact",
  "snmp-agent sys-info location",
  "ntp-service source-interface",
];

function keyOf(line: string): string | null {
  for (const key of SINGLE_VALUED) if (line === key || line.startsWith(key + " ")) return key;
  return null;
}

function globalFamily(line: string): string {
  const first = line.split(" ")[0];
  if (first === "ssh" || first === "sftp") return "ssh";
  return first;
}

/** Sets a line inside a block: single-valued keys replace, other lines are added once. */
export function setLine(lines: string[], line: string): string[] {
  const key = keyOf(line);
  if (key) {
    const index = lines.findIndex((l) => keyOf(l) === key);
    if (index >= 0) return lines.map((l, i) => (i === index ? line : l));
  }
  if (lines.includes(line)) return lines;
  // Comware prints a view's name/description first
  return key === "description" || key === "name" ? [line, ...lines] : [...lines, line];
}

/** `undo X`: removes lines starting with X, else lines containing X's words in order (same first word). */
export function undoLine(lines: string[], args: string): string[] {
  const words = args.split(/\s+/);
  const prefix = lines.filter((l) => {
    const lw = l.split(" ");
    return words.every((w, i) => lw[i] === w);
  });
  if (prefix.length > 0) return lines.filter((l) => !prefix.includes(l));
  return lines.filter((l) => {
    const lw = l.split(" ");
    if (lw[0] !== words[0]) return true;
    let j = 0;
    for (const w of lw) if (w === words[j]) j++;
    return j < words.length;
  });
}

/** Sets a global command (e.g. `ntp-service unicast-server 10.0.0.1`) in the block of its family. */
export function setGlobal(blocks: ConfigBlock[], line: string): ConfigBlock[] {
  const family = globalFamily(line);
  const index = blocks.findIndex((b) => b.head === null && b.lines.some((l) => globalFamily(l) === family));
  if (index >= 0)
    return blocks.map((b, i) => (i === index ? { head: null, lines: setLine(b.lines, line) } : b));
  return insertBeforeUserInterfaces(blocks, { head: null, lines: [line] });
}

export function undoGlobal(blocks: ConfigBlock[], args: string): ConfigBlock[] {
  return blocks
    .map((b) => (b.head === null ? { head: null, lines: undoLine(b.lines, args) } : b))
    .filter((b) => b.head !== null || b.lines.length > 0);
}

function insertBeforeUserInterfaces(blocks: ConfigBlock[], block: ConfigBlock): ConfigBlock[] {
  const index = blocks.findIndex(
    (b) => b.head?.startsWith("user-interface") || b.lines[0] === "load xml-configuration",
  );
  const at = index < 0 ? blocks.length : index;
  return [...blocks.slice(0, at), block, ...blocks.slice(at)];
}

function blockKind(head: string): string {
  // "vlan 10" -> "vlan"; "interface Vlan-interface10" -> "interface Vlan-interface"
  if (head.startsWith("interface ")) return head.replace(/[\d/:.]+$/, "");
  return head.split(" ")[0];
}

function numericTail(head: string): number[] {
  return (head.match(/\d+/g) ?? []).map(Number);
}

function compareHeads(a: string, b: string): number {
  const na = numericTail(a);
  const nb = numericTail(b);
  for (let i = 0; i < Math.max(na.length, nb.length); i++) {
    const d = (na[i] ?? -1) - (nb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/** Returns the blocks with a view block present (created in its natural place when missing). */
export function ensureBlock(blocks: ConfigBlock[], head: string): ConfigBlock[] {
  if (blocks.some((b) => b.head === head)) return blocks;
  const kind = blockKind(head);
  const sameKind = blocks
    .map((b, i) => ({ b, i }))
    .filter(({ b }) => b.head !== null && blockKind(b.head) === kind);
  const block: ConfigBlock = { head, lines: [] };
  if (sameKind.length === 0) {
    if (kind === "interface Vlan-interface") {
      const nullIndex = blocks.findIndex((b) => b.head === "interface NULL0");
      if (nullIndex >= 0) return [...blocks.slice(0, nullIndex + 1), block, ...blocks.slice(nullIndex + 1)];
    }
    const lastInterface = blocks.map((b) => b.head?.startsWith("interface ") ?? false).lastIndexOf(true);
    if (kind.startsWith("interface") && lastInterface >= 0) {
      return [...blocks.slice(0, lastInterface + 1), block, ...blocks.slice(lastInterface + 1)];
    }
    return insertBeforeUserInterfaces(blocks, block);
  }
  // keep numeric order among blocks of the same kind (vlan 1, vlan 10, vlan 20…)
  const after = sameKind.filter(({ b }) => compareHeads(b.head as string, head) < 0);
  const at = after.length > 0 ? after[after.length - 1].i + 1 : sameKind[0].i;
  return [...blocks.slice(0, at), block, ...blocks.slice(at)];
}

export function updateBlock(
  blocks: ConfigBlock[],
  head: string,
  update: (lines: string[]) => string[],
): ConfigBlock[] {
  return blocks.map((b) => (b.head === head ? { head, lines: update(b.lines) } : b));
}

export function removeBlock(blocks: ConfigBlock[], head: string): ConfigBlock[] {
  return blocks.filter((b) => b.head !== head);
}

export function sysnameOf(blocks: ConfigBlock[]): string {
  for (const b of blocks) {
    if (b.head !== null) continue;
    const line = b.lines.find((l) => l.startsWith("sysname "));
    if (line) return line.slice("sysname ".length);
  }
  return "HP";
}

export function sameConfig(a: ConfigBlock[], b: ConfigBlock[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
