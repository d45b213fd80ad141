// Writes components/package/schema.json from the TypeScript sources:
// `./socle package schema` (a test fails while the file is out of date).
import * as fs from "node:fs";
import * as path from "node:path";
import { exposedComponents } from "./exposed";
import { schemaFromSource } from "./schemaFromSource";

const repoRoot = path.resolve(__dirname, "..", "..");

/** The schema as committed: generated from source, formatted for review. */
export function renderSchema(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
    version: string;
    description: string;
    license: string;
  };
  return `${JSON.stringify(schemaFromSource(repoRoot, exposedComponents, pkg), null, 2)}\n`;
}

export const schemaPath = path.join(__dirname, "schema.json");

if (require.main === module) {
  fs.writeFileSync(schemaPath, renderSchema());
  console.log(`wrote ${path.relative(process.cwd(), schemaPath)}`);
}
