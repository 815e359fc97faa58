/**
 * Information-theory kernels: entropy and rolling entropy per sample, plug-in transfer entropy of
 * ternary series at 10^6 and 10^7 samples for k = 1, 2, 3 against a C reference compiled in the
 * same run (bench/reference/te.c, straightforward histogram counting as in the Inform library),
 * the 1000-surrogate significance test at 10^6 samples, and rolling TE over a simulated day of
 * 100 ms bins. Data are seeded; the C program reads the same symbols from a binary file, and the
 * two TE values are checked to agree before any timing is reported.
 *
 * Times are CPU times of this process (process.cpuUsage; CLOCK_PROCESS_CPUTIME_ID in the C
 * program), medians over repeats after warm-up runs, so that other jobs on a shared machine
 * inflate them less than wall-clock times; on an idle machine the two agree.
 */
import {execFileSync} from "node:child_process";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import type {BenchRow} from "./types.ts";
import {entropy} from "../lib/entropy.ts";
import {rollingEntropy} from "../lib/rolling-entropy.ts";
import {transferEntropy, transferEntropyTest} from "../lib/transfer-entropy.ts";
import {rollingTransferEntropy} from "../lib/rolling-transfer-entropy.ts";
import {cpuMs, ternaryPair} from "./support/measure.ts";

/** Compiles bench/reference/te.c into `dir`; returns the executable's path or undefined without a compiler. */
function compileReference(dir: string): string | undefined {
  const source = fileURLToPath(new URL("./reference/te.c", import.meta.url));
  const exe = join(dir, "te");
  try {
    execFileSync("cc", ["-O2", "-o", exe, source, "-lm"], {stdio: "pipe"});
    return exe;
  } catch (error) {
    console.log(`C reference skipped: cc unavailable or failed (${(error as Error).message.split("\n")[0]})`);
    return undefined;
  }
}

export default async function (): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), "information-bench-"));
  try {
    const exe = compileReference(dir);

    // Entropy and rolling entropy, ns per sample.
    {
      const [x] = ternaryPair(10_000_000, 1);
      const ms = cpuMs(() => entropy(x, {base: 3}), 5);
      rows.push({name: "entropy, 1e7 ternary", value: (ms * 1e6) / x.length, unit: "ns/sample (CPU)"});
      const y = x.subarray(0, 1_000_000);
      const rms = cpuMs(() => rollingEntropy(y, {window: 600, base: 3}), 5);
      rows.push({name: "rollingEntropy window 600 step 1, 1e6 ternary", value: (rms * 1e6) / y.length, unit: "ns/sample (CPU)"});
      const bms = cpuMs(() => {
        for (let i = 599; i < 20_000; ++i) entropy(y.subarray(i - 599, i + 1), {base: 3});
      }, 3, 1);
      rows.push({
        name: "rollingEntropy vs recount per window (window 600)",
        value: (rms * 1e6) / y.length,
        unit: "ns/sample (CPU)",
        reference: {name: "entropy() per window", value: (bms * 1e6) / (20_000 - 599)}
      });
    }

    // Transfer entropy at 10^6 and 10^7 samples, k = 1, 2, 3, against the C reference.
    for (const n of [1_000_000, 10_000_000]) {
      const [x, y] = ternaryPair(n, 2);
      const file = join(dir, `te-${n}.bin`);
      if (exe) {
        const bytes = new Uint8Array(2 * n);
        bytes.set(x, 0);
        bytes.set(y, n);
        writeFileSync(file, bytes);
      }
      for (const k of [1, 2, 3]) {
        const te = transferEntropy(x, y, {k, base: 3});
        const ms = cpuMs(() => transferEntropy(x, y, {k, base: 3}), n > 1e6 ? 5 : 9);
        let reference: BenchRow["reference"];
        if (exe) {
          const [cms, cte] = execFileSync(exe, [file, String(n), "3", String(k), n > 1e6 ? "5" : "9"], {encoding: "utf8"})
            .trim()
            .split(" ")
            .map(Number);
          if (!(Math.abs(cte - te) <= 1e-9)) throw new Error(`TE mismatch with the C reference at n=${n} k=${k}: ${te} vs ${cte}`);
          reference = {name: "C -O2 (te.c)", value: cms};
        }
        rows.push({
          name: `transferEntropy k=${k}, ${n === 1e6 ? "1e6" : "1e7"} ternary (base given)`,
          value: ms,
          unit: "ms (CPU)",
          reference,
          target: reference ? "≤ 2× C" : undefined,
          met: reference ? ms <= 2 * reference.value : undefined
        });
        if (n === 1e7 && k === 1) {
          rows.push({name: "transferEntropy k=1, 1e7 ternary (base given)", value: ms, unit: "ms (CPU)", target: "< 50 ms", met: ms < 50});
          const inferred = cpuMs(() => transferEntropy(x, y, {k: 1}), 5);
          rows.push({name: "transferEntropy k=1, 1e7 ternary (base inferred)", value: inferred, unit: "ms (CPU)"});
        }
      }
    }

    // 1000-surrogate test at 10^6 samples.
    {
      const [x, y] = ternaryPair(1_000_000, 3);
      for (const method of ["shuffle", "circular", "block"] as const) {
        const ms = cpuMs(() => transferEntropyTest(x, y, {base: 3, surrogates: 1000, method, seed: 1}), method === "shuffle" ? 5 : 1, 1);
        rows.push({
          name: `transferEntropyTest 1000 ${method} surrogates, 1e6 ternary`,
          value: ms,
          unit: "ms (CPU)",
          target: method === "shuffle" ? "< 3000 ms" : undefined,
          met: method === "shuffle" ? ms < 3000 : undefined
        });
      }
    }

    // Rolling TE over a day of 100 ms bins: 30-minute windows every 5 minutes.
    {
      const [x, y] = ternaryPair(864_000, 4);
      const ms = cpuMs(() => rollingTransferEntropy(x, y, {window: 18_000, step: 3_000, base: 3}), 5);
      const recount = cpuMs(() => {
        for (let e = 17_999; e < 864_000; e += 3_000) transferEntropy(x.subarray(e - 17_999, e + 1), y.subarray(e - 17_999, e + 1), {base: 3});
      }, 5);
      rows.push({
        name: "rollingTransferEntropy 1 day of 100 ms bins, 30 min / 5 min",
        value: ms,
        unit: "ms (CPU)",
        reference: {name: "transferEntropy() per window", value: recount}
      });
      const withSurrogates = cpuMs(() => rollingTransferEntropy(x, y, {window: 18_000, step: 3_000, base: 3, surrogates: 200}), 3, 1);
      rows.push({name: "rollingTransferEntropy same, 200 shuffle surrogates per window", value: withSurrogates, unit: "ms (CPU)"});
    }
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
  return rows;
}
