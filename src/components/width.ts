/**
 * Chart widths. Framework's `width` is the main column's width, which can be 0 for a moment
 * after load (before layout, on a busy machine); a chart drawn then has a non-positive plot
 * area, and Plot writes negative `<rect>` widths. Every chart takes its width through
 * {@link plotWidth}, so it is never narrower than {@link MIN_PLOT_WIDTH}.
 */

/** The narrowest chart drawn, px. */
export const MIN_PLOT_WIDTH = 240;

/** `width` rounded down, and at least {@link MIN_PLOT_WIDTH} (also for 0, negative or non-finite widths). */
export function plotWidth(width: number): number {
  return Number.isFinite(width) && width > MIN_PLOT_WIDTH ? Math.floor(width) : MIN_PLOT_WIDTH;
}
