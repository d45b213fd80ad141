// Where socle's set-up scripts put Node 22 and the Pulumi toolchain, and the
// environment the engine needs to run offline with local state. Tests, benches
// and the `socle` script all take their paths from here.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const repoRoot = path.resolve(__dirname, "..");

/** The pinned versions of scripts/versions.env, read as KEY=value lines. */
export function pinnedVersions(): Record<string, string> {
  const text = fs.readFileSync(path.join(repoRoot, "scripts", "versions.env"), "utf8");
  const versions: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^([A-Z_]+)=(\S+)/.exec(line.trim());
    if (match) versions[match[1]] = match[2];
  }
  return versions;
}

export function cacheDir(): string {
  const xdg = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache");
  return process.env.SOCLE_CACHE ?? path.join(xdg, "socle");
}

export function toolchainBinDir(): string {
  const v = pinnedVersions();
  return path.join(
    cacheDir(),
    "toolchain",
    `pulumi-${v.PULUMI_VERSION}+langhost-${v.LANGHOST_SDK_VERSION}`,
    "bin",
  );
}

export function nodeBinDir(): string {
  return path.join(cacheDir(), `node-${pinnedVersions().NODE_VERSION}`, "bin");
}

/**
 * Environment for running the Pulumi engine against a file:// backend.
 * Fails loudly when the toolchain has not been built, naming the fix.
 */
export function engineEnv(backendDir: string, passphrase = "socle-test"): Record<string, string> {
  const bin = toolchainBinDir();
  if (!fs.existsSync(path.join(bin, "pulumi"))) {
    throw new Error(
      `the Pulumi toolchain is not built in ${bin}: run ./socle test (or scripts/setup-toolchain.sh) first`,
    );
  }
  return {
    PATH: [bin, nodeBinDir(), process.env.PATH ?? ""].join(path.delimiter),
    PULUMI_HOME: path.join(cacheDir(), "pulumi-home"),
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    PULUMI_SKIP_UPDATE_CHECK: "1",
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "1",
    // Never reach for the internet: every plugin must come from our own build.
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    // Type checking is `npm run typecheck`'s job; the engine only transpiles.
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
  };
}
