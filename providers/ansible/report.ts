// What a playbook run means for the stack, decided from the report of
// socle's callback plugin (callback/socle_report.py): pure functions.

/** One task on one host, as the callback reports it. */
export interface TaskResult {
  host: string;
  task: string;
  status: "ok" | "changed" | "failed" | "ignored" | "unreachable";
  /** Failure message (cut to 500 characters), for failed and unreachable tasks. */
  message?: string;
}

/** The inputs the playbook resource keeps in the state. */
export interface PlaybookInputs {
  /** Absolute path of the playbook file. */
  playbookPath: string;
  /** SHA-256 of the playbook file's content: a new content runs it again. */
  playbookSha256: string;
  /** Host name -> Ansible host variables (ansible_host, ansible_port, ...). */
  hosts: Record<string, Record<string, string | number>>;
  /** Extra variables (-e), may be secrets. */
  vars: Record<string, string>;
  /** Run check mode with diff on preview and refresh. */
  checkOnPreview: boolean;
}

/** Sorted lines "<host>: <task>" of the tasks a check-mode run would change: the drift ("" when none). */
export function driftSummary(results: TaskResult[]): string {
  const lines = results.filter((r) => r.status === "changed").map((r) => `${r.host}: ${r.task}`);
  return [...new Set(lines)].sort().join("\n");
}

/** One message naming each host and task that failed or was unreachable, or undefined when none did. */
export function failureMessage(playbook: string, results: TaskResult[]): string | undefined {
  const failed = results.filter((r) => r.status === "failed" || r.status === "unreachable");
  if (failed.length === 0) return undefined;
  const lines = failed.map((r) =>
    r.status === "unreachable"
      ? `host ${r.host} unreachable at task "${r.task}": ${r.message ?? ""}`
      : `host ${r.host}, task "${r.task}" failed: ${r.message ?? ""}`,
  );
  return `playbook ${playbook}:\n  - ${lines.join("\n  - ")}`;
}

/** Every problem with a playbook resource's inputs, each naming the field and the fix. */
export function playbookFailures(inputs: Partial<PlaybookInputs>): { property: string; reason: string }[] {
  const failures: { property: string; reason: string }[] = [];
  if (typeof inputs.playbookPath !== "string" || !inputs.playbookPath.startsWith("/")) {
    failures.push({
      property: "playbookPath",
      reason: "give the playbook file's path (resolved to an absolute path)",
    });
  }
  const hosts = inputs.hosts ?? {};
  if (Object.keys(hosts).length === 0) {
    failures.push({ property: "hosts", reason: "give at least one host: { name: { ansible_host, ... } }" });
  }
  for (const [name, vars] of Object.entries(hosts)) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) {
      failures.push({
        property: `hosts.${name}`,
        reason: "host names are letters, digits, '.', '_' and '-'",
      });
    }
    if (typeof vars?.ansible_host !== "string" || vars.ansible_host === "") {
      failures.push({
        property: `hosts.${name}.ansible_host`,
        reason: "give the address Ansible connects to",
      });
    }
  }
  for (const name of Object.keys(inputs.vars ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      failures.push({
        property: `vars.${name}`,
        reason: "variable names are letters, digits and '_', not starting with a digit",
      });
    }
  }
  return failures;
}
