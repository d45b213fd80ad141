// Ansible as part of a stack: the Playbook resource.
export { Playbook, type PlaybookArgs } from "./playbook";
export { driftSummary, failureMessage, playbookFailures, type TaskResult } from "./report";
