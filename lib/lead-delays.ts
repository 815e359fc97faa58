/**
 * Delays of several series behind the fastest one from their pairwise lead times.
 */

/** One measured lead: `a` moves `lead` time units before `b` (negative: `b` first). */
export interface PairLead<K extends string> {
  a: K;
  b: K;
  lead: number;
}

/**
 * Least-squares delays from pairwise leads L(a → b) ≈ d_b − d_a on a complete graph of m
 * series: with Σ d = 0 the normal equations give d_v = (1/m)·(Σ_{w} L(w → v) − Σ_{w} L(v → w)),
 * each lead entering once with its orientation. The delays are then shifted so the smallest is
 * 0; that series is the leader (the first in `keys` order among ties). Units of the leads (e.g.
 * ms). Exact for consistent leads (L(a → b) = d_b − d_a for all pairs); with every pair measured
 * once it is the ordinary least-squares solution of the overdetermined system L = D·d (D the
 * incidence matrix of the complete graph, DᵀD = m·I − 11ᵀ).
 *
 * RangeError for an empty `keys`, or a lead naming a key not in `keys`.
 */
export function leadDelays<K extends string>(keys: readonly K[], leads: readonly PairLead<K>[]): {delays: Record<K, number>; leader: K} {
  if (!keys.length) throw new RangeError("invalid keys: empty");
  const m = keys.length;
  const d = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const {a, b, lead} of leads) {
    if (!(a in d)) throw new RangeError(`invalid lead: ${a} is not a key`);
    if (!(b in d)) throw new RangeError(`invalid lead: ${b} is not a key`);
    d[b] += lead / m;
    d[a] -= lead / m;
  }
  const leader = keys.reduce((x, k) => (d[k] < d[x] ? k : x), keys[0]);
  const min = d[leader];
  return {delays: Object.fromEntries(keys.map((k) => [k, d[k] - min])) as Record<K, number>, leader};
}
