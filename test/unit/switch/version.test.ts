import { describe, expect, it } from "vitest";
import { ParseError } from "../../../providers/switch/parsers/common";
import { parseDisplayVersion, type VersionInfo } from "../../../providers/switch/parsers/version";
import { sample, samplesFor } from "./samples";

type Expected = Pick<
  VersionInfo,
  "generation" | "softwareVersion" | "release" | "releaseKind" | "vendor" | "model"
> & {
  uptimeSeconds: number;
  /** "label|release" per board, in order. */
  boards?: string[];
  bootImage?: string | null;
};

const W = 7 * 86400;
const D = 86400;
const H = 3600;
const M = 60;

// Concrete values read from each public sample (every display_version__* file must be listed here).
const EXPECTED: Record<string, Expected> = {
  "display_version__arstercz-blog__cw5_h3c-s5120-52p-si_5.20-r1505p09.txt": {
    generation: "comware5",
    softwareVersion: "5.20",
    release: "1505P09",
    releaseKind: "Release",
    vendor: "H3C",
    model: "S5120-52P-SI",
    uptimeSeconds: 20 * M,
    boards: [],
  },
  "display_version__ntc-templates__cw5_h3c-s5120-48p-ei_5.20-f2218.txt": {
    generation: "comware5",
    softwareVersion: "5.20",
    release: "2218",
    releaseKind: "Feature",
    vendor: "H3C",
    model: "S5120-48P-EI",
    uptimeSeconds: 202 * W + 1 * D + 13 * H + 36 * M,
    boards: [],
  },
  "display_version__ntc-templates__cw5_h3c-s7510e_5.20-f6709l25.txt": {
    generation: "comware5",
    softwareVersion: "5.20",
    release: "6709L25",
    releaseKind: "Feature",
    vendor: "H3C",
    model: "S7510E",
    uptimeSeconds: 309 * W + 1 * D + 16 * H + 15 * M,
  },
  "display_version__ntc-templates__cw5_hp-a3600-24-v2-si_5.20.99-r2109p05.txt": {
    generation: "comware5",
    softwareVersion: "5.20.99",
    release: "2109P05",
    releaseKind: "Release",
    vendor: "HP",
    model: "A3600-24 v2 SI Switch",
    uptimeSeconds: 49 * W + 4 * D + 4 * H + 14 * M,
    boards: [],
  },
  "display_version__ntc-templates__cw5_hp-a5120-24g-poe+ei_5.20.99-r2221p25.txt": {
    generation: "comware5",
    softwareVersion: "5.20.99",
    release: "2221P25",
    releaseKind: "Release",
    vendor: "HP",
    model: "A5120-24G-PoE+ EI Switch with 2 Interface Slots",
    uptimeSeconds: 37 * W + 4 * D + 1 * H + 3 * M,
    boards: [],
    bootImage: null,
  },
  "display_version__ntc-templates__cw5_hp5800-24g-sfp_5.20.105-r1809p03-us.txt": {
    generation: "comware5",
    softwareVersion: "5.20.105",
    release: "1809P03-US",
    releaseKind: "Release",
    vendor: "HP",
    model: "5800-24G-SFP Switch with 1 Interface Slot",
    uptimeSeconds: 513 * W + 5 * D + 15 * H + 35 * M,
    boards: [],
  },
  "display_version__ntc-templates__cw5_hp7506_irf-2chassis_5.20.105-r6708.txt": {
    generation: "comware5",
    softwareVersion: "5.20.105",
    release: "6708-US",
    releaseKind: "Release",
    vendor: "HP",
    model: "7506",
    uptimeSeconds: 593 * W + 5 * D + 21 * H + 24 * M,
  },
  "display_version__ntc-templates__cw7_hp5900af_irf-2slots-patch_7.1.045-r2418p06.txt": {
    generation: "comware7",
    softwareVersion: "7.1.045",
    release: "2418P06",
    releaseKind: "Release",
    vendor: "HP",
    model: "5900AF-48XG-4QSFP+ Switch",
    uptimeSeconds: 43 * W + 6 * D + 3 * H + 1 * M,
    boards: ["Slot 1|2418P06", "Slot 2|2418P06"],
    bootImage: "flash:/5900_5920-cmw710-boot-r2418p06.bin",
  },
  "display_version__ntc-templates__cw7_hp7506_irf-2chassis_7.1.070-r7536p05.txt": {
    generation: "comware7",
    softwareVersion: "7.1.070",
    release: "7536P05",
    releaseKind: "Release",
    vendor: "HP",
    model: "7506",
    uptimeSeconds: 408 * W + 3 * D + 22 * H + 16 * M,
    bootImage: "flash:/7500-CMW710-BOOT-R7536P05.bin",
  },
  "display_version__ntc-templates__cw7_hpe-ff5940_irf-2slots_7.1.070-r2510p01.txt": {
    generation: "comware7",
    softwareVersion: "7.1.070",
    release: "2510P01",
    releaseKind: "Release",
    vendor: "HPE",
    model: "FF 5940 48SFP+ 6QSFP28 Switch",
    uptimeSeconds: 379 * W + 5 * D + 23 * H + 50 * M,
    boards: ["Slot 1|2510P01", "Slot 2|2510P01"],
  },
  "display_version__ntc-templates__cw7_hpe-ff5945-48sfp28_7.1.070-r6710p01.txt": {
    generation: "comware7",
    softwareVersion: "7.1.070",
    release: "6710P01-US",
    releaseKind: "Release",
    vendor: "HPE",
    model: "FF 5945 48SFP28 8QSFP28 Switch",
    uptimeSeconds: 34 * W + 2 * D + 3 * H + 20 * M,
    boards: ["MPU(M) Slot 1|6710P01-US"],
  },
  "display_version__ntc-templates__cw7_hpe-ff5945_irf-2slots_7.1.070-r6555p02.txt": {
    generation: "comware7",
    softwareVersion: "7.1.070",
    release: "6555P02",
    releaseKind: "Release",
    vendor: "HPE",
    model: "FF 5945 32QSFP28 Switch",
    uptimeSeconds: 311 * W + 3 * D + 2 * H + 48 * M,
    boards: ["MPU(M) Slot 1|6555P02", "MPU(S) Slot 2|6555P02"],
  },
  "display_version__ntc-templates__cw7_hpe-ff5945_irf-2slots_7.1.070-r6710p01-a.txt": {
    generation: "comware7",
    softwareVersion: "7.1.070",
    release: "6710P01-US",
    releaseKind: "Release",
    vendor: "HPE",
    model: "FF 5945 32QSFP28 Switch",
    uptimeSeconds: 84 * W + 2 * D + 3 * H + 51 * M,
    boards: ["MPU(S) Slot 1|6710P01-US", "MPU(M) Slot 2|6710P01-US"],
  },
  "display_version__ntc-templates__cw7_hpe5130-48g-hi_7.1.045-r1118p02.txt": {
    generation: "comware7",
    softwareVersion: "7.1.045",
    release: "1118P02",
    releaseKind: "Release",
    vendor: "HPE",
    model: "5130 48G 4SFP+ 1-slot HI Switch JH324A",
    uptimeSeconds: 497 * W + 5 * D + 15 * H + 4 * M,
    boards: ["Slot 1|1118P02"],
  },
  "display_version__ntc-templates__cw7_hpe5130-48g-poe-hi_7.1.070-r3507p18.txt": {
    generation: "comware7",
    softwareVersion: "7.1.070",
    release: "3507P18",
    releaseKind: "Release",
    vendor: "HPE",
    model: "5130 48G PoE+ 4SFP+ 1-slot HI Switch JH326A",
    uptimeSeconds: 35 * W + 3 * D + 5 * H + 55 * M,
    boards: ["Slot 1|3507P18"],
    bootImage: "flash:/5130hi-cmw710-boot-r3507p18.bin",
  },
  "display_version__ntc-templates__cw7early_hp5900af_7.1.045-r2311p02.txt": {
    generation: "comware7",
    softwareVersion: "7.1.045",
    release: "2311P02",
    releaseKind: "Release",
    vendor: "HP",
    model: "5900AF-48G-4XG-2QSFP+ Switch",
    uptimeSeconds: 589 * W + 2 * D + 7 * H + 8 * M,
    // Early CW7 prints a "Slot 1" header (no colon) over a CW5-style block without "Release Version:".
    boards: ["Slot 1|null"],
  },
};

