// Pure decisions of the switch resources and the site baseline.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { renderBaseline } from "../../../components/network/baseline";
import { parseDesiredConfig } from "../../../providers/switch/operations/configDiff";
import { comware5 } from "../../../providers/switch/profiles/comware5";
import {
  archiveBackup,
  backupFileName,
  backupNeedsChange,
  configOutputs,
  configurationNeedsChange,
  firmwareNeedsChange,
  firmwareStatus,
  meaningfulHash,
  parallelSessions,
  targetOf,
  type FirmwareProps,
} from "../../../providers/switch/runtime";
import type { FirmwareState } from "../../../providers/switch/operations";

const desired: FirmwareProps = {
  switchName: "r1",
  host: "127.0.0.1",
  port: 22,
  username: "admin",
  hostKeySha256: `SHA256:${"A".repeat(43)}`,
  imagePath: "/images/s5120ei-cmw520-r2221p25.bin",
  release: "2221P25",
  maintenanceWindow: { start: "02:00", end: "04:00" },
};

function state(
  main: string,
  release: string,
  scheduled: string | null,
  rebootNeeded: boolean,
): FirmwareState {
  const member = (n: number) => ({
    member: n,
    role: n === 1 ? "Master" : "Slave",
    isMaster: n === 1,
    runningRelease: release,
    currentImage: "flash:/s5120ei-cmw520-r2208p01.bin",
    mainImage: main,
    backupImage: null,
    freeBytes: 1e6,
    files: [],
  });
  return {
    hostname: "r1",
    vendor: "HP",
    model: "A5120-24G EI",
    softwareVersion: "5.20",
    release,
    members: [member(1), member(2)],
    scheduledReboot: scheduled ? { when: scheduled, inMinutes: null } : null,
    rebootNeeded,
    clock: { hour: 12, minute: 0, second: 0, year: 2026, month: 11, day: 22 } as FirmwareState["clock"],
  };
}

describe("firmwareStatus", () => {
  it("needs an install while a member boots another image", () => {
    expect(firmwareStatus(state("flash:/s5120ei-cmw520-r2208p01.bin", "2208P01", null, false), desired)).toBe(
      "needs-install",
    );
  });
  it("is reboot-scheduled only when the schedule lies inside the window", () => {
    const main = "flash:/s5120ei-cmw520-r2221p25.bin";
    expect(firmwareStatus(state(main, "2208P01", "02:30 11/23/2026", true), desired)).toBe(
      "reboot-scheduled",
    );
    expect(firmwareStatus(state(main, "2208P01", "12:30 11/23/2026", true), desired)).toBe("pending-reboot");
    expect(firmwareStatus(state(main, "2208P01", null, true), desired)).toBe("pending-reboot");
  });
  it("compares image names as Comware does, ignoring case", () => {
    const upper = { ...desired, imagePath: "/images/S5120EI-CMW520-R2221P25.BIN" };
    expect(firmwareStatus(state("flash:/s5120ei-cmw520-r2221p25.bin", "2221P25", null, false), upper)).toBe(
      "up-to-date",
    );
  });
  it("is up to date once the stack runs the release", () => {
    expect(firmwareStatus(state("flash:/s5120ei-cmw520-r2221p25.bin", "2221P25", null, false), desired)).toBe(
      "up-to-date",
    );
  });
});

describe("firmwareNeedsChange", () => {
  it("has nothing to do when converged", () => {
    expect(firmwareNeedsChange({ ...desired, status: "reboot-scheduled" }, desired)).toEqual([]);
  });
  it("names what moved", () => {
    expect(
      firmwareNeedsChange(
        { ...desired, status: "up-to-date" },
        { ...desired, release: "2222P01", imagePath: "/i/s5120ei-cmw520-r2222p01.bin" },
      ),
    ).toEqual(["imagePath", "release"]);
    expect(firmwareNeedsChange({ ...desired, status: "needs-install" }, desired)).toEqual(["members"]);
    // A window given but the reboot left pending (e.g. someone cancelled it by hand).
    expect(firmwareNeedsChange({ ...desired, status: "pending-reboot" }, desired)).toEqual([
      "scheduledReboot",
    ]);
    expect(
      firmwareNeedsChange(
        { ...desired, status: "pending-reboot" },
        { ...desired, maintenanceWindow: undefined },
      ),
    ).toEqual(["maintenanceWindow"]);
  });
});

describe("configuration backup archive", () => {
  const config = (vlanName: string) => `#\n sysname r1\n#\nvlan 10\n name ${vlanName}\n#\nreturn\n`;

  it("ignores volatile lines in the hash", () => {
    expect(meaningfulHash(config("a"), comware5)).toBe(meaningfulHash(config("a"), comware5));
    expect(meaningfulHash(config("a"), comware5)).not.toBe(meaningfulHash(config("b"), comware5));
  });

  it("writes dated files and the diff against the previous backup", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "socle-backup-"));
    const first = archiveBackup(
      dir,
      "r1",
      config("urgences"),
      new Date("2026-11-21T02:00:00Z"),
      false,
      comware5,
    );
    expect(first.changes).toBe("");
    expect(first.latestFile).toBe(path.join("r1", "2026-11-21T02-00-00Z.cfg"));
    const second = archiveBackup(
      dir,
      "r1",
      config("imagerie"),
      new Date("2026-11-22T02:00:00Z"),
      true,
      comware5,
    );
    expect(second.changes).toMatch(/^-\s+name urgences$/m);
    expect(second.changes).toMatch(/^\+\s+name imagerie$/m);
    expect(fs.readFileSync(path.join(dir, "r1", "2026-11-22T02-00-00Z.diff"), "utf8")).toContain("imagerie");
    expect(fs.existsSync(path.join(dir, ".git"))).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("names files so they sort by date", () => {
    expect(backupFileName(new Date("2026-01-02T03:04:05.678Z"))).toBe("2026-01-02T03-04-05Z.cfg");
  });
});

