// Runs a real Pulumi program (a directory with Pulumi.yaml) under the real
// engine through the Automation API, with its own file:// backend in a
// temporary directory so tests never share or leak state.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { LocalWorkspace, PulumiCommand, type ConfigMap, type Stack } from "@pulumi/pulumi/automation";
import { engineEnv, repoRoot, toolchainBinDir } from "../../lab/engine";

export interface ProgramStack {
  stack: Stack;
  /** The temporary copy of the program the engine runs. */
  workDir: string;
  /** The file:// backend's directory: the state exactly as stored on disk. */
  backendDir: string;
  /** Removes the stack's state and the temporary directories. */
  dispose(): Promise<void>;
}

/**
 * Copies `programDir` to a temporary directory (so stack files never land in
 * the repository), links the repository's node_modules beside it, and creates
 * a stack with the given configuration.
 */
export async function openProgramStack(
  programDir: string,
  config: ConfigMap = {},
  stackName = "e2e",
  extraEnv: Record<string, string> = {},
): Promise<ProgramStack> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-e2e-"));
  const workDir = path.join(scratch, "program");
  const backendDir = path.join(scratch, "state");
  fs.cpSync(programDir, workDir, { recursive: true });
  fs.mkdirSync(backendDir);
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(workDir, "node_modules"));

  const envVars = { ...engineEnv(backendDir), ...extraEnv };
  const pulumiCommand = await PulumiCommand.get({ root: path.dirname(toolchainBinDir()) });
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName, workDir },
    { envVars, pulumiHome: envVars.PULUMI_HOME, pulumiCommand },
  );
  await stack.setAllConfig(config);
  return {
    stack,
    workDir,
    backendDir,
    async dispose() {
      await stack.workspace.removeStack(stackName, { force: true }).catch(() => undefined);
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/**
 * Tears down a stack whose data-bearing resources are protected, whatever a
 * failed test left behind: sets `config` (protection off, and anything the
 * last good run had), runs up so protection is lifted in the state, destroys,
 * then removes the stack and its temporary directories. Never throws.
 */
export async function destroyProtected(program: ProgramStack | undefined, config: ConfigMap): Promise<void> {
  if (program === undefined) return;
  await program.stack.setAllConfig(config).catch(() => undefined);
  await program.stack.up().catch(() => undefined);
  await program.stack.destroy().catch(() => undefined);
  await program.dispose();
}

/** Count of resources the stack's state holds, the stack resource itself excluded. */
export async function resourceCount(stack: Stack): Promise<number> {
  const deployment = await stack.exportStack();
  const resources = (deployment.deployment as { resources?: { type: string }[] }).resources ?? [];
  return resources.filter((r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:"))
    .length;
}

/** The outputs of one resource (by name) in the stack's state. */
export async function resourceOutputs(stack: Stack, name: string): Promise<Record<string, unknown>> {
  const deployment = await stack.exportStack();
  const resources =
    (deployment.deployment as { resources?: { urn: string; outputs?: Record<string, unknown> }[] })
      .resources ?? [];
  const found = resources.find((r) => r.urn.endsWith(`::${name}`));
  if (!found) throw new Error(`no resource named ${name} in the stack's state`);
  return found.outputs ?? {};
}

/** Every file of the backend's state, concatenated: what an attacker reading the disk would see. */
export function storedStateText(backendDir: string): string {
  const texts: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else texts.push(fs.readFileSync(full, "utf8"));
    }
  };
  walk(backendDir);
  return texts.join("\n");
}

/** Operations other than "same" in a preview's change summary. */
export function changesIn(summary: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(summary).filter(([op, n]) => op !== "same" && n > 0));
}

/**
 * One of the repository's own stacks (stacks/<name>.ts with stacks/Pulumi.<name>.yaml)
 * under the engine, with its own temporary backend: the stack's configuration
 * file is read, `overrides` replace or add keys, and the repository is never written.
 */
export async function openRepoStack(
  stackName: string,
  overrides: ConfigMap = {},
  extraEnv: Record<string, string> = {},
): Promise<ProgramStack> {
  const file = path.join(repoRoot, "stacks", `Pulumi.${stackName}.yaml`);
  const parsed = parseYaml(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> };
  const config: ConfigMap = { "e2e:socleRoot": { value: repoRoot } };
  for (const [key, value] of Object.entries(parsed.config ?? {})) {
    config[key] = { value: typeof value === "string" ? value : JSON.stringify(value) };
  }
  return openProgramStack(
    path.join(repoRoot, "test", "e2e", "programs", "repo-stack"),
    { ...config, ...overrides },
    stackName,
    extraEnv,
  );
}

/** Where a YAML example's Pulumi.yaml finds socle's plugin once the team ran `npm install socle`. */
const EXAMPLE_PLUGIN_PATH = "path: ./node_modules/socle/bin";

/**
 * Copies `examples/<name>` into `scratch` as a team has it, its plugin path
 * pointed at this checkout's bin/, and opens its stack (named after it).
 */
export async function openRepoExample(
  name: string,
  scratch: string,
  config: ConfigMap,
): Promise<ProgramStack> {
  const dir = path.join(scratch, name);
  fs.cpSync(path.join(repoRoot, "examples", name), dir, { recursive: true });
  const project = path.join(dir, "Pulumi.yaml");
  const text = fs.readFileSync(project, "utf8");
  if (!text.includes(EXAMPLE_PLUGIN_PATH)) {
    throw new Error(`examples/${name}/Pulumi.yaml no longer says "${EXAMPLE_PLUGIN_PATH}"`);
  }
  fs.writeFileSync(project, text.replace(EXAMPLE_PLUGIN_PATH, `path: ${path.join(repoRoot, "bin")}`));
  return openProgramStack(dir, config, name);
}
