/**
 * Chapter 03's rolling transfer entropy (`InformationFlow.rolling`, one value per window, pair
 * and channel) cut by time, so that it is published as hour chunks (loaders/pages/chapters.ts
 * `chapter03Series`, the mechanism of the 1 s bins) and page 03 reads the windows of the range its
 * reader selects instead of the whole span. The rolling result splits into
 *
 * - its head, kept in `ch03.json`: the window, step, surrogate count and k, the number of windows,
 *   and what the page says of the whole span — per channel, the leaders of the windows that overlap
 *   the planted crash against those of the others ({@link crashLeadership}, computed on every window);
 * - one slice per chunk: the windows whose drawn step [end − step, end) starts in the chunk, with
 *   their ends, every pair's plug-in and effective TE and p-value, the leader and the net scores.
 *
 * Joining the slices of a range gives the rolling result of those windows, value for value the
 * build's (the numbers are copied, not recomputed).
 */
import {CHANNELS, crashLeadership, type Channel, type CrashLeadership, type CrashSpan, type Rolling, type RollingChannel} from "./ch03.js";

/** What `ch03.json` keeps of the rolling TE (see the module comment). */
export interface RollingHead extends Omit<Rolling, "end" | "channels"> {
  /** Windows over the span. */
  windows: number;
  /** Per channel: the leaders of the windows that overlap the planted crash and of the others, over every window of the span. */
  crash: Record<Channel, CrashLeadership>;
}

/** The windows of one chunk: their ends and, per channel, every pair's values, the leader and the net scores of those windows. */
export type RollingSlice = Pick<Rolling, "end" | "channels">;

/** The head of `rolling` (see the module comment), with the crash leadership against `crash`. */
export function rollingHead(rolling: Rolling, crash: CrashSpan | null): RollingHead {
  const {end, channels: _c, ...rest} = rolling;
  return {...rest, windows: end.length, crash: Object.fromEntries(CHANNELS.map((c) => [c, crashLeadership({rolling}, c, crash)])) as Record<Channel, CrashLeadership>};
}

/** Windows [a, b) of a channel. */
function sliceChannel(c: RollingChannel, a: number, b: number): RollingChannel {
  return {
    pairs: c.pairs.map((p) => ({source: p.source, target: p.target, te: p.te.slice(a, b), effective: p.effective.slice(a, b), pValue: p.pValue.slice(a, b)})),
    leader: c.leader.slice(a, b),
    score: Object.fromEntries(Object.entries(c.score).map(([v, s]) => [v, s.slice(a, b)]))
  };
}

/**
 * `rolling` cut into one slice per chunk of `chunkMs` from `t0` up to `t1`: window w (ending at
 * `end[w]`, drawn over the step before it) goes to the chunk that holds `end[w] − stepSec`.
 */
export function sliceRolling(rolling: Rolling, [t0, t1]: readonly [number, number], chunkMs: number): RollingSlice[] {
  const stepMs = rolling.stepSec * 1000;
  const chunks = Math.ceil((t1 - t0) / chunkMs);
  const chunkOf = (e: number) => Math.floor((e - stepMs - t0) / chunkMs);
  const out: RollingSlice[] = [];
  let w = 0;
  for (let k = 0; k < chunks; ++k) {
    const a = w;
    while (w < rolling.end.length && chunkOf(rolling.end[w]) <= k) ++w;
    if (a < w && chunkOf(rolling.end[a]) < k) throw new RangeError(`invalid rolling windows: window ${a} ends at ${rolling.end[a]}, before chunk ${k}`);
    out.push({end: rolling.end.slice(a, w), channels: Object.fromEntries(CHANNELS.map((c) => [c, sliceChannel(rolling.channels[c], a, w)])) as Rolling["channels"]});
  }
  if (w < rolling.end.length) throw new RangeError(`invalid rolling windows: window ${w} ends at ${rolling.end[w]}, after the span's end ${t1}`);
  return out;
}

/** The rolling result of the windows of `slices` (consecutive chunks, in time order) with the head's settings. */
export function joinRolling(head: Pick<RollingHead, "windowSec" | "stepSec" | "surrogates" | "k">, slices: readonly RollingSlice[]): Rolling {
  const {windowSec, stepSec, surrogates, k} = head;
  const end = slices.flatMap((s) => s.end);
  for (let w = 1; w < end.length; ++w) if (!(end[w] > end[w - 1])) throw new RangeError(`invalid rolling slices: window ends ${end[w - 1]}, ${end[w]} are not increasing (slices out of order)`);
  const channels = {} as Rolling["channels"];
  for (const c of CHANNELS) {
    const parts = slices.map((s) => s.channels[c]);
    const first = parts.find((p) => p.pairs.length > 0) ?? parts[0];
    const pairs = (first?.pairs ?? []).map((p, i) => ({
      source: p.source,
      target: p.target,
      te: parts.flatMap((q) => q.pairs[i]?.te ?? []),
      effective: parts.flatMap((q) => q.pairs[i]?.effective ?? []),
      pValue: parts.flatMap((q) => q.pairs[i]?.pValue ?? [])
    }));
    const score = Object.fromEntries(Object.keys(first?.score ?? {}).map((v) => [v, parts.flatMap((q) => q.score[v] ?? [])]));
    channels[c] = {pairs, leader: parts.flatMap((q) => q.leader), score};
  }
  return {windowSec, stepSec, surrogates, k, end, channels};
}
