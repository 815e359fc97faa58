/**
 * The per-venue price-level check: a venue whose price sits far from the other venues' at the
 * same time, or far from its own median, is flagged. Venues quote the same asset, so their
 * prices agree within a fraction of a percent even in a crash; a factor between them is a unit
 * error (prices × 0.045), another instrument under the configured name, or a level shift inside
 * a file — none of which the cleaner's rolling-median outlier test sees once a whole file (or
 * more than half its window) is affected.
 *
 * Input: each venue's last price on a common grid (the overview series: every 10 s, NaN before
 * its first trade). At each step, the reference of a venue is the median price of all venues
 * there when three or more have one (so one wrong venue cannot move it), else the other venue's;
 * a deviation |ln(p / reference)| above `warn` is flagged, above `fail` the day fails (see
 * `QUALITY_LIMITS` in quality.ts). Each venue is also compared with its own median over the
 * span, which catches a shift in a single-venue build: there only a deviation above `fail`
 * counts, since the market itself moves by more than `warn` in a day.
 */
import type {Venue} from "./config.ts";

/** One (venue, UTC day) whose price level is off. */
export interface PriceLevelIssue {
  venue: Venue;
  day: string;
  /** What the price was compared with. */
  against: "the venues' median" | "its own median";
  /** The largest deviation, as the ratio price / reference. */
  ratio: number;
  /** Time of the first step off by more than `warn`, epoch ms. */
  first: number;
  /** Steps off by more than `warn`, of the steps with a price and a reference. */
  steps: number;
  of: number;
  /** Whether the largest deviation is past `fail`. */
  failed: boolean;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const dayOf = (t: number) => new Date(Math.floor(t / 86_400_000) * 86_400_000).toISOString().slice(0, 10);

/**
 * Checks the price levels of `venues`, whose prices `series[i]` share the grid `t0 + k·stepMs`;
 * returns the (venue, day, comparison) whose deviation passes `warn` (|ln ratio|), in venue
 * then day order.
 */
export function priceLevelIssues(venues: readonly Venue[], series: readonly ArrayLike<number>[], t0: number, stepMs: number, limits: {warn: number; fail: number}): PriceLevelIssue[] {
  if (venues.length !== series.length) throw new RangeError(`invalid series: ${series.length} for ${venues.length} venues`);
  const n = series.length ? series[0].length : 0;
  const ok = (p: number) => p > 0 && p < Infinity;
  const own = series.map((s) => {
    const xs: number[] = [];
    for (let k = 0; k < n; ++k) if (ok(s[k])) xs.push(s[k]);
    return xs.length ? median(xs) : NaN;
  });
  const issues: PriceLevelIssue[] = [];
  for (const [i, v] of venues.entries()) {
    const byKey = new Map<string, PriceLevelIssue & {worst: number}>();
    const note = (against: PriceLevelIssue["against"], day: string, t: number, lr: number, threshold: number) => {
      const key = `${day} ${against}`;
      let r = byKey.get(key);
      if (!r) byKey.set(key, (r = {venue: v, day, against, ratio: 1, first: NaN, steps: 0, of: 0, failed: false, worst: 0}));
      ++r.of;
      if (Math.abs(lr) > threshold) {
        ++r.steps;
        if (r.first !== r.first) r.first = t;
      }
      if (Math.abs(lr) > r.worst) (r.worst = Math.abs(lr)), (r.ratio = Math.exp(lr));
    };
    for (let k = 0; k < n; ++k) {
      const p = series[i][k];
      if (!ok(p)) continue;
      const t = t0 + k * stepMs;
      const day = dayOf(t);
      const all: number[] = [];
      for (let j = 0; j < series.length; ++j) if (ok(series[j][k])) all.push(series[j][k]);
      if (all.length >= 3) note("the venues' median", day, t, Math.log(p / median(all)), limits.warn);
      else if (all.length === 2) note("the venues' median", day, t, Math.log(p / (all[0] === p ? all[1] : all[0])), limits.warn);
      if (ok(own[i])) note("its own median", day, t, Math.log(p / own[i]), limits.fail);
    }
    for (const r of byKey.values()) {
      if (r.steps === 0) continue;
      const {worst: _w, ...issue} = r;
      issues.push({...issue, failed: r.worst > limits.fail});
    }
  }
  return issues.sort((a, b) => venues.indexOf(a.venue) - venues.indexOf(b.venue) || a.day.localeCompare(b.day));
}

/** One line about an issue, naming the venue, day and files. */
export function priceLevelMessage(issue: PriceLevelIssue, files: readonly string[], stepMs: number): string {
  const when = new Date(issue.first).toISOString().slice(11, 16);
  const ratio = String(Number(issue.ratio >= 0.1 && issue.ratio < 10 ? issue.ratio.toFixed(3) : issue.ratio.toPrecision(2)));
  return (
    `${issue.venue} ${issue.day} (${files.join(", ") || "no file"}): price level ${ratio}× ${issue.against}` +
    ` (${issue.steps.toLocaleString("en-US")} of ${issue.of.toLocaleString("en-US")} ${stepMs / 1000}-s steps off, from ${when} UTC):` +
    ` a unit error, another instrument or a level shift?`
  );
}
