// The playbook resource's operations, loaded in the provider process: run for
// real on create and update, in check mode with diff on preview (diff) and
// refresh (read), so a change made by hand on a host shows as drift.
import { UNKNOWN_SENTINEL } from "../../delivery/redact";
import { driftSummary, failureMessage, playbookFailures, type PlaybookInputs } from "./report";
import { runPlaybook } from "./run";

/** What the state keeps: the inputs, and the drift check mode found ("" when in step). */
export type PlaybookState = PlaybookInputs & { drift: string };

// How the engine marks a value not known yet during a preview.
const UNKNOWN = UNKNOWN_SENTINEL;

/** The playbook's own inputs changed (not the drift): it must run again. */
function inputsChanged(olds: PlaybookInputs, news: PlaybookInputs): string[] {
  const fields = ["playbookPath", "playbookSha256", "hosts", "vars", "checkOnPreview"] as const;
  return fields.filter((f) => JSON.stringify(olds[f]) !== JSON.stringify(news[f]));
}

async function apply(inputs: PlaybookInputs): Promise<PlaybookState> {
  const run = await runPlaybook(inputs, false);
  const failed = failureMessage(inputs.playbookPath, run.results);
  if (failed) throw new Error(failed);
  if (run.exitCode !== 0) {
    throw new Error(
      `playbook ${inputs.playbookPath}: ansible-playbook exited ${run.exitCode}:\n${run.outputTail}`,
    );
  }
  return { ...inputs, drift: "" };
}

/** The drift check mode finds, failing with the hosts and tasks when check mode itself fails. */
async function checkDrift(inputs: PlaybookInputs): Promise<string> {
  const run = await runPlaybook(inputs, true);
  const failed = failureMessage(`${inputs.playbookPath} (check mode)`, run.results);
  if (failed) throw new Error(failed);
  if (run.exitCode !== 0) {
    throw new Error(
      `playbook ${inputs.playbookPath} (check mode): ansible-playbook exited ${run.exitCode}:\n${run.outputTail}`,
    );
  }
  return driftSummary(run.results);
}

/** The check of the inputs; values not known yet (in a preview) are checked at the update. */
export function checkInputs(news: PlaybookInputs): { property: string; reason: string }[] {
  const known = (value: unknown) => !JSON.stringify(value ?? null).includes(UNKNOWN);
  return playbookFailures({
    playbookPath: news.playbookPath,
    hosts: known(news.hosts) ? news.hosts : { pending: { ansible_host: "pending" } },
    vars: known(news.vars) ? news.vars : {},
  });
}

export async function create(inputs: PlaybookInputs): Promise<{ id: string; outs: PlaybookState }> {
  return { id: inputs.playbookSha256.slice(0, 16), outs: await apply(inputs) };
}

export async function update(news: PlaybookInputs): Promise<{ outs: PlaybookState }> {
  return { outs: await apply(news) };
}

export async function diff(
  olds: PlaybookState,
  news: PlaybookInputs,
): Promise<{ changes: boolean; diffs?: string[] }> {
  const changed = inputsChanged(olds, news);
  if (changed.length > 0) return { changes: true, diffs: changed };
  if (JSON.stringify(news).includes(UNKNOWN)) return { changes: true };
  // Drift seen by refresh and not yet put right.
  if (olds.drift) return { changes: true, diffs: ["drift"] };
  if (!news.checkOnPreview) return { changes: false };
  const drift = await checkDrift(news);
  return drift ? { changes: true, diffs: ["drift"] } : { changes: false };
}

export async function read(id: string, props: PlaybookState): Promise<{ id: string; props: PlaybookState }> {
  if (!props.checkOnPreview) return { id, props };
  return { id, props: { ...props, drift: await checkDrift(props) } };
}
