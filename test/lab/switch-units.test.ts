// Pure parts of the switch lab: version rule, command matcher, config model, clock formats.
import { describe, expect, it } from "vitest";
import { releaseFromImageName, versionHeader } from "../../lab/switch/version";
import { errorLines, matchCommand, pattern } from "../../lab/switch/grammar";
import {
  type ConfigBlock,
  ensureBlock,
  parseConfig,
  renderConfig,
  setGlobal,
  setLine,
  undoLine,
} from "../../lab/switch/config";
import { delayMs, displayClock, scheduleAt, uptime } from "../../lab/switch/clock";
import { canonicalInterface } from "../../lab/switch/commands";

describe("version from image name", () => {
  it.each([
    ["s5120ei-cmw520-r2221p25.bin", "Release 2221P25"],
    ["flash:/S5120EI-CMW520-R2208P01.bin", "Release 2208P01"],
    ["a5120ei-cmw520-f2218.bin", "Feature 2218"],
    ["s5120si_e-cmw520-r1513p81.bin", "Release 1513P81"],
  ])("%s -> %s", (name, release) => expect(releaseFromImageName(name)?.release).toBe(release));

  it("rejects names without the rule", () => {
    expect(releaseFromImageName("startup.cfg")).toBeNull();
    expect(releaseFromImageName("firmware.bin")).toBeNull();
  });

  it("brands HPE from release 2220", () => {
    expect(versionHeader(releaseFromImageName("x-cmw520-r2221p25.bin")).platform).toBe(
      "HPE Comware Platform Software",
    );
    expect(versionHeader(releaseFromImageName("x-cmw520-r2208p01.bin")).platform).toBe(
      "HP Comware Platform Software",
    );
  });
});

describe("command matcher", () => {
  const patterns = [
    pattern("dv", "display version"),
    pattern("dc", "display clock"),
    pattern("dir", "dir"),
    pattern("vlan", "vlan <int:1-4094>"),
    pattern("desc", "description <text>"),
    pattern("bl", "boot-loader file <word> slot <int:1-9> {main|backup}"),
    pattern("bla", "boot-loader file <word> slot all {main|backup}"),
  ];

  it("expands unambiguous abbreviations", () => {
    expect(matchCommand("dis ver", patterns)).toMatchObject({
      ok: true,
      id: "dv",
      words: ["display", "version"],
    });
    expect(matchCommand("boot f x.bin s all m", patterns)).toMatchObject({
      ok: true,
      id: "bla",
      words: ["boot-loader", "file", "x.bin", "slot", "all", "main"],
    });
    expect(matchCommand("boot-loader file x.bin slot 2 backup", patterns)).toMatchObject({
      ok: true,
      id: "bl",
    });
  });

  it("keeps the rest of the line for text parameters", () => {
    expect(matchCommand("description  link to  core ", patterns)).toMatchObject({
      ok: true,
      rest: "link to  core",
    });
  });

  it("names the error kind and column", () => {
    expect(matchCommand("d", patterns)).toEqual({ ok: false, kind: "Ambiguous command", column: 0 });
    expect(matchCommand("display foo", patterns)).toEqual({
      ok: false,
      kind: "Unrecognized command",
      column: 8,
    });
    expect(matchCommand("display", patterns)).toEqual({ ok: false, kind: "Incomplete command", column: 0 });
    expect(matchCommand("dir x", patterns)).toEqual({ ok: false, kind: "Too many parameters", column: 4 });
    expect(matchCommand("vlan 9999", patterns)).toEqual({ ok: false, kind: "Wrong parameter", column: 5 });
    expect(errorLines(6, "Wrong parameter", 5)).toEqual([
      " ".repeat(11) + "^",
      " % Wrong parameter found at '^' position.",
    ]);
  });
});

describe("config model", () => {
  it("renders # sections and parses them back", () => {
    const blocks = [
      { head: null, lines: ["sysname a"] },
      { head: "vlan 1", lines: [] },
      { head: "interface GigabitEthernet1/0/1", lines: ["description x"] },
    ];
    const text = renderConfig(blocks, "Release 2221P25");
    expect(text).toEqual([
      "#",
      " version 5.20.99, Release 2221P25",
      "#",
      " sysname a",
      "#",
      "vlan 1",
      "#",
      "interface GigabitEthernet1/0/1",
      " description x",
      "#",
      "return",
    ]);
    expect(parseConfig(text.join("\r\n"))).toEqual(blocks);
  });

  it("replaces single-valued lines, adds others once, undo removes by prefix or words", () => {
    let lines = setLine([], "port access vlan 10");
    lines = setLine(lines, "description a");
    lines = setLine(lines, "description b");
    lines = setLine(lines, "port access vlan 20");
    expect(lines).toEqual(["description b", "port access vlan 20"]);
    expect(undoLine(lines, "port access vlan")).toEqual(["description b"]);
    expect(undoLine(["snmp-agent community read pub"], "snmp-agent community pub")).toEqual([]);
  });

  it("places new blocks in numeric order and globals in their family's section", () => {
    let blocks: ConfigBlock[] = [
      { head: "vlan 1", lines: [] },
      { head: "vlan 30", lines: [] },
      { head: "user-interface vty 0 15", lines: [] },
    ];
    blocks = ensureBlock(blocks, "vlan 20");
    expect(blocks.map((b) => b.head)).toEqual(["vlan 1", "vlan 20", "vlan 30", "user-interface vty 0 15"]);
    blocks = setGlobal(blocks, "ntp-service unicast-server 1.1.1.1");
    blocks = setGlobal(blocks, "ntp-service unicast-server 2.2.2.2");
    expect(blocks[3]).toEqual({
      head: null,
      lines: ["ntp-service unicast-server 1.1.1.1", "ntp-service unicast-server 2.2.2.2"],
    });
  });

  it("normalises interface names", () => {
    expect(canonicalInterface("gi 1/0/3")).toBe("GigabitEthernet1/0/3");
    expect(canonicalInterface("Vlan-interface10")).toBe("Vlan-interface10");
    expect(canonicalInterface("foo1/0/1")).toBeNull();
  });
});

describe("clock formats", () => {
  it("prints display clock and uptime like the samples", () => {
    expect(displayClock(new Date(Date.UTC(2011, 0, 8, 19, 35, 31)))).toBe("19:35:31 UTC Sat 01/08/2011");
    expect(uptime(((37 * 7 + 4) * 1440 + 63) * 60_000)).toBe("37 weeks, 4 days, 1 hour, 3 minutes");
    expect(uptime(20 * 60_000)).toBe("0 week, 0 day, 0 hour, 20 minutes");
  });

  it("computes schedule targets", () => {
    const now = new Date(Date.UTC(2026, 2, 14, 23, 0));
    expect(scheduleAt(now, "02:00")?.toISOString()).toBe("2026-03-15T02:00:00.000Z");
    expect(scheduleAt(now, "02:00", "2026/03/20")?.toISOString()).toBe("2026-03-20T02:00:00.000Z");
    expect(scheduleAt(now, "02:00", "02/30/2026")).toBeNull();
    expect(delayMs("01:30")).toBe(90 * 60_000);
    expect(delayMs("5")).toBe(5 * 60_000);
  });
});
