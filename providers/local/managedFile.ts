// A local text file as a resource: the simplest dynamic provider of ours,
// used by the `local` stack to show the engine works without any lab.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

interface ManagedFileState {
  path: string;
  content: string;
  size: number;
}

const managedFileProvider: pulumi.dynamic.ResourceProvider<ManagedFileState, ManagedFileState> = {
  async create(inputs) {
    const file = path.resolve(inputs.path);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, inputs.content);
    return { id: file, outs: { ...inputs, size: Buffer.byteLength(inputs.content) } };
  },
  async diff(_id, olds, news) {
    const replaces = olds.path === news.path ? [] : ["path"];
    return { changes: olds.content !== news.content || replaces.length > 0, replaces };
  },
  async read(id, props) {
    // A deleted file reads as gone, so refresh drops it and up recreates it.
    if (!fs.existsSync(id)) return { id: "", props: undefined };
    const content = fs.readFileSync(id, "utf8");
    return { id, props: { path: props?.path ?? id, content, size: Buffer.byteLength(content) } };
  },
  async update(id, _olds, news) {
    fs.writeFileSync(id, news.content);
    return { outs: { ...news, size: Buffer.byteLength(news.content) } };
  },
  async delete(id) {
    fs.rmSync(id, { force: true });
  },
};

export interface ManagedFileArgs {
  /** Path of the file, relative to the program's directory or absolute. Changing it replaces the file. */
  path: pulumi.Input<string>;
  /** Whole content of the file. */
  content: pulumi.Input<string>;
}

export class ManagedFile extends pulumi.dynamic.Resource {
  declare readonly path: pulumi.Output<string>;
  declare readonly size: pulumi.Output<number>;

  constructor(name: string, args: ManagedFileArgs, opts?: pulumi.CustomResourceOptions) {
    super(managedFileProvider, name, { ...args, size: undefined }, opts);
  }
}
