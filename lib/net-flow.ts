/**
 * Net order flow of a time bin, defined once for every chapter and page. Two definitions:
 *
 * - `count`: the net signed trade count  F = n_buy − n_sell  (buyer-initiated minus
 *   seller-initiated trades in the bin; unit: trades);
 * - `volume`: the net signed volume  F = v_buy − v_sell  (BTC bought minus BTC sold by the
 *   aggressors in the bin; COIN-M contracts are converted to BTC when read).
 *
 * Trades of unknown side count in neither. The ternary flow symbol (lib/symbolize.ts
 * `flowSymbols`) is the sign of F, so the two definitions differ only where a few large trades
 * face many small ones. The default is `count` (argued in docs/methodology.md, "Order flow as
 * symbols"). Reference: J.-P. Bouchaud, J. Bonart, J. Donier and M. Gould, "Trades, Quotes and
 * Prices" (Cambridge, 2018), ch. 10 (order-flow imbalance by count and by volume).
 */

/** The definitions of net flow. */
export const FLOW_DEFINITIONS = ["count", "volume"] as const;
export type FlowDefinition = (typeof FLOW_DEFINITIONS)[number];

/** The definition every chapter uses unless told otherwise. */
export const DEFAULT_FLOW: FlowDefinition = "count";

/** Each definition in words, as captions name it. */
export const FLOW_LABELS: Record<FlowDefinition, string> = {
  count: "net signed trade count (buyer- minus seller-initiated trades per bin)",
  volume: "net signed volume (BTC bought minus BTC sold by aggressors per bin)"
};

/** The short name of a definition: "net signed trade count" or "net signed volume". */
export function flowName(definition: FlowDefinition): string {
  return definition === "count" ? "net signed trade count" : "net signed volume";
}

/** The bin columns the two definitions read (volumes only for `volume`). */
export interface FlowBinColumns {
  length: number;
  n_buy: ArrayLike<number>;
  n_sell: ArrayLike<number>;
  v_buy?: ArrayLike<number>;
  v_sell?: ArrayLike<number>;
}

/** Whether `x` is a flow definition. */
export function isFlowDefinition(x: unknown): x is FlowDefinition {
  return (FLOW_DEFINITIONS as readonly unknown[]).includes(x);
}

/**
 * The net flow F of every bin under `definition` (see the module comment). RangeError for an
 * unknown definition, or for `volume` when the bins carry no volumes.
 */
export function netFlow(bins: FlowBinColumns, definition: FlowDefinition = DEFAULT_FLOW): Float64Array {
  if (!isFlowDefinition(definition)) throw new RangeError(`invalid flow definition: ${String(definition)} (one of ${FLOW_DEFINITIONS.join(", ")})`);
  const [a, b] = definition === "count" ? [bins.n_buy, bins.n_sell] : [bins.v_buy, bins.v_sell];
  if (!a || !b) throw new RangeError("invalid bins: no v_buy/v_sell columns for the net signed volume");
  const net = new Float64Array(bins.length);
  for (let i = 0; i < bins.length; ++i) net[i] = a[i] - b[i];
  return net;
}
