// The scripts' shared flag reader (scripts/flags.ts): numbers, strings, choices, switches and
// parsed values, with a clear error for a bad value or an unknown argument.
import test from "node:test";
import assert from "node:assert/strict";
import {readFlags} from "../../scripts/flags.ts";

interface Args {
  n: number;
  out: string | null;
  mode: "a" | "b";
  quiet: boolean;
  source: string;
  record: string | null;
}
const defaults: Args = {n: 1, out: null, mode: "a", quiet: false, source: "x", record: "r"};
const flags = {
  "--n": {key: "n", type: "number"},
  "--out": {key: "out", type: "string"},
  "--mode": {key: "mode", type: "choice", choices: ["a", "b"]},
  "--quiet": {key: "quiet", type: "switch"},
  "--simulate": {key: "source", type: "switch", value: "simulate"},
  "--record": {key: "record", type: "parse", parse: (v: string) => (v === "-" ? null : v)}
} as const;

test("readFlags(argv, defaults, flags) sets each field by its flag and leaves the defaults alone", () => {
  const a = readFlags<Args>(["--n", "2.5", "--out", "x.json", "--mode", "b", "--quiet", "--simulate", "--record", "-"], defaults, flags, "s.ts");
  assert.deepEqual(a, {n: 2.5, out: "x.json", mode: "b", quiet: true, source: "simulate", record: null});
  assert.deepEqual(defaults, {n: 1, out: null, mode: "a", quiet: false, source: "x", record: "r"});
  assert.deepEqual(readFlags<Args>([], defaults, flags, "s.ts"), defaults);
  assert.equal(readFlags<Args>(["--n", "3", "--n", "4"], defaults, flags, "s.ts").n, 4);
});

test("readFlags names the flag and the value it rejects, and the script for an unknown argument", () => {
  assert.throws(() => readFlags<Args>(["--n", "ten"], defaults, flags, "s.ts"), /invalid --n: ten \(not a number\)/);
  assert.throws(() => readFlags<Args>(["--n", ""], defaults, flags, "s.ts"), /invalid --n/);
  assert.throws(() => readFlags<Args>(["--n"], defaults, flags, "s.ts"), /invalid --n: a value is missing/);
  assert.throws(() => readFlags<Args>(["--mode", "c"], defaults, flags, "s.ts"), /invalid --mode: c \(one of a, b\)/);
  assert.throws(() => readFlags<Args>(["--bogus"], defaults, flags, "s.ts"), /unknown argument: --bogus \(see s\.ts\)/);
  assert.throws(() => readFlags<Args>(["toString"], defaults, flags, "s.ts"), /unknown argument: toString/);
});
