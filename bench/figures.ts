// Benchmarks write their figures here: one JSON file per benchmark in
// bench/results/, merged with the previous run so a partial run keeps the
// figures it did not measure, and printed for the person running it.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export type Figures = Record<string, number | string | boolean>;

export function resultsFile(name: string): string {
  return path.join(__dirname, "results", `${name}.json`);
}

export function recordFigures(name: string, figures: Figures): Figures {
  const file = resultsFile(name);
  const previous: Figures = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Figures) : {};
  const merged: Figures = {
    ...previous,
    ...figures,
    measuredAt: new Date().toISOString(),
    machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(merged, null, 2) + "\n");
  console.log(
    `${name}: ${JSON.stringify(figures, null, 2)}\n(written to ${path.relative(process.cwd(), file)})`,
  );
  return merged;
}

/** Runs `work` and returns its result with the elapsed wall time in seconds. */
export async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const start = process.hrtime.bigint();
  const result = await work();
  return { result, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}
