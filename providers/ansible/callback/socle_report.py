# Ansible callback plugin of socle: records, per host and task, whether the
# task was ok, changed, failed or unreachable, and writes it as JSON to the
# file named by SOCLE_ANSIBLE_REPORT when the play ends. Task output and diffs
# are left out on purpose (they may hold secrets); only failure messages are
# kept, cut short.
import json
import os

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "socle_report"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self.results = []

    def _record(self, status, result):
        entry = {"host": result._host.get_name(), "task": result._task.get_name(), "status": status}
        if status in ("failed", "unreachable"):
            data = result._result
            message = data.get("msg") or data.get("stderr") or data.get("reason") or ""
            entry["message"] = str(message)[:500]
        self.results.append(entry)

    def v2_runner_on_ok(self, result):
        self._record("changed" if result._result.get("changed") else "ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record("ignored" if ignore_errors else "failed", result)

    def v2_runner_on_unreachable(self, result):
        self._record("unreachable", result)

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get("SOCLE_ANSIBLE_REPORT")
        if path:
            with open(path, "w", encoding="utf-8") as out:
                json.dump({"results": self.results}, out)
