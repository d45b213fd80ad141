// ChatOps decisions: commands parsed, who may do what, the configuration's
// checks, confirmation codes and the per-stack queue.
import { describe, expect, it } from "vitest";
import { Confirmations } from "../../../ops/chatops/confirmations";
import {
  ChatRole,
  configFailures,
  decide,
  parseCommand,
  type ChatOpsConfig,
} from "../../../ops/chatops/policy";
import { StackQueue } from "../../../ops/chatops/queue";

describe("parseCommand", () => {
  it.each([
    ["", { action: "help" }],
    ["info medicarche", { action: "info", stack: "medicarche" }],
    ["  preview   chu-bubbles ", { action: "preview", stack: "chu-bubbles" }],
    ["up prod", { action: "up", stack: "prod" }],
    ["up prod confirm a1b2c3", { action: "up", stack: "prod", confirmation: "a1b2c3" }],
    ["run restart-nginx app_odoo", { action: "run", playbook: "restart-nginx", group: "app_odoo" }],
    ["info", { error: "`info` takes one stack name: `info <stack>`" }],
    [
      "up a b",
      { error: "`up` takes one stack name: `up <stack>` (production: `up <stack> confirm <code>`)" },
    ],
    ["run ../etc/passwd all", { error: "`run` takes a playbook and a group: `run <playbook> <group>`" }],
    ["destroy x", { error: expect.stringMatching(/^unknown command `destroy`; commands: /) }],
  ])("%j", (text, command) => {
    expect(parseCommand(text)).toEqual(command);
  });
});

const config: ChatOpsConfig = {
  projectDir: "/srv/socle",
  stacks: ["dev", "prod"],
  productionStacks: ["prod"],
  playbookDir: "/srv/playbooks",
  users: {
    "slack:R": { name: "Rita", role: ChatRole.Reader },
    "slack:O": { name: "Omar", role: ChatRole.Operator },
    "mattermost:M": { name: "Maud", role: ChatRole.Operator, stacks: ["dev"] },
  },
};

describe("decide", () => {
  it.each([
    [
      "slack:X",
      "info dev",
      {
        allowed: false,
        reason: "unknown user slack:X: ask an administrator to add you to the ChatOps users",
      },
    ],
    ["slack:R", "info dev", { allowed: true, needsConfirmation: false }],
    ["slack:R", "preview prod", { allowed: true, needsConfirmation: false }],
    ["slack:R", "info nope", { allowed: false, reason: "no stack nope; stacks: dev, prod" }],
    ["slack:R", "up dev", { allowed: false, reason: "Rita is a reader: `up` needs the operator role" }],
    [
      "slack:R",
      "run ping all",
      { allowed: false, reason: "Rita is a reader: `run` needs the operator role" },
    ],
    ["slack:O", "up dev", { allowed: true, needsConfirmation: false }],
    ["slack:O", "up prod", { allowed: true, needsConfirmation: true }],
    ["mattermost:M", "up prod", { allowed: false, reason: "Maud may update dev, not prod" }],
    ["mattermost:M", "run ping all", { allowed: true, needsConfirmation: false }],
  ])("%s asks %j", (user, text, decision) => {
    const command = parseCommand(text);
    if ("error" in command) throw new Error(command.error);
    expect(decide(config, user, command)).toEqual(decision);
  });

  it("refuses run when no playbook folder is configured", () => {
    expect(
      decide({ ...config, playbookDir: undefined }, "slack:O", { action: "run", playbook: "p", group: "g" }),
    ).toEqual({
      allowed: false,
      reason: "this service runs no playbooks (no playbookDir configured)",
    });
  });
});

describe("configFailures", () => {
  it("accepts a valid configuration", () => {
    expect(configFailures(config)).toEqual([]);
  });
  it("names every field and its fix at once", () => {
    expect(
      configFailures({
        stacks: [],
        productionStacks: ["prod"],
        users: { "irc:bob": { name: "", role: "admin" as ChatRole } },
      }),
    ).toEqual([
      "projectDir: give the folder of the Pulumi project holding the stacks",
      "stacks: list the stacks the service answers for",
      "productionStacks: prod is not in stacks",
      'users.irc:bob: keys are "slack:<user id>" or "mattermost:<user id>"',
      'users.irc:bob.role is "admin": use reader or operator',
      "users.irc:bob.name: give the person's name",
    ]);
  });
});

describe("Confirmations", () => {
  it("serves a code once, for its user and stack, for 5 minutes", () => {
    let now = 0;
    const codes = new Confirmations(() => now);
    const code = codes.issue("slack:O", "prod");
    expect(codes.consume("slack:R", "prod", code)).toBe(false);
    expect(codes.consume("slack:O", "dev", code)).toBe(false);
    expect(codes.consume("slack:O", "prod", code)).toBe(true);
    expect(codes.consume("slack:O", "prod", code)).toBe(false);
    const late = codes.issue("slack:O", "prod");
    now = 5 * 60 * 1000 + 1;
    expect(codes.consume("slack:O", "prod", late)).toBe(false);
  });
});

describe("StackQueue", () => {
  it("runs tasks of one stack one after the other, even when one fails, and other stacks at once", async () => {
    const queue = new StackQueue();
    const events: string[] = [];
    const task =
      (name: string, ms: number, fail = false) =>
      async () => {
        events.push(`${name} start`);
        await new Promise((resolve) => setTimeout(resolve, ms));
        events.push(`${name} end`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      queue.run("prod", task("a", 30, true)),
      queue.run("prod", task("b", 10)),
      queue.run("dev", task("c", 5)),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled", "fulfilled"]);
    expect(events).toEqual(["a start", "c start", "c end", "a end", "b start", "b end"]);
  });
});
