// Runs a real Pulumi program (a directory with Pulumi.yaml) under the real
// engine through the Automation API, with its own file:// backend in a
// temporary directory so tests never share or leak state.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, type ConfigMap, type Stack } from "@pulumi/pulumi/automation";
import { engineEnv, repoRoot, toolchainBinDir } from "../../lab/engine";

export interface ProgramStack {
  stack: Stack;
  /** The temporary copy of the program the engine runs. */
  workDir: string;
  /** Removes the stack's state and the temporary directories. */
  dispose(): Promise<void>;
}

/**
 * Copies `programDir` to a temporary directory (so stack files never land in
 * the repository), links the repository's node_modules beside it, and creates
 * a stack with the given configuration.
 */
export async function openProgramStack(programDir: string, config: ConfigMap = {}, stackName = "e2e"): Promise<ProgramStack> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-e2e-"));
  const workDir = path.join(scratch, "program");
  const backendDir = path.join(scratch, "state");
  fs.cpSync(programDir, workDir, { recursive: true });
  fs.mkdirSync(backendDir);
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(workDir, "node_modules"));

  const envVars = engineEnv(backendDir);
  const pulumiCommand = await PulumiCommand.get({ root: path.dirname(toolchainBinDir()) });
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName, workDir },
    { envVars, pulumiHome: envVars.PULUMI_HOME, pulumiCommand },
  );
  await stack.setAllConfig(config);
  return {
    stack,
    workDir,
    async dispose() {
      await stack.workspace.removeStack(stackName, { force: true }).catch(() => undefined);
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** Count of resources the stack's state holds, the stack resource itself excluded. */
export async function resourceCount(stack: Stack): Promise<number> {
  const deployment = await stack.exportStack();
  const resources = (deployment.deployment as { resources?: { type: string }[] }).resources ?? [];
  return resources.filter((r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:")).length;
}

/** Operations other than "same" in a preview's change summary. */
export function changesIn(summary: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(summary).filter(([op, n]) => op !== "same" && n > 0));
}
