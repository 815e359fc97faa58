/**
 * What a simulated market planted, in words, for the sentences that say so (page 06's limitations):
 * "crash" when a crash was planted (`crashEvents`), "leader switch" when the leader schedule names
 * two or more different leaders ("leader" when it names one), "wells" when the calm barrier of the
 * price wells is positive. Empty when none of these was planted (a calm market with no lead–lag and
 * no wells). Pure: reads `truth.json`'s fields only.
 */
import {crashEvents, type SimTruth} from "./truth.js";

export function plantedStructure(truth: Pick<SimTruth, "events" | "leadLag" | "wells">): string[] {
  const out: string[] = [];
  if (crashEvents(truth)) out.push("crash");
  const leaders = new Set(truth.leadLag.schedule.map((s) => s.leader).filter((l) => l !== null));
  if (leaders.size > 1) out.push("leader switch");
  else if (leaders.size === 1) out.push("leader");
  if (truth.wells.barrierOverNoiseCalm > 0) out.push("wells");
  return out;
}
