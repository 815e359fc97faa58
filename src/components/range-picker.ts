/**
 * The range of detail a page works on: a start hour and a length, chosen by the reader, with a
 * status line that shows the detail loading (bytes, range) and when it is ready. Its value is
 * the range [start, end) in epoch ms; it emits "input" when the reader changes it. A page passes
 * `picker.show` to `loadDetail` (src/detail.ts) as its `onState`.
 */

/** What the status line shows (src/detail.ts `DetailState`). */
export interface RangeState {
  phase: "loading" | "ready" | "error";
  range: [number, number];
  bytes: number;
  error?: string;
}

export interface RangePickerOptions {
  /** The span, epoch ms. */
  span: [number, number];
  /** Step of the start choices and unit of the lengths, ms (the detail chunk length). */
  stepMs: number;
  /** The initial range. */
  value: [number, number];
  /** Lengths offered, in steps (those longer than the span are left out). */
  lengths?: number[];
  /** Text before the choices. */
  label?: string;
  /** What the range feeds, shown with the status ("the 1 s bins and 100 ms flow"). */
  what?: string;
}

export type RangePicker = HTMLFormElement & {value: [number, number]; show: (s: RangeState) => void};

const hhmm = (t: number) => new Date(t).toISOString().slice(0, 16).replace("T", " ");
const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

/** A range picker over `span` (see the module comment). */
export function rangePicker({span, stepMs, value, lengths = [1, 2, 3, 6, 12, 24], label = "detail range", what = "the detail"}: RangePickerOptions): RangePicker {
  const [s0, s1] = span;
  const form = document.createElement("form") as RangePicker;
  form.className = "range-picker";
  form.onsubmit = (e) => e.preventDefault();
  const name = document.createElement("span");
  name.className = "range-picker-label";
  name.textContent = `${label}: `;
  const start = document.createElement("select");
  start.name = "start";
  for (let t = s0; t < s1; t += stepMs) start.append(new Option(`${hhmm(t)} UTC`, String(t)));
  const length = document.createElement("select");
  length.name = "length";
  const spanSteps = Math.ceil((s1 - s0) / stepMs);
  for (const n of lengths.filter((n) => n <= spanSteps)) length.append(new Option(`${(n * stepMs) / 3_600_000} h`, String(n)));
  if (length.options.length === 0) length.append(new Option(`${((s1 - s0) / 3_600_000).toFixed(1)} h`, String(spanSteps)));
  const status = detailStatus(what);
  form.append(name, start, " for ", length, " ", status);

  const set = ([a, b]: [number, number]) => {
    const k = Math.max(0, Math.min(spanSteps - 1, Math.floor((a - s0) / stepMs)));
    start.value = String(s0 + k * stepMs);
    const want = Math.max(1, Math.round((b - a) / stepMs));
    const options = [...length.options].map((o) => Number(o.value));
    length.value = String(options.reduce((best, n) => (Math.abs(n - want) < Math.abs(best - want) ? n : best), options[0]));
  };
  const get = (): [number, number] => {
    const a = Number(start.value);
    return [a, Math.min(s1, a + Number(length.value) * stepMs)];
  };
  set(value);
  Object.defineProperty(form, "value", {get, set});
  for (const el of [start, length]) el.addEventListener("change", () => form.dispatchEvent(new Event("input", {bubbles: true})));
  form.show = status.show;
  return form;
}

export type DetailStatus = HTMLSpanElement & {show: (s: RangeState) => void};

/** The status line of a detail load on its own (`what`: what is loaded), for detail fetched without a picker. */
export function detailStatus(what: string, idle = ""): DetailStatus {
  const status = document.createElement("span") as DetailStatus;
  status.className = "range-status";
  status.dataset.state = "idle";
  status.dataset.what = what;
  status.textContent = idle;
  status.show = (s: RangeState) => {
    status.dataset.state = s.phase;
    const range = `${hhmm(s.range[0])}–${s.range[1] - s.range[0] >= 86_400_000 ? hhmm(s.range[1]) : hhmm(s.range[1]).slice(11)} UTC`;
    status.textContent =
      s.phase === "loading"
        ? `loading ${what} of ${range}${s.bytes > 0 ? ` (${mb(s.bytes)})` : ""}…`
        : s.phase === "ready"
          ? `${what} of ${range} loaded${s.bytes > 0 ? ` (${mb(s.bytes)})` : " (cached)"}`
          : `${what} of ${range} failed to load: ${s.error ?? "unknown error"}`;
  };
  return status;
}
