// The playbook resource's decisions: drift from a check-mode report, the
// failure message naming hosts and tasks, the inputs' checks.
import { describe, expect, it } from "vitest";
import { UNKNOWN_SENTINEL } from "../../../delivery/redact";
import { checkInputs, diff } from "../../../providers/ansible/operations";
import {
  driftSummary,
  failureMessage,
  playbookFailures,
  type TaskResult,
} from "../../../providers/ansible/report";

const r = (host: string, task: string, status: TaskResult["status"], message?: string): TaskResult => ({
  host,
  task,
  status,
  message,
});

describe("driftSummary", () => {
  it.each<[TaskResult[], string]>([
    [[], ""],
    [[r("a", "motd", "ok"), r("b", "motd", "ok")], ""],
    [[r("b", "motd", "changed"), r("a", "motd", "changed"), r("a", "etc", "ok")], "a: motd\nb: motd"],
    [[r("a", "loop", "changed"), r("a", "loop", "changed")], "a: loop"],
  ])("%j -> %j", (results, drift) => {
    expect(driftSummary(results)).toBe(drift);
  });
});

describe("failureMessage", () => {
  it("is undefined when nothing failed (ignored failures included)", () => {
    expect(failureMessage("site.yml", [r("a", "t", "ok"), r("a", "u", "ignored", "x")])).toBeUndefined();
  });
  it("names each failed and unreachable host with its task", () => {
    expect(
      failureMessage("site.yml", [
        r("a", "install", "failed", "no package nginx"),
        r("b", "Gathering Facts", "unreachable", "Connection refused"),
        r("c", "install", "changed"),
      ]),
    ).toBe(
      [
        "playbook site.yml:",
        '  - host a, task "install" failed: no package nginx',
        '  - host b unreachable at task "Gathering Facts": Connection refused',
      ].join("\n"),
    );
  });
});

describe("playbookFailures", () => {
  it("accepts a valid resource", () => {
    expect(
      playbookFailures({
        playbookPath: "/p/site.yml",
        hosts: { web: { ansible_host: "10.0.0.1" } },
        vars: { motd: "x" },
      }),
    ).toEqual([]);
  });
  it("names every field and its fix at once", () => {
    expect(
      playbookFailures({
        playbookPath: "site.yml",
        hosts: { "bad host": { ansible_port: 22 } },
        vars: { "1x": "y" },
      }),
    ).toEqual([
      { property: "playbookPath", reason: "give the playbook file's path (resolved to an absolute path)" },
      { property: "hosts.bad host", reason: "host names are letters, digits, '.', '_' and '-'" },
      { property: "hosts.bad host.ansible_host", reason: "give the address Ansible connects to" },
      {
        property: "vars.1x",
        reason: "variable names are letters, digits and '_', not starting with a digit",
      },
    ]);
    expect(playbookFailures({ playbookPath: "/p/site.yml", hosts: {} })).toEqual([
      { property: "hosts", reason: "give at least one host: { name: { ansible_host, ... } }" },
    ]);
  });
});

describe("Playbook diff without running Ansible", () => {
  const base = {
    playbookPath: "/p/site.yml",
    playbookSha256: "a".repeat(64),
    hosts: { web: { ansible_host: "10.0.0.1" } },
    vars: { motd: "x" },
    checkOnPreview: true,
  };
  it.each([
    ["the playbook's content", { playbookSha256: "b".repeat(64) }, ["playbookSha256"]],
    ["a host", { hosts: { web: { ansible_host: "10.0.0.2" } } }, ["hosts"]],
    ["a variable", { vars: { motd: "y" } }, ["vars"]],
  ])("runs again when %s changes", async (_what, change, diffs) => {
    expect(await diff({ ...base, drift: "" }, { ...base, ...change })).toEqual({ changes: true, diffs });
  });
  it("runs again when refresh found drift, and not at all when check mode is off and nothing changed", async () => {
    expect(await diff({ ...base, drift: "web: motd" }, base)).toEqual({ changes: true, diffs: ["drift"] });
    const off = { ...base, checkOnPreview: false };
    expect(await diff({ ...off, drift: "" }, off)).toEqual({ changes: false });
  });
  it("counts values not known yet as a change, and checks them later", async () => {
    const pending = { ...base, hosts: UNKNOWN_SENTINEL as unknown as typeof base.hosts };
    expect(
      await diff({ ...base, drift: "" }, { ...pending, hosts: base.hosts, vars: { motd: UNKNOWN_SENTINEL } }),
    ).toEqual({
      changes: true,
      diffs: ["vars"],
    });
    expect(checkInputs(pending)).toEqual([]);
  });
});
