import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import * as path from "node:path";

// A file on disk as a dynamic resource: create/read/update/delete run inside the
// engine's dynamic provider process, so this proves closure serialization works.
interface FileInputs {
  dir: string;
  name: string;
  content: string;
}

const fileProvider: pulumi.dynamic.ResourceProvider<FileInputs> = {
  async create(inputs) {
    const file = path.join(inputs.dir, inputs.name);
    fs.writeFileSync(file, inputs.content);
    return { id: file, outs: { ...inputs, size: inputs.content.length } };
  },
  // Refresh reports drift through the provider's diff: without one the engine sees no change.
  async diff(_id, olds, news) {
    return { changes: olds.content !== news.content };
  },
  async read(id, props) {
    const content = fs.readFileSync(id, "utf8");
    return { id, props: { ...props, content, size: content.length } };
  },
  async update(id, _olds, news) {
    fs.writeFileSync(id, news.content);
    return { outs: { ...news, size: news.content.length } };
  },
  async delete(id) {
    fs.rmSync(id, { force: true });
  },
};

class LocalFile extends pulumi.dynamic.Resource {
  declare readonly size: pulumi.Output<number>;
  constructor(
    name: string,
    args: { dir: string; name: string; content: string },
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(fileProvider, name, { ...args, size: undefined }, opts);
  }
}

const config = new pulumi.Config();
const dir = config.require("dir");
const file = new LocalFile("greeting", {
  dir,
  name: "greeting.txt",
  content: config.get("content") ?? "bonjour",
});
export const size = file.size;
