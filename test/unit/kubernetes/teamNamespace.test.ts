// What a team namespace holds, decided before any resource exists.
import { describe, expect, it } from "vitest";
import { planTeamNamespace } from "../../../components/kubernetes/teamNamespace";

describe("planTeamNamespace", () => {
  it("enforces restricted by default, labels owner and bubble, and sets the default quota", () => {
    const plan = planTeamNamespace({ name: "radiologie", owner: "dsi-imagerie" });
    expect(plan.labels).toEqual({
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/audit": "restricted",
      "pod-security.kubernetes.io/warn": "restricted",
      "socle-owner": "dsi-imagerie",
      "socle-bubble": "radiologie",
    });
    expect(plan.quota).toEqual({ "requests.cpu": "4", "requests.memory": "8Gi", pods: "50" });
    expect(plan.editorGroup).toBeNull();
  });

  it("takes baseline, a bubble, a group and a quota when given", () => {
    const plan = planTeamNamespace({
      name: "labo",
      owner: "biologie",
      bubble: "chu-nord",
      podSecurity: "baseline",
      editorGroup: "g-labo-devs",
      cpuCores: 0.5,
      memoryGiB: 2,
      maxPods: 10,
    });
    expect(plan.labels["pod-security.kubernetes.io/enforce"]).toBe("baseline");
    expect(plan.labels["socle-bubble"]).toBe("chu-nord");
    expect(plan.quota).toEqual({ "requests.cpu": "0.5", "requests.memory": "2Gi", pods: "10" });
    expect(plan.editorGroup).toBe("g-labo-devs");
  });

  it("refuses bad input naming the field and the fix", () => {
    const base = { name: "labo", owner: "biologie" };
    expect(() => planTeamNamespace({ ...base, name: "Labo_1" })).toThrow(
      /name: "Labo_1" must be a DNS label/,
    );
    expect(() => planTeamNamespace({ ...base, owner: "" })).toThrow(
      /owner: say which team owns namespace "labo"/,
    );
    expect(() => planTeamNamespace({ ...base, podSecurity: "privileged" })).toThrow(
      /podSecurity: "privileged" is not allowed; use restricted or baseline/,
    );
    expect(() => planTeamNamespace({ ...base, cpuCores: 0 })).toThrow(
      /cpuCores: 0 must be a positive number/,
    );
    expect(() => planTeamNamespace({ ...base, maxPods: 2.5 })).toThrow(/maxPods: 2.5 must be a whole number/);
  });
});
