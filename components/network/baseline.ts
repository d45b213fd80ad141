// The configuration every switch of a site shares, rendered in Comware syntax
// from a few facts. A plain function: tested alone, readable by the network team.

/** A VLAN of the site baseline. */
export interface Vlan {
  /** VLAN ID, 2-4094 (VLAN 1 is the default VLAN). */
  id: number;
  /** Name shown on the switch, e.g. "urgences". Letters, digits, - and _ only. */
  name: string;
}

/** The facts every switch of a site shares. */
export interface SiteBaseline {
  /** The switch's hostname (`sysname`). */
  sysname: string;
  /** VLANs to declare, each ID once. */
  vlans: Vlan[];
  /** NTP server address. @default none */
  ntpServer?: string;
  /** Syslog host address. @default none */
  syslogHost?: string;
  /**
   * More configuration in device syntax, sections separated by "#", placed after the
   * baseline and before the closing "return" (a trailing "return" of its own is dropped).
   * @default none
   */
  extraConfig?: string;
}

/** Renders the baseline as device configuration text (sections separated by "#"). */
export function renderBaseline(site: SiteBaseline): string {
  const seen = new Set<number>();
  for (const vlan of site.vlans) {
    if (!Number.isInteger(vlan.id) || vlan.id < 2 || vlan.id > 4094) {
      throw new Error(
        `vlans: id ${vlan.id} (${vlan.name}) must be an integer from 2 to 4094 (VLAN 1 is the default VLAN)`,
      );
    }
    if (seen.has(vlan.id))
      throw new Error(`vlans: id ${vlan.id} is declared twice; give each VLAN one entry`);
    seen.add(vlan.id);
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(vlan.name)) {
      throw new Error(`vlans: name "${vlan.name}" of VLAN ${vlan.id} must be 1-32 letters, digits, - or _`);
    }
  }
  const global = [` sysname ${site.sysname}`];
  if (site.ntpServer) global.push(` ntp-service unicast-server ${site.ntpServer}`);
  if (site.syslogHost) global.push(` info-center loghost ${site.syslogHost}`);
  const blocks = [global.join("\n")];
  for (const vlan of [...site.vlans].sort((a, b) => a.id - b.id)) {
    blocks.push(`vlan ${vlan.id}\n name ${vlan.name}`);
  }
  const extra = extraSections(site.extraConfig);
  if (extra !== "") blocks.push(extra);
  return ["#", ...blocks.flatMap((b) => [b, "#"]), "return", ""].join("\n");
}

/** The extra configuration without its own framing "#" lines or closing "return". */
function extraSections(text: string | undefined): string {
  const lines = (text ?? "").split(/\r?\n/).map((line) => line.trimEnd());
  while (lines.length > 0 && ["", "#", "return"].includes(lines[lines.length - 1].trim())) lines.pop();
  while (lines.length > 0 && ["", "#"].includes(lines[0].trim())) lines.shift();
  return lines.join("\n");
}
