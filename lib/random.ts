/**
 * Seeded pseudo-random numbers.
 *
 * `mulberry32` is a small, fast 32-bit generator (Tommy Ettinger's Mulberry32) good enough for
 * simulation and surrogate shuffles; it is deterministic across platforms because it only
 * uses 32-bit integer arithmetic (`Math.imul`, unsigned shifts).
 */

/** Returns a function giving uniform numbers in [0, 1) from a 32-bit integer seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return function random() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle of `array` in place using `random`; returns the array. */
export function shuffle<T extends {length: number; [i: number]: any}>(array: T, random: () => number): T {
  for (let i = array.length - 1; i > 0; --i) {
    const j = Math.floor(random() * (i + 1));
    const t = array[i];
    array[i] = array[j];
    array[j] = t;
  }
  return array;
}

/** A standard normal draw (Marsaglia's polar method) from a uniform generator. */
export function randomNormal(random: () => number): number {
  let u: number, v: number, s: number;
  do {
    u = 2 * random() - 1;
    v = 2 * random() - 1;
    s = u * u + v * v;
  } while (s >= 1 || s === 0);
  return u * Math.sqrt((-2 * Math.log(s)) / s);
}

/** An exponential draw with the given rate (mean 1/rate) by inversion. */
export function randomExponential(random: () => number, rate = 1): number {
  return -Math.log(1 - random()) / rate;
}

/** A Pareto (type I) draw with minimum `xm` and tail exponent `alpha`: P(X > x) = (xm/x)^alpha. */
export function randomPareto(random: () => number, xm: number, alpha: number): number {
  return xm / Math.pow(1 - random(), 1 / alpha);
}

/** Derives an independent 32-bit seed from a base seed and a stream label (FNV-1a hash of both). */
export function deriveSeed(seed: number, label: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  h = Math.imul(h, 0x01000193);
  h ^= Math.floor(seed / 4294967296) >>> 0;
  h = Math.imul(h, 0x01000193);
  for (let i = 0; i < label.length; ++i) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A source of standard normal draws by Marsaglia's polar method that uses both values of each
 * pair: a call returns the first and keeps the second for the next call, so two draws cost one
 * accepted pair of uniforms from `random` (Marsaglia & Bray 1964).
 */
export function normalSource(random: () => number): () => number {
  let spare = NaN;
  return function normal() {
    if (spare === spare) {
      const z = spare;
      spare = NaN;
      return z;
    }
    let u: number, v: number, q: number;
    do {
      u = 2 * random() - 1;
      v = 2 * random() - 1;
      q = u * u + v * v;
    } while (q >= 1 || q === 0);
    const m = Math.sqrt((-2 * Math.log(q)) / q);
    spare = v * m;
    return u * m;
  };
}
