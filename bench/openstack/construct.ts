// Construction time and peak memory of a program declaring 1000 app servers
// across 20 bubbles (25 "web+db" templates each), under Pulumi mocks.
// Target: under 10 s and under 1 GiB. Figures go to bench/results/openstack.json.
// Run: npx tsx bench/openstack/run.ts
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Bubble, type FlavorSpec } from "../../components/openstack";
import { installMocks, runProgram } from "../../test/unit/openstack/mocks";

const BUBBLES = 20;
const TEMPLATES_PER_BUBBLE = 25; // web+db = 2 servers each -> 50 per bubble
const FLAVORS: FlavorSpec[] = [
  { name: "small", vcpus: 1, ramMiB: 1024, diskGiB: 10 },
  { name: "medium", vcpus: 2, ramMiB: 2048, diskGiB: 20 },
];

async function main(): Promise<void> {
  const recorder = await installMocks();
  pulumi.runtime.setAllConfig({ "openstack:authUrl": "http://127.0.0.1:5000/v3" });
  const started = process.hrtime.bigint();
  const bubbles = await runProgram(recorder, () =>
    Array.from({ length: BUBBLES }, (_, b) => {
      const name = `bubble-${String(b).padStart(2, "0")}`;
      return new Bubble(name, {
        externalNetworkId: "external-net-id",
        imageId: "image-id",
        flavors: FLAVORS,
        templates: Array.from({ length: TEMPLATES_PER_BUBBLE }, (_, t) => ({
          name: `svc${t}`,
          template: "web+db",
        })),
        adminCidr: "10.0.0.0/24",
        clientCidr: "10.50.0.0/16",
      });
    }),
  );
  const constructMs = Number(process.hrtime.bigint() - started) / 1e6;
  const servers = recorder.ofType("openstack:compute/instance:Instance").length;
  const serversDeclared = bubbles.reduce((n, b) => n + Object.keys(b.servers).length, 0);
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  const result = {
    benchmark: "openstack construct 1000 servers / 20 bubbles (mocks)",
    date: new Date().toISOString(),
    node: process.version,
    bubbles: BUBBLES,
    serversDeclared,
    serversRegistered: servers,
    resourcesRegistered: recorder.resources.length,
    constructSeconds: Math.round(constructMs) / 1000,
    peakRssMiB: Math.round(peakRssMiB),
    targets: { constructSeconds: 10, peakRssMiB: 1024 },
    withinTargets: constructMs < 10_000 && peakRssMiB < 1024,
  };
  if (serversDeclared !== 1000 || servers !== 1000) {
    throw new Error(`expected 1000 servers, declared ${serversDeclared}, registered ${servers}`);
  }
  const out = path.join(__dirname, "..", "results", "openstack.json");
  const existing: Record<string, unknown> = fs.existsSync(out)
    ? (JSON.parse(fs.readFileSync(out, "utf8")) as Record<string, unknown>)
    : {};
  fs.writeFileSync(out, JSON.stringify({ ...existing, construct1000: result }, null, 2) + "\n");
  console.log(JSON.stringify(result, null, 2));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
