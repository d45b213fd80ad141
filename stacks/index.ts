// One Pulumi project, one program per stack: the stack's name picks the
// module, loaded on demand so a stack only pays for the providers it uses.
import * as pulumi from "@pulumi/pulumi";

type StackProgram = () => Record<string, unknown> | Promise<Record<string, unknown>>;

const programs: Record<string, () => StackProgram> = {
  local: () => require("./local").default,
  "psv-network": () => require("./psv-network").default,
  medicarche: () => require("./medicarche").default,
  "chu-bubbles": () => require("./chu-bubbles").default,
  "cd49-platform": () => require("./cd49-platform").default,
  "chu-platform": () => require("./chu-platform").default,
};

// One stack per client bubble: every stack named chu-bubble-<client> runs stacks/chu-bubble.ts.
function programOf(stack: string): (() => StackProgram) | undefined {
  return stack.startsWith("chu-bubble-") ? () => require("./chu-bubble").default : programs[stack];
}

const stack = pulumi.getStack();
const load = programOf(stack);
if (!load) {
  throw new Error(
    `socle has no program for stack '${stack}': choose one of ${Object.keys(programs).join(", ")} or chu-bubble-<client>`,
  );
}
module.exports = load()();
