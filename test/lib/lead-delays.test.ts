import test from "node:test";
import assert from "node:assert/strict";
import {leadDelays} from "../../lib/lead-delays.js";
import {mulberry32, randomNormal} from "../../lib/random.js";

const keys = ["a", "b", "c", "d"] as const;
const pairs = keys.flatMap((x, i) => keys.slice(i + 1).map((y) => [x, y] as const));

test("leadDelays(keys, leads) recovers delays from consistent pairwise leads and names the fastest", () => {
  const d = {a: 200, b: 0, c: 300, d: 500};
  const r = leadDelays(keys, pairs.map(([a, b]) => ({a, b, lead: d[b] - d[a]})));
  assert.equal(r.leader, "b");
  for (const k of keys) assert.ok(Math.abs(r.delays[k] - d[k]) < 1e-9, `${k}: ${r.delays[k]}`);
  // A lead measured in the other orientation says the same.
  const flipped = leadDelays(keys, pairs.map(([a, b]) => ({a: b, b: a, lead: d[a] - d[b]})));
  for (const k of keys) assert.ok(Math.abs(flipped.delays[k] - d[k]) < 1e-9);
});

test("leadDelays(keys, leads) with noisy leads is the least-squares fit: its residuals sum to zero at every key", () => {
  const random = mulberry32(4);
  const d = {a: 0, b: 40, c: 90, d: 10};
  const leads = pairs.map(([a, b]) => ({a, b, lead: d[b] - d[a] + 5 * randomNormal(random)}));
  const r = leadDelays(keys, leads);
  // Normal equations: Σ over the leads touching k of the signed residual is 0.
  for (const k of keys) {
    let s = 0;
    for (const l of leads) {
      const e = l.lead - (r.delays[l.b] - r.delays[l.a]);
      if (l.b === k) s += e;
      if (l.a === k) s -= e;
    }
    assert.ok(Math.abs(s) < 1e-9, `${k}: ${s}`);
  }
  assert.equal(r.leader, "a");
  assert.throws(() => leadDelays(keys, [{a: "a", b: "e" as "d", lead: 1}]), RangeError);
  assert.throws(() => leadDelays([], []), RangeError);
});
