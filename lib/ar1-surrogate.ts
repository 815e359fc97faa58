/**
 * AR(1) surrogates: series from the first-order autoregressive model fitted to the data — same
 * mean, variance and lag-1 autocorrelation, stationary by construction.
 */
import {acf} from "./acf.js";
import {randomNormal} from "./random.js";

/** A fitted AR(1) model xₜ − μ = φ (xₜ₋₁ − μ) + σ εₜ, εₜ i.i.d. N(0, 1). */
export interface AR1Fit {
  /** Mean μ, in the units of x. */
  mean: number;
  /** Lag-1 coefficient φ, |φ| < 1. */
  phi: number;
  /** Innovation SD σ, in the units of x. */
  sigma: number;
  /** Stationary variance σ²/(1 − φ²) (= the sample variance, denominator n). */
  variance: number;
}

/**
 * Fits an AR(1) model to `x` by Yule–Walker: φ = ρ(1) (the sample autocorrelation of
 * lib/acf.ts), stationary variance the sample variance c(0) (denominator n) and innovation
 * variance σ² = c(0)(1 − φ²). The Yule–Walker φ always has |φ| < 1 (the biased ACF is positive
 * definite), so the fitted model is stationary; it is biased towards 0 by about (1 + 3φ)/n
 * (Shaman & Stine 1988, J. Amer. Statist. Assoc. 83: 842). A constant series gives φ = 0, σ = 0.
 * Throws a RangeError for fewer than two samples or a non-finite one.
 * Reference: Box, Jenkins & Reinsel, Time Series Analysis, §3.2.2.
 */
export function fitAR1(x: ArrayLike<number>): AR1Fit {
  const n = x.length;
  if (n < 2) throw new RangeError(`invalid x length: ${n}`);
  const rho = acf(x, 1);
  let mean = 0;
  for (let i = 0; i < n; ++i) mean += (+x[i] - mean) / (i + 1);
  let c0 = 0;
  for (let i = 0; i < n; ++i) c0 += (+x[i] - mean) ** 2;
  c0 /= n;
  if (!(c0 > 0)) return {mean, phi: 0, sigma: 0, variance: 0};
  const phi = rho[1];
  return {mean, phi, sigma: Math.sqrt(c0 * (1 - phi * phi)), variance: c0};
}

/**
 * One AR(1) surrogate of length n from a fitted model, drawn with `random` (a generator from
 * lib/random.ts, e.g. `mulberry32(seed)`), written into `out` (allocated when omitted):
 *
 *   y₀ = μ + √variance · ε₀,   yₜ = μ + φ (yₜ₋₁ − μ) + σ εₜ,
 *
 * started from the stationary distribution, so every sample has the model's mean and variance and
 * the lag-1 autocorrelation is φ at every time: a stationary null with the data's short memory,
 * the null of trends in early-warning indicators (Dakos et al. 2012, PLoS ONE 7: e41010).
 * Gaussian: heavy tails and nonlinear structure of the data are not kept.
 * Throws a RangeError for an invalid n or an `out` of another length.
 */
export function ar1Surrogate(fit: AR1Fit, n: number, random: () => number, out?: Float64Array): Float64Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`invalid n: ${n}`);
  if (!(Math.abs(fit.phi) < 1)) throw new RangeError(`invalid phi: ${fit.phi}`);
  const y = out ?? new Float64Array(n);
  if (y.length !== n) throw new RangeError(`invalid out length: ${y.length} (n is ${n})`);
  if (n === 0) return y;
  const {mean, phi, sigma} = fit;
  let d = Math.sqrt(fit.variance) * randomNormal(random);
  y[0] = mean + d;
  for (let t = 1; t < n; ++t) {
    d = phi * d + sigma * randomNormal(random);
    y[t] = mean + d;
  }
  return y;
}
