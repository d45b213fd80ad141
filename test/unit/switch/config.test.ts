import { describe, expect, it } from "vitest";
import {
  diffConfig,
  maskSecrets,
  planConfigCommands,
  undoLine,
} from "../../../providers/switch/operations/configDiff";
import { parseConfig, renderConfig } from "../../../providers/switch/parsers/config";
import { comware5 } from "../../../providers/switch/profiles/comware5";
import { sample, samplesFor } from "./samples";

const parse = (text: string) => parseConfig(text, comware5.config);

describe("parseConfig on every display_current-configuration sample", () => {
  const samples = samplesFor("display_current-configuration");
  it("covers the sample", () => expect(samples).toHaveLength(1));

  it("splits the CW5 MSR configuration into globals and sections, dropping the version line", () => {
    const config = parse(samples[0].text);
    const global = config.sections[0];
    expect(global.header).toBeNull();
    expect(global.lines).toEqual([
      "sysname H3C",
      "ftp server enable",
      "domain default enable system",
      "ipv6 icmpv6 multicast-echo-reply enable",
      "ipv6",
      "multicast ipv6 routing-enable",
      "ip route-static 192.168.3.0 255.255.255.0 192.168.0.1",
      "ip route-static 192.168.3.0 255.255.255.0 192.168.4.13 preference 210",
      "ipv6 route-static 3FFE:501:FFFF:103:: 64 3FFE:501:FFFF:104::13",
      "ssh server enable",
    ]);
    expect(global.lines.some((l) => l.startsWith("version"))).toBe(false); // volatile (changes with firmware)
    expect(config.sections.slice(1).map((s) => s.header)).toEqual([
      "vlan 1",
      "domain system",
      "interface Aux0",
      "interface Ethernet0/0",
      "interface Ethernet0/1",
      "interface NULL0",
      "user-interface con 0",
      "user-interface aux 0",
      "user-interface vty 0 4",
    ]);
    expect(config.sections.find((s) => s.header === "interface Ethernet0/0")?.lines).toEqual([
      "port link-mode route",
      "ipv6 address 3FFE:501:FFFF:100::2/64",
      "undo ipv6 nd ra halt",
      "ip address 192.168.0.2 255.255.255.0",
      "mld enable",
    ]);
  });

  it("reads the CW7 IRF configuration inside a transcript (irf globals, irf-port sections)", () => {
    const text = sample("display_irf__github-index-2910663238__cw7_2-members_with-config-and-brief.txt");
    const configPart = text.slice(
      text.indexOf("[sw1]dis current-configuration"),
      text.indexOf("[sw1]dis irf"),
    );
    const config = parse(configPart);
    expect(config.sections[0].lines).toEqual([
      "sysname sw1",
      "irf domain 100",
      "irf mac-address persistent timer",
      "irf auto-update enable",
      "undo irf link-delay",
      "irf member 1 priority 3",
      "irf member 2 priority 1",
    ]);
    expect(config.sections[1]).toEqual({
      header: "irf-port 1/1",
      lines: [
        "port group interface Ten-GigabitEthernet1/0/49",
        "port group interface Ten-GigabitEthernet1/0/50",
        "port group interface Ten-GigabitEthernet1/0/51",
      ],
    });
    expect(config.sections[2].header).toBe("irf-port 2/2");
  });

  it("round-trips through renderConfig and strips pager residue", () => {
    const config = parse(samples[0].text);
    expect(parse(renderConfig(config, comware5.config))).toEqual(config);
    const paged =
      "#\r\n sysname A\r\n  ---- More ----\x1b[16D                \x1b[16D#\r\nvlan 10\r\n name x\r\n#\r\nreturn\r\n<A>";
    expect(parse(paged).sections).toEqual([
      { header: null, lines: ["sysname A"] },
      { header: "vlan 10", lines: ["name x"] },
    ]);
  });

  it("drops dynamically learned mac-address security lines", () => {
    const config = parse(
      "#\ninterface GigabitEthernet1/0/1\n mac-address security 0001-0002-0003 vlan 1\n port access vlan 10\n#\nreturn\n",
    );
    expect(config.sections[1].lines).toEqual(["port access vlan 10"]);
  });
});

const BASE = `#
 version 5.20.99, Release 2208P01
#
 sysname sw01
#
 clock timezone CET add 01:00:00
#
vlan 1
#
vlan 10
 name users
#
vlan 20
 name printers
#
local-user admin
 password cipher $c$3$abcdef
 service-type ssh
#
interface GigabitEthernet1/0/1
 description old
 port access vlan 10
#
interface GigabitEthernet1/0/2
 port link-type trunk
 port trunk permit vlan 10 20
#
 ip route-static 0.0.0.0 0.0.0.0 10.0.0.1
#
return
`;

