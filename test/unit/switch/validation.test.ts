// switch validation: one module, every failure at once, each naming the field and the fix.
import { describe, expect, it } from "vitest";
import { fleetFailures } from "../../../components/network/fleet";
import { profileNamed } from "../../../providers/switch/profiles";
import { SwitchSession } from "../../../providers/switch/session";
import { targetOf } from "../../../providers/switch/runtime";
import {
  connectionFailures,
  firmwareFailures,
  irfMemberFailures,
  SwitchValidationError,
  UNKNOWN_DURING_PREVIEW,
  windowFailures,
} from "../../../providers/switch/validation";

const PIN = `SHA256:${"Ab3+".repeat(10)}xyz`;
const good = { host: "10.0.0.2", port: 22, username: "admin", password: "pw", hostKeySha256: PIN };
const props = (failures: { property: string }[]) => failures.map((f) => f.property);

describe("connectionFailures", () => {
  it("passes a complete connection, a key instead of a password, and values unknown in preview", () => {
    expect(connectionFailures(good)).toEqual([]);
    expect(connectionFailures({ ...good, password: undefined, privateKey: "-----BEGIN" })).toEqual([]);
    expect(connectionFailures({ ...good, hostKeySha256: UNKNOWN_DURING_PREVIEW })).toEqual([]);
    expect(connectionFailures({ ...good, hostKeySha256: undefined, allowUnknownHostKey: true })).toEqual([]);
  });

  it.each([
    [{ host: "" }, "host", /is required: give the switch's management address/],
    [{ username: undefined }, "username", /is required: give the SSH login name/],
    [{ password: undefined }, "password", /give a password or a privateKey/],
    [{ hostKeySha256: undefined }, "hostKeySha256", /is required: give the pinned host key/],
    [{ hostKeySha256: "SHA256:short" }, "hostKeySha256", /"SHA256:short" is not a SHA256 fingerprint/],
    [{ port: 70000 }, "port", /70000 is not allowed: give a TCP port from 1 to 65535/],
    [{ retryAttempts: 0 }, "retryAttempts", /0 is not allowed: give a whole number from 1/],
    [{ connectTimeoutMs: 1.5 }, "connectTimeoutMs", /1\.5 is not allowed: give milliseconds/],
    [{ commandTimeoutMs: -1 }, "commandTimeoutMs", /-1 is not allowed/],
  ])("names the field and the fix: %j", (change, property, reason) => {
    const failures = connectionFailures({ ...good, ...change });
    expect(props(failures)).toEqual([property]);
    expect(failures[0].reason).toMatch(reason);
  });

  it("collects every failure at once", () => {
    const failures = connectionFailures({ port: 0, retryAttempts: 0 }, "stacks[1].");
    expect(props(failures)).toEqual([
      "stacks[1].host",
      "stacks[1].hostKeySha256",
      "stacks[1].port",
      "stacks[1].username",
      "stacks[1].password",
      "stacks[1].retryAttempts",
    ]);
  });
});

describe("windowFailures and firmwareFailures", () => {
  it("checks each end of the window and its length", () => {
    expect(windowFailures({ start: "02:00", end: "04:00" })).toEqual([]);
    expect(windowFailures({ start: "23:00", end: "01:30" })).toEqual([]);
    expect(props(windowFailures({ start: "24:00", end: "4" }))).toEqual([
      "maintenanceWindow.start",
      "maintenanceWindow.end",
    ]);
    expect(windowFailures({ start: "03:00", end: "03:00" })[0].reason).toMatch(/at least 1 minute/);
    expect(props(windowFailures("02:00-04:00"))).toEqual(["maintenanceWindow"]);
  });

  it("asks for the image and the release, and judges the window only when given", () => {
    expect(props(firmwareFailures({ maintenanceWindow: { start: "x", end: "04:00" } }))).toEqual([
      "imagePath",
      "release",
      "maintenanceWindow.start",
    ]);
    expect(firmwareFailures({ imagePath: "/i.bin", release: "2221P25" })).toEqual([]);
  });
});

describe("the switch OS", () => {
  it("names a profile; an OS socle has no profile for is refused by name, listing the ones it has", () => {
    expect(profileNamed(undefined)).toBeUndefined(); // no os: detected from display version
    expect(profileNamed("comware5").id).toBe("comware5");
    expect(() => profileNamed("ios-xe", "switch r9")).toThrow(
      'switch r9: os "ios-xe" is not a switch OS socle supports: give one of "comware5"',
    );
    expect(props(connectionFailures({ ...good, os: "junos" }))).toEqual(["os"]);
  });
});

describe("every layer uses the same checks", () => {
  it("the session refuses bad options before connecting, listing every failure", async () => {
    const error = await SwitchSession.connect({ host: "127.0.0.1", username: "" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SwitchValidationError);
    expect((error as SwitchValidationError).message).toBe(
      'switch 127.0.0.1: hostKeySha256 is required: give the pinned host key "SHA256:..." (ssh-keygen -lf, or the lab manifest); ' +
        "username is required: give the SSH login name on the switch; password give a password or a privateKey (as a Pulumi secret)",
    );
  });

  it("the provider runtime names the switch", () => {
    expect(() => targetOf({ switchName: "psv-r1", ...good, port: 22, retryAttempts: 0 })).toThrow(
      "switch psv-r1: retryAttempts 0 is not allowed",
    );
  });

  it("the fleet collects the failures of every stack and of its shared settings", () => {
    const failures = fleetFailures({
      stacks: [
        { name: "r1", host: "10.0.0.1", hostKeySha256: PIN },
        { name: "r1", host: "", hostKeySha256: "bad", os: "comware9" },
      ],
      username: "admin",
      vlans: [],
      retryAttempts: 0,
      maintenanceWindow: { start: "02:00", end: "02:00" },
    });
    expect(props(failures)).toEqual([
      "stacks[1].name",
      "stacks[1].os",
      "stacks[1].host",
      "stacks[1].hostKeySha256",
      "password",
      "retryAttempts",
      "maintenanceWindow.end",
    ]);
    expect(props(fleetFailures({ stacks: [], username: "a", password: "p", vlans: [] }))).toEqual(["stacks"]);
  });
});

describe("IRF member IDs", () => {
  it.each([[[1]], [[1, 2, 3]], [[2, 4]], [[1, UNKNOWN_DURING_PREVIEW]]])("%j is a list of members", (ids) => {
    expect(irfMemberFailures(ids)).toEqual([]);
  });
  it.each([[[]], [[0]], [[1, 1]], [[1.5]], [["1"]], ["1,2"]])(
    "%j is refused, naming the field and the fix",
    (ids) => {
      expect(irfMemberFailures(ids, "stacks[0].irfMembers")).toEqual([
        {
          property: "stacks[0].irfMembers",
          reason: `${JSON.stringify(ids)} is not a list of IRF member IDs: give each member's ID once, e.g. [1, 2, 3] as display irf lists them`,
        },
      ]);
    },
  );
  it("the firmware check and the fleet report them", () => {
    expect(firmwareFailures({ imagePath: "/i.bin", release: "2221P25", irfMembers: [0] })).toHaveLength(1);
    const fleet = fleetFailures({
      stacks: [
        { name: "r1", host: "10.0.0.1", hostKeySha256: `SHA256:${"A".repeat(43)}`, irfMembers: [2, 2] },
      ],
      username: "admin",
      password: "x",
      vlans: [],
    });
    expect(fleet.map((f) => f.property)).toEqual(["stacks[0].irfMembers"]);
  });
});
