// One Pulumi project, one program per stack: the stack's name picks the
// module, loaded on demand so a stack only pays for the providers it uses.
import * as pulumi from "@pulumi/pulumi";

type StackProgram = () => Record<string, unknown>;

const programs: Record<string, () => StackProgram> = {
  local: () => require("./local").default,
  "psv-network": () => require("./psv-network").default,
  medicarche: () => require("./medicarche").default,
  "chu-bubbles": () => require("./chu-bubbles").default,
};

const stack = pulumi.getStack();
const load = programs[stack];
if (!load) {
  throw new Error(
    `socle has no program for stack '${stack}': choose one of ${Object.keys(programs).join(", ")}`,
  );
}
module.exports = load()();
