// `npx tsx lab/kubernetes/cli.ts start|stop --dir DIR [--detach]`: the Kubernetes lab
// out of process. `start` writes DIR/kubeconfig.json (for KUBECONFIG or a provider's
// `kubeconfig`) and DIR/manifest.json (server, simulated nodes, start time in seconds, pid).
import * as fs from "node:fs";
import * as path from "node:path";
import { serveUntilStopped, startDetached, stopBackgroundLab } from "../background";
import { startKubernetesLab } from "./index";

const USAGE = "usage: cli.ts start --dir DIR [--port API_PORT] [--detach] | cli.ts stop --dir DIR";

async function start(dir: string, detach: boolean, port: number | undefined): Promise<void> {
  const manifestFile = path.join(dir, "manifest.json");
  if (detach) {
    const portArgs = port === undefined ? [] : ["--port", String(port)];
    await startDetached(__filename, ["start", "--dir", dir, ...portArgs], dir, manifestFile);
    return;
  }
  const lab = await startKubernetesLab({ dir, apiPort: port });
  serveUntilStopped(dir, () => lab.close());
  const kubeconfigFile = path.join(dir, "kubeconfig.json");
  fs.writeFileSync(kubeconfigFile, lab.kubeconfig, { mode: 0o600 });
  const manifest = {
    server: lab.server,
    kubeconfig: kubeconfigFile,
    nodes: lab.nodes,
    startSec: lab.startSec,
    pid: process.pid,
  };
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + "\n");
  process.stdout.write(JSON.stringify(manifest, null, 2) + "\n");
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const dirAt = rest.indexOf("--dir");
  const dir = dirAt >= 0 ? rest[dirAt + 1] : undefined;
  if (!dir || (command !== "start" && command !== "stop")) throw new Error(USAGE);
  const portAt = rest.indexOf("--port");
  const port = portAt >= 0 ? Number(rest[portAt + 1]) : undefined;
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new Error(`--port: "${rest[portAt + 1]}" is not a TCP port (1-65535)`);
  }
  if (command === "start") await start(path.resolve(dir), rest.includes("--detach"), port);
  else await stopBackgroundLab(path.resolve(dir));
}

main().catch((error: Error) => {
  process.stderr.write(`lab/kubernetes: ${error.message}\n`);
  process.exit(1);
});
