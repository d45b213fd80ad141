// Where scripts/setup-ansible.sh puts ansible-core (PyPI, pinned in
// scripts/versions.env), and the environment Ansible runs with.
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheDir, pinnedVersions } from "../lab/engine";

/** The bin folder holding `ansible`, `ansible-inventory` and `ansible-playbook`. */
export function ansibleBinDir(): string {
  const dir =
    process.env.SOCLE_ANSIBLE_BIN ??
    path.join(cacheDir(), `ansible-core-${pinnedVersions().ANSIBLE_CORE_VERSION}`, "bin");
  if (!fs.existsSync(path.join(dir, "ansible-playbook"))) {
    throw new Error(
      `ansible-core is not installed in ${dir}: run scripts/setup-ansible.sh (./socle test does)`,
    );
  }
  return dir;
}

/** Environment for Ansible's programs: quiet, no retry files, python found on the hosts without warnings. */
export function ansibleEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ANSIBLE_PYTHON_INTERPRETER: "auto_silent",
    // No __pycache__ beside socle's callback plugin in the clone.
    PYTHONDONTWRITEBYTECODE: "1",
    ANSIBLE_RETRY_FILES_ENABLED: "false",
    ANSIBLE_NOCOLOR: "1",
    ANSIBLE_FORCE_COLOR: "0",
    ANSIBLE_DEPRECATION_WARNINGS: "false",
    ...extra,
  };
}
