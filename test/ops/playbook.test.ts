// The Playbook resource under the real engine against the SSH lab's hosts
// (real sshd on loopback, real ansible-core): up applies, a second preview is
// clean, a file changed by hand shows as drift on preview and refresh and up
// puts it back, a failing task fails the update naming the host and the task,
// and the secret variable stays encrypted in the state.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../lab/engine";
import { startSshLab, type SshLab } from "../../lab/ssh";
import { ansibleBinDir } from "../../ops/ansible";
import {
  changesIn,
  openProgramStack,
  resourceOutputs,
  storedStateText,
  type ProgramStack,
} from "../e2e/harness";

const apiToken = "tok-playbook-3c9f1e77a2";
let lab: SshLab;
let program: ProgramStack;

const motdOf = (i: number) => fs.readFileSync(path.join(lab.hosts[i].root, "etc", "motd"), "utf8");

describe("Playbook resource under the engine", () => {
  beforeAll(async () => {
    lab = await startSshLab({ count: 3 });
    const hosts = Object.fromEntries(
      lab.hosts.map((h) => [
        h.name,
        {
          ansible_host: h.address,
          ansible_port: h.port,
          ansible_user: lab.user,
          ansible_ssh_private_key_file: lab.keyFile,
          ansible_ssh_common_args: `-o UserKnownHostsFile=${lab.knownHostsFile} -o StrictHostKeyChecking=yes`,
          socle_root: h.root,
        },
      ]),
    );
    program = await openProgramStack(
      path.join(__dirname, "programs", "playbook"),
      {
        "ops-playbook:socleRoot": { value: repoRoot },
        "ops-playbook:hosts": { value: JSON.stringify(hosts) },
        "ops-playbook:motd": { value: "bienvenue" },
        "ops-playbook:apiToken": { value: apiToken, secret: true },
      },
      "playbook",
      // SSH masters end 2 s after their last use (Ansible keeps them 60 s by default).
      { SOCLE_ANSIBLE_BIN: ansibleBinDir(), ANSIBLE_SSH_ARGS: "-o ControlMaster=auto -o ControlPersist=2s" },
    );
  });

  afterAll(async () => {
    await program?.dispose();
    await lab?.close();
  });

  it("applies on up, then previews clean", async () => {
    const up = await program.stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ create: 2 });
    expect(lab.hosts.map((_, i) => motdOf(i))).toEqual([
      "bienvenue (host-1)\n",
      "bienvenue (host-2)\n",
      "bienvenue (host-3)\n",
    ]);
    const preview = await program.stack.preview();
    expect(changesIn(preview.changeSummary)).toEqual({});
  });

  it("shows a file changed by hand as drift on preview and refresh, and up puts it back", async () => {
    fs.writeFileSync(path.join(lab.hosts[1].root, "etc", "motd"), "changed by hand\n");
    const preview = await program.stack.preview();
    expect(changesIn(preview.changeSummary)).toEqual({ update: 1 });
    const refresh = await program.stack.refresh();
    expect(refresh.summary.resourceChanges).toMatchObject({ update: 1 });
    // Refresh writes the drift into the resource's state (stack outputs change only on up).
    expect((await resourceOutputs(program.stack, "motd")).drift).toBe("host-2: message of the day");
    const up = await program.stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
    expect(motdOf(1)).toBe("bienvenue (host-2)\n");
    expect((await program.stack.outputs()).drift.value).toBe("");
    expect(changesIn((await program.stack.preview()).changeSummary)).toEqual({});
  });

  it("fails the update naming the host and the task, and runs again when a variable changes", async () => {
    await program.stack.setConfig("ops-playbook:failOn", { value: "host-3" });
    const failed = await program.stack.up().then(
      () => "no error",
      (error: Error) => error.message,
    );
    expect(failed).toContain('host host-3, task "refuse on the host asked" failed: asked to fail on host-3');
    await program.stack.setConfig("ops-playbook:failOn", { value: "" });
    await program.stack.setConfig("ops-playbook:motd", { value: "bonjour" });
    const up = await program.stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
    expect(motdOf(2)).toBe("bonjour (host-3)\n");
  });

  it("keeps the secret variable encrypted in the state", () => {
    const state = storedStateText(program.backendDir);
    expect(state).toContain("ciphertext");
    expect(state).not.toContain(apiToken);
  });
});
