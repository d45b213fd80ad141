import { describe, expect, it } from "vitest";
import { affectedStacks, defaultStackPaths, globToRegExp } from "../../../delivery/affectedStacks";

const stacks = ["dev", "prod", "medicarche"].map((s) => defaultStackPaths(s));
const names = (files: string[]) => affectedStacks(files, stacks).map((a) => a.stack);

describe("affected stacks", () => {
  it("a stack's own config or program affects only that stack", () => {
    expect(names(["stacks/Pulumi.prod.yaml"])).toEqual(["prod"]);
    expect(names(["stacks/medicarche/index.ts", "stacks/dev.ts"])).toEqual(["dev", "medicarche"]);
  });

  it("shared code affects every stack", () => {
    expect(names(["components/openstack/appVm.ts"])).toEqual(["dev", "prod", "medicarche"]);
    expect(names(["package-lock.json"])).toEqual(["dev", "prod", "medicarche"]);
    expect(names(["stacks/shared/naming.ts"])).toEqual(["dev", "prod", "medicarche"]);
  });

  it("docs, tests and the pipeline file affect none", () => {
    expect(
      names(["README.md", "test/unit/x.test.ts", "docs/adopt.md", "examples/a/index.ts", ".gitlab-ci.yml"]),
    ).toEqual([]);
    expect(names([])).toEqual([]);
  });

  it("keeps the files that made a stack affected", () => {
    const [hit] = affectedStacks(["stacks/Pulumi.dev.yaml", "README.md"], stacks);
    expect(hit).toEqual({ stack: "dev", because: ["stacks/Pulumi.dev.yaml"] });
  });

  it("custom paths win over the ignore list", () => {
    const custom = [{ stack: "docs-site", paths: ["docs/**"] }, defaultStackPaths("prod")];
    expect(affectedStacks(["docs/index.md"], custom).map((a) => a.stack)).toEqual(["docs-site"]);
  });

  it("globs: ** spans directories, * stays in one", () => {
    expect(globToRegExp("stacks/*.ts").test("stacks/a/b.ts")).toBe(false);
    expect(globToRegExp("stacks/**/*.ts").test("stacks/a/b.ts")).toBe(true);
    expect(globToRegExp("stacks/**/*.ts").test("stacks/b.ts")).toBe(true);
    expect(globToRegExp("**/*.md").test("README.md")).toBe(true);
    expect(globToRegExp("Pulumi.dev.yaml").test("PulumiXdevXyaml")).toBe(false);
  });
});
