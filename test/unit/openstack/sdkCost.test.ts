// The SDK's promise stack traces are paused while socle's big components
// declare their resources (components/openstack/sdkCost.ts), and the process's
// own limit is always given back, also when a declaration fails inside.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppServer } from "../../../components/openstack";
import { pausePromiseStacks } from "../../../components/openstack/sdkCost";
import { installMocks, runProgram, type Recorder } from "./mocks";

describe("pausePromiseStacks", () => {
  const original = Error.stackTraceLimit;
  let rec: Recorder;
  beforeEach(async () => {
    rec = await installMocks();
    Error.stackTraceLimit = 17;
  });
  afterEach(() => {
    Error.stackTraceLimit = original;
  });

  it("errors made while paused carry no trace; resuming gives the limit back", () => {
    const resume = pausePromiseStacks();
    const paused = new Error("paused").stack ?? "";
    resume();
    expect(paused.split("\n")).toHaveLength(1);
    expect(Error.stackTraceLimit).toBe(17);
    expect((new Error("resumed").stack ?? "").split("\n").length).toBeGreaterThan(1);
  });

  it("an AppServer gives the limit back, also when it refuses its arguments", async () => {
    const args = { flavorName: "f", imageId: "i", networkId: "n", subnetId: "s", dataBearing: false };
    await runProgram(rec, () => new AppServer("ok", { ...args, securityGroupIds: ["sg"] }));
    expect(rec.ofType("openstack:compute/instance:Instance")).toHaveLength(1);
    expect(Error.stackTraceLimit).toBe(17);
    expect(() => new AppServer("bad", { ...args, securityGroupIds: [] })).toThrow(
      /securityGroupIds is empty/,
    );
    expect(Error.stackTraceLimit).toBe(17);
  });
});
