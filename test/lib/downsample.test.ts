import test from "node:test";
import assert from "node:assert/strict";
import {m4} from "../../lib/downsample.ts";
import {mulberry32} from "../../lib/random.ts";

/**
 * An independent reference: the line through (x, y) drawn into `columns` pixel columns of equal
 * width over x ∈ [0, n), column b spanning [b·n/columns, (b + 1)·n/columns); for each column the
 * lowest and highest y the line reaches inside it (segments between consecutive finite points,
 * clipped at the column edges by linear interpolation), and the number of separate pieces (runs)
 * of the line.
 */
function raster(xs: number[], ys: number[], n: number, columns: number): {lo: number[]; hi: number[]; runs: number} {
  const lo = new Array(columns).fill(Infinity);
  const hi = new Array(columns).fill(-Infinity);
  const edge = (b: number) => (b * n) / columns;
  const colOf = (x: number) => Math.min(columns - 1, Math.floor((x * columns) / n));
  const touch = (b: number, v: number) => ((lo[b] = Math.min(lo[b], v)), (hi[b] = Math.max(hi[b], v)));
  let runs = 0;
  for (let k = 0; k < xs.length; ++k) {
    if (!Number.isFinite(ys[k])) continue;
    if (k === 0 || !Number.isFinite(ys[k - 1])) ++runs;
    touch(colOf(xs[k]), ys[k]);
    if (k + 1 < xs.length && Number.isFinite(ys[k + 1])) {
      // The segment to the next point crosses the column edges between them.
      const [x0, y0, x1, y1] = [xs[k], ys[k], xs[k + 1], ys[k + 1]];
      for (let b = colOf(x0) + 1; b <= colOf(x1); ++b) {
        const xe = edge(b);
        const ye = y0 + ((y1 - y0) * (xe - x0)) / (x1 - x0);
        touch(b - 1, ye);
        touch(b, ye);
      }
    }
  }
  return {lo, hi, runs};
}

function series(n: number, seed: number, gaps: boolean): number[] {
  const random = mulberry32(seed);
  const y: number[] = [];
  let v = 0;
  for (let i = 0; i < n; ++i) {
    v += random() - 0.5;
    y.push(gaps && random() < 0.01 ? NaN : v);
  }
  if (gaps) for (let i = 0; i < Math.min(50, n); ++i) y[i] = NaN; // a leading gap, like a rolling statistic's warm-up
  return y;
}

test("m4(y, columns) draws the same pixels as the full series: per column the same lowest and highest y, the same breaks", () => {
  for (const [n, columns, seed, gaps] of [
    [10_000, 100, 1, false],
    [10_007, 97, 2, true],
    [86_400, 640, 3, true],
    [5_000, 999, 4, false]
  ] as const) {
    const y = series(n, seed, gaps);
    const idx = m4(y, columns);
    assert.ok(idx.length < n, `fewer points (${idx.length} of ${n})`);
    assert.ok(idx.every((v, k) => k === 0 || v > idx[k - 1]), "ascending, no duplicate");
    const full = raster(Array.from({length: n}, (_, i) => i), y, n, columns);
    const kept = raster(Array.from(idx), Array.from(idx, (i) => y[i]), n, columns);
    assert.equal(kept.runs, full.runs, "the line breaks at the same gaps");
    for (let b = 0; b < columns; ++b) {
      assert.ok(Math.abs(kept.lo[b] - full.lo[b]) < 1e-9 || kept.lo[b] === full.lo[b], `column ${b}: lowest ${kept.lo[b]} vs ${full.lo[b]}`);
      assert.ok(Math.abs(kept.hi[b] - full.hi[b]) < 1e-9 || kept.hi[b] === full.hi[b], `column ${b}: highest ${kept.hi[b]} vs ${full.hi[b]}`);
    }
  }
});

test("m4(y, columns) keeps at most four finite samples per column when there is no gap, and every sample of a short series", () => {
  const y = series(20_000, 5, false);
  assert.ok(m4(y, 200).length <= 800);
  assert.deepEqual(Array.from(m4([3, 1, 2], 1)), [0, 1, 2]);
  // Each column's first, lowest, highest and last sample, in order: 21 samples in 4 columns of
  // 5.25, holding samples 0–5, 6–10, 11–15 and 16–20.
  assert.deepEqual(Array.from(m4([5, 9, 1, 7, 6, 0, 0, 0, 0, 0, 2, 4, 8, 3, 2, 1, 1, 1, 1, 1, 1], 4)), [0, 1, 5, 6, 10, 11, 12, 15, 16, 20]);
  assert.throws(() => m4(y, 0), /invalid columns: 0/);
  assert.throws(() => m4(y, 2.5), /invalid columns: 2.5/);
});
