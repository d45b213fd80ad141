// Several of the repository's stacks (stacks/index.ts picks each one's program
// by its name) in one workspace with one file backend, so that they read each
// other through StackReference ("organization/socle/<stack>"): the shared
// platform and the per-bubble stacks of stacks/chu-platform.ts and
// stacks/chu-bubble.ts. The repository is never written.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, type ConfigMap, type Stack } from "@pulumi/pulumi/automation";
import { engineEnv, repoRoot, toolchainBinDir } from "../../lab/engine";

/** A workspace of repository stacks sharing one backend. */
export interface RepoStacks {
  /** Creates (or selects) `stackName` with `config`. */
  open(stackName: string, config: ConfigMap): Promise<Stack>;
  /** The file:// backend's directory: every stack's state as stored. */
  backendDir: string;
  /** Removes every opened stack's state and the temporary directories. */
  dispose(): Promise<void>;
}

/** Opens an empty workspace; `extraEnv` is added to the engine's environment (OS_* credentials). */
export async function openRepoStacks(extraEnv: Record<string, string> = {}): Promise<RepoStacks> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-stacks-"));
  const workDir = path.join(scratch, "program");
  const backendDir = path.join(scratch, "state");
  fs.cpSync(path.join(repoRoot, "test", "e2e", "programs", "repo-stack"), workDir, { recursive: true });
  fs.mkdirSync(backendDir);
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(workDir, "node_modules"));
  const envVars = { ...engineEnv(backendDir), ...extraEnv };
  const pulumiCommand = await PulumiCommand.get({ root: path.dirname(toolchainBinDir()) });
  const opened: Stack[] = [];
  return {
    backendDir,
    async open(stackName, config) {
      const stack = await LocalWorkspace.createOrSelectStack(
        { stackName, workDir },
        { envVars, pulumiHome: envVars.PULUMI_HOME, pulumiCommand },
      );
      await stack.setAllConfig({ "e2e:socleRoot": { value: repoRoot }, ...config });
      opened.push(stack);
      return stack;
    },
    async dispose() {
      for (const stack of opened) {
        await stack.workspace.removeStack(stack.name, { force: true }).catch(() => undefined);
      }
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** The lab's connection settings every OpenStack stack config carries (the password comes from OS_PASSWORD). */
export function labProviderConfig(authUrl: string, region: string): ConfigMap {
  return {
    "openstack:authUrl": { value: authUrl },
    "openstack:userName": { value: "admin" },
    "openstack:tenantName": { value: "admin" },
    "openstack:userDomainName": { value: "Default" },
    "openstack:projectDomainName": { value: "Default" },
    "openstack:region": { value: region },
  };
}
