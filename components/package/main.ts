// Entry point of the `socle` resource plugin (bin/pulumi-resource-socle).
import { main } from "@pulumi/pulumi/provider";
import { SocleComponentProvider } from "./provider";

main(new SocleComponentProvider(), process.argv.slice(2)).catch((error: unknown) => {
  console.error(`socle component provider: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
