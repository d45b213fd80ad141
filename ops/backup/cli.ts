// `./socle backup verify NAMESPACE [--backup NAME] [--kubeconfig FILE]
// [--velero-namespace NS] [--keep]`: restores the namespace's newest completed
// Velero backup (or the one named) into a scratch namespace, compares, prints
// every difference and exits 1 when there is one.
import * as fs from "node:fs";
import { describeDifference } from "./compare";
import { kubeClient } from "./kubeClient";
import { newestBackupOf, verifyRestore } from "./verifyRestore";

const USAGE =
  "usage: ./socle backup verify NAMESPACE [--backup NAME] [--kubeconfig FILE (JSON)] [--velero-namespace NS] [--keep]";

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = args[at + 1];
  if (!value || value.startsWith("--")) throw new Error(`${name} needs a value\n${USAGE}`);
  return value;
}

async function main(): Promise<number> {
  const [command, namespace, ...rest] = process.argv.slice(2);
  if (command !== "verify" || !namespace || namespace.startsWith("--")) throw new Error(USAGE);
  const kubeconfigFile = option(rest, "--kubeconfig") ?? process.env.KUBECONFIG;
  if (!kubeconfigFile) throw new Error(`give --kubeconfig FILE or set KUBECONFIG\n${USAGE}`);
  const client = kubeClient(fs.readFileSync(kubeconfigFile, "utf8"));
  const veleroNamespace = option(rest, "--velero-namespace") ?? "velero";
  const backupName = option(rest, "--backup") ?? (await newestBackupOf(client, namespace, veleroNamespace));
  if (!backupName) {
    throw new Error(
      `no Completed Velero backup of namespace ${namespace} in ${veleroNamespace}: make one first`,
    );
  }
  const result = await verifyRestore(client, {
    namespace,
    backupName,
    veleroNamespace,
    keepScratch: rest.includes("--keep"),
  });
  const counts = Object.entries(result.compared)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(", ");
  process.stdout.write(
    `backup ${backupName} of ${namespace}: restored into ${result.scratchNamespace} by ${result.restoreName} ` +
      `in ${result.restoreSec.toFixed(1)} s (${result.veleroWarnings} Velero warnings); compared ${counts}; ` +
      `scratch namespace deleted in ${result.cleanupSec.toFixed(1)} s\n`,
  );
  for (const difference of result.differences) process.stdout.write(`  ${describeDifference(difference)}\n`);
  if (result.differences.length > 0) {
    process.stdout.write(`NOT VERIFIED: ${result.differences.length} difference(s)\n`);
    return 1;
  }
  process.stdout.write("verified: the restore holds the same objects\n");
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`backup verify: ${error.message}\n`);
    process.exit(2);
  },
);
