/**
 * Seeded damage to archive rows, for tests that compare two ways of reading the same damaged
 * files (fast vs general path, one thread vs blocks on several).
 */
import {readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {mulberry32} from "../../../lib/random.js";
import {gunzipText, gzipOf, unzipTexts, zipOf} from "./fixtures.ts";

/** Damage done to a row's text, one kind at a time. */
export const DAMAGE: ((row: string, r: () => number) => string)[] = [
  (row, r) => {
    const i = Math.floor(r() * row.length);
    return row.slice(0, i) + ",.-+eE x\r0123456789"[Math.floor(r() * 20)] + row.slice(i + 1);
  },
  (row, r) => {
    const i = Math.floor(r() * row.length);
    return row.slice(0, i) + row.slice(i + 1);
  },
  (row, r) => {
    const i = Math.floor(r() * row.length);
    return row.slice(0, i) + ",.0e\r"[Math.floor(r() * 5)] + row.slice(i);
  },
  (row) => row.toUpperCase(),
  (row) => `${row},extra`,
  (row) => `${row}\r`,
  (row, r) => {
    const f = row.split(",");
    f.splice(Math.floor(r() * f.length), 1);
    return f.join(",");
  }
];

/**
 * Rewrites the zip or gzip archives `files` under `dir` with rows damaged: row i (0 = the first
 * line) is damaged with probability `p(i)`, by a kind drawn from {@link DAMAGE}.
 */
export function damageArchives(dir: string, files: string[], p: (i: number) => number, seed = 17): void {
  const r = mulberry32(seed);
  const damage = (text: string) =>
    text
      .split("\n")
      .map((row, i) => (row && p(i) > 0 && r() < p(i) ? DAMAGE[Math.floor(r() * DAMAGE.length)](row, r) : row))
      .join("\n");
  for (const f of files) {
    const path = join(dir, f);
    const bytes = readFileSync(path);
    if (f.endsWith(".zip")) writeFileSync(path, zipOf(Object.fromEntries(Object.entries(unzipTexts(bytes)).map(([name, text]) => [name, damage(text)]))));
    else writeFileSync(path, gzipOf(damage(gunzipText(bytes))));
  }
}
