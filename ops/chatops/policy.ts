// ChatOps decisions, as pure functions: what a chat command asks for, and
// whether the person asking may have it. The contract of the service's
// configuration (roles, stacks, production) is written here once.

/** What a role may ask for. */
export enum ChatRole {
  /** info and preview, on every stack. */
  Reader = "reader",
  /** Also up and run, on the stacks listed for the user (every stack when none are listed). */
  Operator = "operator",
}

/** A person the service knows, by platform and user ID ("slack:U024BE7LH", "mattermost:4xp9..."). */
export interface ChatUser {
  /** Name written in the audit log. */
  name: string;
  role: ChatRole;
  /** Stacks an operator may update. @default every stack of the service */
  stacks?: string[];
}

/** The service's configuration file (JSON). Platform secrets come from the environment, never from here. */
export interface ChatOpsConfig {
  /** Folder of the Pulumi project holding the stacks. */
  projectDir: string;
  /** Stacks the service answers for. */
  stacks: string[];
  /** Stacks whose `up` needs a confirmation code. @default none */
  productionStacks?: string[];
  /** Folder of the playbooks `run` may start (`run <name> <group>` runs <folder>/<name>.yml). @default no playbooks */
  playbookDir?: string;
  /** Known users: "<platform>:<user id>" -> user. */
  users: Record<string, ChatUser>;
  /** Audit log, one JSON line per decision. @default .socle/chatops-audit.log */
  auditLog?: string;
}

export type ChatCommand =
  | { action: "help" }
  | { action: "info" | "preview"; stack: string }
  | { action: "up"; stack: string; confirmation?: string }
  | { action: "run"; playbook: string; group: string };

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export const COMMAND_HELP =
  "commands: `info <stack>`, `preview <stack>`, `up <stack>` (production: `up <stack> confirm <code>`), `run <playbook> <group>`";

/** The command a slash command's text asks for, or an error saying what is wrong and what to type. */
export function parseCommand(text: string): ChatCommand | { error: string } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [action, ...args] = words;
  const names = (n: number) => args.length === n && args.every((a) => NAME.test(a));
  switch (action) {
    case undefined:
    case "help":
      return { action: "help" };
    case "info":
    case "preview":
      return names(1)
        ? { action, stack: args[0] }
        : { error: `\`${action}\` takes one stack name: \`${action} <stack>\`` };
    case "up":
      if (names(1)) return { action, stack: args[0] };
      if (args.length === 3 && args[1] === "confirm" && NAME.test(args[0]) && NAME.test(args[2])) {
        return { action, stack: args[0], confirmation: args[2] };
      }
      return { error: "`up` takes one stack name: `up <stack>` (production: `up <stack> confirm <code>`)" };
    case "run":
      return names(2)
        ? { action, playbook: args[0], group: args[1] }
        : { error: "`run` takes a playbook and a group: `run <playbook> <group>`" };
    default:
      return { error: `unknown command \`${action}\`; ${COMMAND_HELP}` };
  }
}

export type Decision = { allowed: true; needsConfirmation: boolean } | { allowed: false; reason: string };

/** Whether `user` (undefined: not in the configuration) may run `command`. */
export function decide(config: ChatOpsConfig, userKey: string, command: ChatCommand): Decision {
  const user = config.users[userKey];
  if (!user)
    return {
      allowed: false,
      reason: `unknown user ${userKey}: ask an administrator to add you to the ChatOps users`,
    };
  if (command.action === "help") return { allowed: true, needsConfirmation: false };
  if (command.action !== "run" && !config.stacks.includes(command.stack)) {
    return { allowed: false, reason: `no stack ${command.stack}; stacks: ${config.stacks.join(", ")}` };
  }
  if (command.action === "info" || command.action === "preview")
    return { allowed: true, needsConfirmation: false };
  if (user.role !== ChatRole.Operator) {
    return {
      allowed: false,
      reason: `${user.name} is a ${user.role}: \`${command.action}\` needs the operator role`,
    };
  }
  if (command.action === "run") {
    if (!config.playbookDir)
      return { allowed: false, reason: "this service runs no playbooks (no playbookDir configured)" };
    return { allowed: true, needsConfirmation: false };
  }
  if (user.stacks && !user.stacks.includes(command.stack)) {
    return {
      allowed: false,
      reason: `${user.name} may update ${user.stacks.join(", ")}, not ${command.stack}`,
    };
  }
  return { allowed: true, needsConfirmation: (config.productionStacks ?? []).includes(command.stack) };
}

/** Every problem with a configuration, each naming the field and the fix. */
export function configFailures(config: Partial<ChatOpsConfig>): string[] {
  const failures: string[] = [];
  if (typeof config.projectDir !== "string" || config.projectDir === "") {
    failures.push("projectDir: give the folder of the Pulumi project holding the stacks");
  }
  if (!Array.isArray(config.stacks) || config.stacks.length === 0) {
    failures.push("stacks: list the stacks the service answers for");
  }
  for (const stack of config.productionStacks ?? []) {
    if (!(config.stacks ?? []).includes(stack)) failures.push(`productionStacks: ${stack} is not in stacks`);
  }
  const roles = Object.values(ChatRole) as string[];
  for (const [key, user] of Object.entries(config.users ?? {})) {
    if (!/^(slack|mattermost):\S+$/.test(key))
      failures.push(`users.${key}: keys are "slack:<user id>" or "mattermost:<user id>"`);
    if (!roles.includes(user?.role))
      failures.push(`users.${key}.role is ${JSON.stringify(user?.role)}: use ${roles.join(" or ")}`);
    if (typeof user?.name !== "string" || user.name === "")
      failures.push(`users.${key}.name: give the person's name`);
  }
  if (Object.keys(config.users ?? {}).length === 0) failures.push("users: add at least one user");
  return failures;
}
