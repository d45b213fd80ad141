// The type tokens the installed @pulumi/openstack SDK sends to the engine:
// every resource's `__pulumiType` and every function's `invoke` token, read
// from the package's JavaScript so the plugin answers exactly this SDK.
// `npx tsx toolchain/openstack/sdkTokens.ts OUT.json` writes them for the Go build.
import * as fs from "node:fs";
import * as path from "node:path";

export interface SdkTokens {
  /** "openstack:compute/instance:Instance", sorted. */
  resources: string[];
  /** "openstack:networking/getNetwork:getNetwork", sorted. */
  functions: string[];
}

/** The folder of the installed SDK, as Node resolves it from `from`. */
export function sdkFolder(from = process.cwd()): string {
  return path.dirname(require.resolve("@pulumi/openstack/package.json", { paths: [from] }));
}

export function readSdkTokens(folder = sdkFolder()): SdkTokens {
  const resources = new Set<string>();
  const functions = new Set<string>();
  const visit = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules") visit(file);
      } else if (entry.name.endsWith(".js")) {
        const text = fs.readFileSync(file, "utf8");
        for (const m of text.matchAll(/__pulumiType = '(openstack:[^']+)'/g)) resources.add(m[1]);
        for (const m of text.matchAll(/invoke(?:Output|SingleOutput)?\("(openstack:[^"]+)"/g)) functions.add(m[1]);
      }
    }
  };
  visit(folder);
  if (resources.size === 0) throw new Error(`no resource token found in ${folder}: is it the @pulumi/openstack package?`);
  return { resources: [...resources].sort(), functions: [...functions].sort() };
}

if (require.main === module) {
  const out = process.argv[2];
  if (!out) throw new Error("usage: sdkTokens.ts OUT.json");
  const tokens = readSdkTokens();
  fs.writeFileSync(out, JSON.stringify(tokens, null, 1) + "\n");
  process.stdout.write(`${tokens.resources.length} resources, ${tokens.functions.length} functions\n`);
}
