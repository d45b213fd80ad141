// Reads stack outputs with the real `pulumi` CLI from the state the
// environment points at (PULUMI_BACKEND_URL: the clone's file backend or the
// team's PostgreSQL). Never asks for --show-secrets: secret outputs arrive as
// "[secret]".
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { StackOutputs } from "./plan";

const run = promisify(execFile);

/** Outputs of `stack`, run from `projectDir` (the folder with Pulumi.yaml). */
export async function readStackOutputs(stack: string, projectDir: string): Promise<StackOutputs> {
  try {
    const { stdout } = await run(
      "pulumi",
      ["stack", "output", "--json", "--non-interactive", "--stack", stack],
      {
        cwd: projectDir,
        maxBuffer: 256 * 1024 * 1024,
      },
    );
    return { stack, outputs: JSON.parse(stdout) as Record<string, unknown> };
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(
      `cannot read the outputs of stack ${stack} (from ${projectDir}): ${e.stderr?.trim() || e.message}`,
    );
  }
}
