// An Ansible playbook as a resource of the stack: it runs on `up` when the
// playbook file, its variables or its hosts change, and on preview and
// refresh it runs in check mode with diff, so a file changed by hand on a
// host shows as drift and the next `up` puts it back.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { providerLoader } from "../inProvider";
import type * as operations from "./operations";
import type { PlaybookInputs } from "./report";

// Resolved now, in the program; required later, in the provider process.
const load = providerLoader<typeof operations>(__filename, "operations");

const playbookProvider: pulumi.dynamic.ResourceProvider<PlaybookInputs, operations.PlaybookState> = {
  async check(_olds, news) {
    return { inputs: news, failures: load().checkInputs(news) };
  },
  async create(inputs) {
    return load().create(inputs);
  },
  async update(_id, _olds, news) {
    return load().update(news);
  },
  async diff(_id, olds, news) {
    return load().diff(olds, news);
  },
  async read(id, props) {
    return load().read(id, props as operations.PlaybookState);
  },
};

/** Arguments of {@link Playbook}. */
export interface PlaybookArgs {
  /** The playbook file, relative to the program's folder or absolute. Its content is hashed: a new content runs it again. */
  playbook: string;
  /** The hosts it runs on: host name -> Ansible host variables (`ansible_host`, `ansible_port`, `ansible_user`, ...), e.g. from the stack's servers. */
  hosts: pulumi.Input<Record<string, pulumi.Input<Record<string, pulumi.Input<string | number>>>>>;
  /** Extra variables (`-e`); a secret stays a secret in the state. @default none */
  vars?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Run the playbook in check mode with diff on preview and refresh, to show drift on the hosts. @default true */
  checkOnPreview?: boolean;
}

/**
 * An Ansible playbook run against hosts of the stack.
 * Type token `pulumi-nodejs:dynamic/ansible:Playbook`.
 * Deleting the resource undoes nothing on the hosts.
 */
export class Playbook extends pulumi.dynamic.Resource {
  /** "<host>: <task>" lines of the tasks check mode found would change at the last refresh ("" when in step). */
  declare readonly drift: pulumi.Output<string>;

  constructor(name: string, args: PlaybookArgs, opts?: pulumi.CustomResourceOptions) {
    const playbookPath = path.resolve(args.playbook);
    if (!fs.existsSync(playbookPath)) {
      throw new Error(
        `Playbook "${name}": playbook ${playbookPath} does not exist: give the path of a playbook file`,
      );
    }
    const playbookSha256 = crypto.createHash("sha256").update(fs.readFileSync(playbookPath)).digest("hex");
    super(
      playbookProvider,
      name,
      {
        playbookPath,
        playbookSha256,
        hosts: args.hosts,
        vars: args.vars ?? {},
        checkOnPreview: args.checkOnPreview ?? true,
        drift: undefined,
      },
      // Variables may hold secrets: kept encrypted in the state.
      { ...opts, additionalSecretOutputs: ["vars"] },
      "ansible",
      "Playbook",
    );
  }
}
