// Construction time and peak memory of a program declaring 1000 app servers
// across 20 bubbles (25 "web+db" templates each), under Pulumi mocks: what
// the SDK and socle's components cost before the engine sees anything.
// Target: under 5 s and 1 GiB. Run alone (its own process, so that the peak
// memory is the program's): npx tsx bench/openstack/construct.ts
// It prints one JSON line; bench/openstack/run.ts records it.
import * as pulumi from "@pulumi/pulumi";
import { Bubble, type FlavorSpec } from "../../components/openstack";
import { installMocks, runProgram } from "../../test/unit/openstack/mocks";

const BUBBLES = 20;
const TEMPLATES_PER_BUBBLE = 25; // web+db = 2 servers each -> 50 per bubble
const FLAVORS: FlavorSpec[] = [
  { name: "small", vcpus: 1, ramMiB: 1024, diskGiB: 10 },
  { name: "medium", vcpus: 2, ramMiB: 2048, diskGiB: 20 },
];

/** What one construction measured. */
export interface ConstructFigures {
  seconds: number;
  cpuSeconds: number;
  peakRssMiB: number;
  servers: number;
  resources: number;
}

async function main(): Promise<void> {
  const recorder = await installMocks();
  pulumi.runtime.setAllConfig({ "openstack:authUrl": "http://127.0.0.1:5000/v3" });
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
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
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  const servers = recorder.ofType("openstack:compute/instance:Instance").length;
  const declared = bubbles.reduce((n, b) => n + Object.keys(b.servers).length, 0);
  if (declared !== 1000 || servers !== 1000) {
    throw new Error(`expected 1000 servers, declared ${declared}, registered ${servers}`);
  }
  const figures: ConstructFigures = {
    seconds: Math.round(seconds * 100) / 100,
    cpuSeconds: Math.round(((used.user + used.system) / 1e6) * 100) / 100,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    servers,
    resources: recorder.resources.length,
  };
  console.log(JSON.stringify(figures));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
