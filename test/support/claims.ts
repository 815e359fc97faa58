/**
 * Wordings of claims as the pages, the report and the key findings print them when the computed
 * outcome makes the claim, so that a build whose outcome is "none" can be checked for not printing
 * them. Each pattern is taken from a sentence the default build prints (test/site/null-markets.test.ts
 * runs every pattern against such a sentence, so a pattern that stopped matching its claim fails).
 */

export const VENUE = "(Binance|Bybit|OKX|Coinbase)";
const V = `${VENUE}(?: \\((?:spot|perpetual)\\))?`;

/**
 * Wordings that name a leader: "X leads", "X's trades lead", "names X", "naming X", "reference
 * price from X", "key its quotes to X", "switch to X", "the largest resolved lead … is X's",
 * "X follows", "the leadership flips", "spot follows/leads".
 */
export const NAMES_LEADER = new RegExp(
  [
    `\\b${V}('s trades)? leads\\b`,
    `names ${VENUE}`,
    `naming ${VENUE}`,
    `reference price from ${VENUE}`,
    `key its quotes to ${VENUE}`,
    `switch to ${VENUE}`,
    `largest resolved lead on trade times is ${VENUE}'s`,
    `\\b${VENUE} follows\\b`,
    "leadership flips",
    "spot (follows|leads)"
  ].join("|")
);

/** Wordings that state a regime transition: regime changes located, transitions counted, change points found or shown. */
export const STATES_TRANSITION = new RegExp(
  [
    "locates regime changes [1-9]\\d* time",
    "\\b[1-9]\\d* (of \\d+ )?regime transitions?\\b",
    "\\bregime transitions? —.*?\\b[1-9]\\d* in all\\b",
    "\\b[1-9]\\d* significant (volatility )?change(s\\b| points?\\b|\\(s\\))",
    "\\breports [1-9]\\d* volatility change",
    "\\b[1-9]\\d* event\\(s\\)",
    "find [1-9]\\d* of \\d+ planted changes",
    "regime transitions lie within"
  ].join("|")
);

/** Wordings that state an early warning: "a significant early warning", "critical slowing down did rise". */
export const STATES_EARLY_WARNING = /a significant early warning|critical slowing down did rise|cut exposure when (both indicators trend|the variance trends) up/;

/**
 * Wordings that state a significant coincidence: "(Benjamini–Hochberg) q = 0.008: significant",
 * "all three kinds coincide at k", "at k of n planted changes … a regime transition, an entropy drop
 * and a metastability breakdown all lie within …", "— k of n transitions here" (the trading
 * implication of a triple coincidence), "the coincidence is significant here", "(k of n transitions,
 * p = …) — is significant here" (the report's joint signal). A count of coincidences that is not significant is no claim.
 */
export const STATES_COINCIDENCE = new RegExp(
  [
    "\\bq = [0-9.]+: significant\\b",
    "all three kinds coincide at [1-9]",
    "\\b[1-9]\\d* of \\d+ planted changes( \\(p = [0-9.]+\\))? a regime transition",
    "\\b[1-9]\\d* of \\d+ transitions here\\b",
    "coincidence is significant here",
    "\\([1-9]\\d* of \\d+ transitions, p = [0-9.]+\\) — is significant"
  ].join("|")
);

/** Wordings that state a leadership flip: "finds a leadership flip", "the leadership flips", "changes with the regime", "switch to X", a planted "leader switch". */
export const STATES_FLIP = new RegExp(["finds a leadership flip", "leadership flips", "leader changes with the regime", `switch to ${VENUE}`, "leader switch"].join("|"));

/** A text split into sentences (at sentence ends and line breaks), trimmed, empty ones dropped. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The sentences of `text` that match `pattern`. */
export function claimsIn(text: string, pattern: RegExp): string[] {
  return sentences(text).filter((s) => pattern.test(s));
}