describe("renderBaseline", () => {
  it("renders sections in VLAN order", () => {
    const text = renderBaseline({
      sysname: "r1",
      vlans: [
        { id: 20, name: "imagerie" },
        { id: 10, name: "urgences" },
      ],
      ntpServer: "127.0.0.1",
    });
    expect(text).toBe(
      "#\n sysname r1\n ntp-service unicast-server 127.0.0.1\n#\nvlan 10\n name urgences\n#\nvlan 20\n name imagerie\n#\nreturn\n",
    );
  });
  it("places a stack's extra configuration before the closing return, where the parser reads it", () => {
    const text = renderBaseline({
      sysname: "r1",
      vlans: [{ id: 10, name: "urgences" }],
      extraConfig: "#\ninterface GigabitEthernet1/0/1\n port access vlan 10\n#\nreturn\n",
    });
    expect(text).toBe(
      "#\n sysname r1\n#\nvlan 10\n name urgences\n#\ninterface GigabitEthernet1/0/1\n port access vlan 10\n#\nreturn\n",
    );
    const sections = parseDesiredConfig(text, comware5).sections.map((s) => s.header);
    expect(sections).toContain("interface GigabitEthernet1/0/1");
  });
  it("refuses bad VLANs naming the field and the fix", () => {
    expect(() => renderBaseline({ sysname: "r1", vlans: [{ id: 1, name: "x" }] })).toThrow(
      /vlans: id 1 .* from 2 to 4094/,
    );
    expect(() =>
      renderBaseline({
        sysname: "r1",
        vlans: [
          { id: 5, name: "a" },
          { id: 5, name: "b" },
        ],
      }),
    ).toThrow(/declared twice/);
    expect(() => renderBaseline({ sysname: "r1", vlans: [{ id: 5, name: "bad name" }] })).toThrow(
      /letters, digits/,
    );
  });
});

/** How the provider reaches a switch, for the checks below. */
const connection = {
  switchName: "r1",
  host: "h",
  port: 22,
  username: "u",
  password: "p",
  hostKeySha256: `SHA256:${"A".repeat(43)}`,
};

describe("configuration outputs", () => {
  it("record what the switch holds with secrets masked, so state never carries them", () => {
    const props = {
      ...connection,
      config: "#\n snmp-agent community read cipher $c$3$wanted\n#\nreturn\n",
      scope: "sections" as const,
    };
    const running = "#\n sysname r1\n snmp-agent community read cipher $c$3$onswitch\n#\nreturn\n";
    const outputs = configOutputs(running, props, comware5);
    expect(outputs.observed).toEqual([]);
    expect(JSON.stringify(outputs)).not.toContain("onswitch");
    expect(outputs.drift).toContain("<secret>");
    const same = configOutputs(props.config, props, comware5);
    expect(same.observed).toEqual(["(global) | snmp-agent community read cipher <secret>"]);
    expect(same.drift).toBe("");
  });
});

describe("connection checks", () => {
  const conn = connection;
  it("takes retryAttempts as given, 1 meaning no retry, and refuses 0 naming the field", () => {
    expect(targetOf({ ...conn, retryAttempts: 1 }).retry).toEqual({ attempts: 1 });
    expect(targetOf(conn).retry).toBeUndefined();
    expect(() => targetOf({ ...conn, retryAttempts: 0 })).toThrow(
      /switch r1: retryAttempts 0 is not allowed: give a whole number from 1/,
    );
  });
});

describe("SOCLE_SWITCH_PARALLEL", () => {
  it("is a whole number of sessions from 1, 16 when unset", () => {
    expect(parallelSessions(undefined)).toBe(16);
    expect(parallelSessions("4")).toBe(4);
    expect(() => parallelSessions("0")).toThrow(/SOCLE_SWITCH_PARALLEL="0" is not a session count/);
    expect(() => parallelSessions("many")).toThrow(/give a whole number from 1/);
  });
});

describe("configuration and backup change detection", () => {
  const conn = { switchName: "r1", host: "h", port: 22, username: "u", hostKeySha256: "SHA256:x" };
  it("updates a configuration on drift or a new desired text only", () => {
    const props = { ...conn, config: "#\nvlan 10\n#\n", scope: "sections" as const };
    expect(configurationNeedsChange({ ...props, drift: "" }, props)).toEqual([]);
    expect(configurationNeedsChange({ ...props, drift: "~ vlan 10" }, props)).toEqual(["drift"]);
    expect(
      configurationNeedsChange({ ...props, drift: "" }, { ...props, config: "#\nvlan 20\n#\n" }),
    ).toEqual(["config"]);
  });
  it("takes a new backup only when the running configuration moved", () => {
    const props = { ...conn, directory: "/b", git: false };
    const outs = { archivedHash: "a", latestFile: "f", changes: "" };
    expect(backupNeedsChange({ ...props, ...outs, currentHash: "a" }, props)).toEqual([]);
    expect(backupNeedsChange({ ...props, ...outs, currentHash: "b" }, props)).toEqual(["currentHash"]);
  });
});