describe("parseDisplayVersion on every public display_version sample", () => {
  const samples = samplesFor("display_version");
  it("has an expectation for every sample file (and the samples are there)", () => {
    expect(samples.length).toBe(16);
    expect(samples.map((s) => s.name).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const { name, text } of samples) {
    it(name, () => {
      const want = EXPECTED[name];
      const got = parseDisplayVersion(text);
      expect(got.generation).toBe(want.generation);
      expect(got.softwareVersion).toBe(want.softwareVersion);
      expect(got.release).toBe(want.release);
      expect(got.releaseKind).toBe(want.releaseKind);
      expect(got.vendor).toBe(want.vendor);
      expect(got.model).toBe(want.model);
      expect(got.uptimeSeconds).toBe(want.uptimeSeconds);
      if (want.boards) expect(got.boards.map((b) => `${b.label}|${b.release}`)).toEqual(want.boards);
      if (want.bootImage !== undefined) expect(got.bootImage).toBe(want.bootImage);
    });
  }

  it("reads chassis IRF boards with chassis, slot and per-board uptime, skipping empty slots", () => {
    const v = parseDisplayVersion(
      sample("display_version__ntc-templates__cw5_hp7506_irf-2chassis_5.20.105-r6708.txt"),
    );
    expect(v.boards).toHaveLength(16);
    expect(v.boards[0]).toMatchObject({ role: "MPU(M)", chassis: 1, slot: 0, release: "6708-US" });
    expect(v.boards.find((b) => b.chassis === 1 && b.slot === 3)).toBeUndefined(); // "Without Board"
    expect(v.boards.filter((b) => b.chassis === 2).map((b) => b.slot)).toEqual([0, 1, 2, 5, 6, 7, 8, 9]);
    const s7510 = parseDisplayVersion(
      sample("display_version__ntc-templates__cw5_h3c-s7510e_5.20-f6709l25.txt"),
    );
    expect(s7510.boards.map((b) => b.label)).toContain("MPU(M) 5");
    expect(s7510.boards.find((b) => b.label === "LPU 0")?.uptimeSeconds).toBe(
      309 * W + 1 * D + 17 * H + 37 * M,
    );
  });

  it("copes with display version inside session transcripts (echo, prompt, CRLF)", () => {
    const msr = parseDisplayVersion(
      sample("screen-length_disable__github-index-68833146762__cw5_hpe-msr931_5.20.106-r2514p14.txt"),
    );
    expect(msr).toMatchObject({
      softwareVersion: "5.20.106",
      release: "2514P14",
      vendor: "HPE",
      model: "MSR931",
    });
    expect(msr.uptimeSeconds).toBe(16 * H);
    // The Oxidized spec stores outputs as indented YAML block scalars with literal "\\r": unwrap them first.
    const yaml = sample("session__oxidized-spec__cw7_hpe5130-ei_7.1.070-r3507p18.yaml");
    const oxidized = parseDisplayVersion(
      yaml
        .split("\n")
        .map((l) => l.replace(/^ {6}/, "").replace(/\\r$/, ""))
        .join("\n"),
    );
    expect(oxidized).toMatchObject({
      generation: "comware7",
      release: "3507P18",
      model: "5130 48G PoE+ 4SFP+ EI Switch",
    });
    const upgrade = parseDisplayVersion(
      sample("upgrade_session__github-index-4716950171__cw7_h3c-s6520-48s-ei_ipe-boot-loader-reboot.txt"),
    );
    expect(upgrade).toMatchObject({
      softwareVersion: "7.1.045",
      release: "2429",
      vendor: "H3C",
      model: "S6520-48S-EI",
    });
    expect(upgrade.uptimeSeconds).toBe(15 * M);
  });

  it("reads a lab-style IRF display version with one Slot block per member", () => {
    const text = [
      "HPE Comware Platform Software",
      "Comware Software, Version 5.20.99, Release 2221P25",
      "Copyright (c) 2010-2016 Hewlett Packard Enterprise Development LP",
      "HP A5120-24G-PoE+ EI Switch with 2 Interface Slots uptime is 0 week, 0 day, 1 hour, 1 minute",
      "",
      " Slot 1:",
      "Uptime is 0 weeks,0 days,1 hours,1 minutes",
      "Release Version:    HP A5120-24G-PoE+ EI-2221P25",
      " Slot 2:",
      "Release Version:    HP A5120-24G-PoE+ EI-2208P01",
    ].join("\r\n");
    const v = parseDisplayVersion(text);
    expect(v.boards.map((b) => [b.slot, b.release])).toEqual([
      [1, "2221P25"],
      [2, "2208P01"],
    ]);
  });

  it("names the command and the missing line when the text is not a display version", () => {
    expect(() => parseDisplayVersion(sample("display_clock__ntc-templates__utc-2011.txt"))).toThrow(
      ParseError,
    );
    expect(() => parseDisplayVersion("% Unrecognized command found at '^' position.")).toThrow(
      /display version.*Comware Software, Version/,
    );
  });
});
