/**
 * `npm run bench`: runs every `bench/*.bench.ts` (or those whose name contains an argument)
 * and prints one table of figures with ratios against references measured in the same run.
 */
import {readdirSync} from "node:fs";
import {cpus, totalmem} from "node:os";
import {pathToFileURL} from "node:url";
import type {BenchRow} from "./types.ts";

const filters = process.argv.slice(2);
const dir = new URL(".", import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts") && (filters.length === 0 || filters.some((s) => f.includes(s))))
  .sort();

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3));
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
console.log(["benchmark", "value", "unit", "reference", "ratio", "target", "met"].join(" | "));
let failed = 0;
for (const file of files) {
  const mod = await import(pathToFileURL(new URL(file, dir).pathname).href);
  const rows: BenchRow[] = await mod.default();
  for (const r of rows) {
    const ratio = r.reference ? r.value / r.reference.value : undefined;
    if (r.met === false) ++failed;
    console.log(
      [
        r.name.replaceAll("|", "\\|"),
        fmt(r.value),
        r.unit,
        r.reference ? `${r.reference.name}: ${fmt(r.reference.value)}` : "",
        ratio === undefined ? "" : `${fmt(ratio)}×`,
        r.target ?? "",
        r.met === undefined ? "" : r.met ? "yes" : "NO"
      ].join(" | ")
    );
  }
}
console.log(`${failed} target(s) missed`);