describe("diffConfig", () => {
  it("ignores volatile lines: a firmware upgrade alone is no configuration change", () => {
    const upgraded = BASE.replace("Release 2208P01", "Release 2221P25");
    const diff = diffConfig(BASE, upgraded, comware5);
    expect(diff.hasChanges).toBe(false);
    expect(diff.text).toBe("");
  });

  it("reports added, removed and changed sections with stable, masked output", () => {
    const desired = BASE.replace(" description old", " description uplink")
      .replace("vlan 20\n name printers\n#\n", "")
      .replace("#\n ip route-static", "#\nvlan 30\n name voice\n#\n ip route-static")
      .replace("$c$3$abcdef", "$c$3$zzzzzz");
    const diff = diffConfig(BASE, desired, comware5);
    expect(diff.text).toBe(
      [
        "~ local-user admin",
        "-   password cipher <secret>",
        "+   password cipher <secret>",
        "~ interface GigabitEthernet1/0/1",
        "-   description old",
        "+   description uplink",
        "+ vlan 30",
        "+   name voice",
        "- vlan 20",
        "-   name printers",
        "",
      ].join("\n"),
    );
    expect(diff.text).not.toContain("abcdef");
    // Same input, same output.
    expect(diffConfig(BASE, desired, comware5).text).toBe(diff.text);
  });

  it("in sections scope manages only the listed sections and never removes unlisted globals", () => {
    const desired =
      "#\n sysname sw01\n#\ninterface GigabitEthernet1/0/1\n description old\n port access vlan 20\n#\nreturn\n";
    const diff = diffConfig(BASE, desired, comware5, "sections");
    expect(diff.sections).toEqual([
      {
        header: "interface GigabitEthernet1/0/1",
        status: "changed",
        added: ["port access vlan 20"],
        removed: ["port access vlan 10"],
      },
    ]);
    expect(diffConfig(BASE, desired, comware5, "whole").sections.length).toBeGreaterThan(3);
  });
});

describe("planConfigCommands", () => {
  it("replaces single-valued lines without undo, undoes list lines, removes sections, adds globals last", () => {
    const desired = BASE.replace(" description old", " description uplink")
      .replace(" port trunk permit vlan 10 20", " port trunk permit vlan 10")
      .replace("vlan 20\n name printers\n#\n", "")
      .replace(" ip route-static 0.0.0.0 0.0.0.0 10.0.0.1", " ip route-static 0.0.0.0 0.0.0.0 10.0.0.2");
    const diff = diffConfig(BASE, desired, comware5);
    expect(planConfigCommands(diff, BASE, desired, comware5)).toEqual([
      "undo ip route-static 0.0.0.0 0.0.0.0 10.0.0.1",
      "undo vlan 20",
      "interface GigabitEthernet1/0/1",
      "description uplink",
      "quit",
      "interface GigabitEthernet1/0/2",
      "undo port trunk permit vlan 10 20",
      "port trunk permit vlan 10",
      "quit",
      "ip route-static 0.0.0.0 0.0.0.0 10.0.0.2",
    ]);
  });

  it("empties a physical interface line by line (it cannot be undone) and undoes single-valued keys by key", () => {
    const desired = BASE.replace(
      "interface GigabitEthernet1/0/1\n description old\n port access vlan 10\n#\n",
      "",
    );
    const diff = diffConfig(BASE, desired, comware5);
    expect(planConfigCommands(diff, BASE, desired, comware5)).toEqual([
      "interface GigabitEthernet1/0/1",
      "undo description",
      "undo port access vlan",
      "quit",
    ]);
  });

  it("enters nested views for nested lines", () => {
    const before = "#\nospf 1\n area 0.0.0.0\n  network 10.0.0.0 0.0.0.255\n#\nreturn\n";
    const after =
      "#\nospf 1\n area 0.0.0.0\n  network 10.0.0.0 0.0.0.255\n  network 10.1.0.0 0.0.0.255\n#\nreturn\n";
    const diff = diffConfig(before, after, comware5);
    expect(planConfigCommands(diff, before, after, comware5)).toEqual([
      "ospf 1",
      "area 0.0.0.0",
      "network 10.1.0.0 0.0.0.255",
      "quit",
      "quit",
    ]);
  });

  it("turns removal of an undo line into the positive command", () => {
    expect(undoLine("undo irf link-delay", comware5)).toBe("irf link-delay");
    expect(undoLine("sysname x", comware5)).toBe("undo sysname");
    expect(undoLine("ssh server enable", comware5)).toBe("undo ssh server enable");
    expect(maskSecrets("snmp-agent community read s3cret", comware5)).toBe(
      "snmp-agent community read <secret>",
    );
  });
});
