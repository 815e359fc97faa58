/**
 * The analysis periods of a span: the whole span and, for a simulated market, the intervals of
 * the planted leader schedule (before the crash, crash, after the crash). Periods are named by a
 * typed id; prose takes its words from {@link periodLabel}.
 */
import {crashEvents, type SimTruth} from "./truth.js";
import type {Delays, Venue} from "./venues.js";

/** Period ids, in time order after "full". */
export const PERIOD_IDS = ["full", "before-crash", "crash", "after-crash"] as const;
export type PeriodId = (typeof PERIOD_IDS)[number];

const LABELS: Record<PeriodId, string> = {full: "full span", "before-crash": "before the crash", crash: "crash", "after-crash": "after the crash"};

/** The words for a period in prose: "full span", "before the crash", "crash", "after the crash". */
export function periodLabel(id: PeriodId): string {
  return LABELS[id];
}

/** One analysed interval [start, end) in epoch ms, with what was planted in it (simulated data). */
export interface Period {
  id: PeriodId;
  start: number;
  end: number;
  /** The planted leader (null: no single venue leads) and every venue's delay, ms; null for the full span and for real data. */
  planted: {leader: Venue | null; delaysMs: Delays} | null;
}

/** Options of {@link schedulePeriods}. */
export interface ScheduleOptions {
  /** Drop this many ms at the start of every interval but the first (the delays move during the transition); default 0. */
  trimMs?: number;
  /** Leave out intervals shorter than this after trimming, ms; default 0 (empty ones are always left out). */
  minMs?: number;
}

/**
 * The intervals of the planted leader schedule, each named by where it lies against the planted
 * crash: "before-crash" (ends by the crash start), "crash" (starts before the crash end), else
 * "after-crash". For real data (no truth, or no schedule) the whole span as "full"; for a market
 * planted without a crash, the whole span as "full" with its planted leader.
 */
export function schedulePeriods(truth: SimTruth | null, span: [number, number], {trimMs = 0, minMs = 0}: ScheduleOptions = {}): Period[] {
  const schedule = truth?.leadLag?.schedule ?? [];
  if (!truth || !schedule.length) return [fullPeriod(span)];
  const crash = crashEvents(truth);
  // A market planted calm throughout: one period over the whole span, with its planted leader.
  if (!crash) return [{id: "full", start: span[0], end: span[1], planted: {leader: schedule[0].leader, delaysMs: {...schedule[0].delaysMs}}}];
  const {crashStart, crashEnd} = crash;
  const out: Period[] = [];
  // A span narrowed inside the simulated days (CVE_FROM/CVE_TO) keeps the part of each interval inside it.
  schedule.forEach((s, i) => {
    const start = Math.max(span[0], i === 0 ? s.start : s.start + trimMs);
    const end = Math.min(span[1], s.end);
    if (!(end > start && end - start >= minMs)) return;
    const id: PeriodId = s.end <= crashStart ? "before-crash" : s.start < crashEnd ? "crash" : "after-crash";
    out.push({id, start, end, planted: {leader: s.leader, delaysMs: {...s.delaysMs}}});
  });
  return out;
}

/** The whole span as one period. */
export function fullPeriod(span: [number, number]): Period {
  return {id: "full", start: span[0], end: span[1], planted: null};
}
