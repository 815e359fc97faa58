/**
 * Timing Observable Framework pages in Chromium: when every cell has rendered after a
 * navigation, and how long a recompute takes after an input changes.
 *
 * Framework 1.13 shows nothing for a pending block cell, so the DOM alone cannot say when a page
 * is done. An init script ({@link PROBE}, run before the page's own scripts) therefore
 * - captures the Observable runtime when it is constructed (the `Runtime` constructor defines its
 *   private fields `_variables`, `_computing`, … in one `Object.defineProperties` call, which the
 *   probe recognises), and
 * - records the time of the last DOM mutation anywhere in the document (`performance.now()`, ms
 *   since the navigation started).
 * A page is rendered when the runtime is idle — no computation scheduled and the promise of every
 * reachable variable settled — and the DOM has been quiet for `quietMs`; the figure is the time
 * of the last mutation, so the quiet period itself is not counted.
 *
 * The page-side code is plain JavaScript in strings: functions transpiled by tsx may carry helper
 * calls that do not exist in the page.
 */
import type {Page} from "playwright-core";

/** Init script: the runtime capture and the mutation clock. */
export const PROBE = `(() => {
  window.__cveLast = 0;
  window.__cveMutations = 0;
  const defineProperties = Object.defineProperties;
  Object.defineProperties = function (o, props) {
    const r = defineProperties.call(Object, o, props);
    if (!window.__cveRuntime && props && "_variables" in props && "_computing" in props) window.__cveRuntime = o;
    return r;
  };
  new MutationObserver((records) => {
    window.__cveLast = performance.now();
    window.__cveMutations += records.length;
  }).observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
})()`;

/** Resolves, in the page, once the runtime is idle and the DOM quiet: {last, mutations, runtime}; last = -1 on timeout. */
const WAIT_IDLE = `(({quietMs, timeoutMs}) => {
  const settled = new WeakSet();
  const watched = new WeakSet();
  const busy = () => {
    const rt = window.__cveRuntime;
    if (!rt) return false;
    if (rt._computing) return true;
    let pending = false;
    for (const v of rt._variables) {
      if (!v._reachable) continue;
      const p = v._promise;
      if (!watched.has(p)) {
        watched.add(p);
        p.then(() => settled.add(p), () => settled.add(p));
      }
      if (!settled.has(p)) pending = true;
    }
    return pending;
  };
  const start = performance.now();
  const report = (last) => ({last, mutations: window.__cveMutations, runtime: !!window.__cveRuntime});
  return new Promise((resolve) => {
    const quiet = () => !busy() && performance.now() - window.__cveLast >= quietMs;
    const tick = () => {
      if (performance.now() - start > timeoutMs) return resolve(report(-1));
      if (!quiet()) return void setTimeout(tick, 10);
      // Settle callbacks of promises seen for the first time run after this task: look once more.
      setTimeout(() => (quiet() ? resolve(report(window.__cveLast)) : tick()), 0);
    };
    tick();
  });
})`;

/**
 * Prepares a change of one input of the main column as a user makes it from the keyboard: focuses
 * it (without scrolling), arms a capturing keydown listener that stamps the time of the key press,
 * and returns the key that changes it, or null when there is no such input. By default (`index`
 * null) the input is the first range or select (not a detail range picker's, whose change fetches before it recomputes); with an `index`, the index-th of every range,
 * select and radio group (see {@link LIST_INPUTS}). A range moves one step, alternating up and
 * down; a select picks the next option (the first after the last); a radio group the next radio
 * (arrow keys wrap around the group).
 *
 * The key press is a real (trusted) event: the browser then fires input and change as for any
 * user. Events made in the page with dispatchEvent are untrusted, and @observablehq/inputs relays
 * an untrusted change of a select or radio group as a second input, so that every such change
 * was computed twice; a user's change is computed once.
 */
const PREPARE_INPUT = `(({round, index}) => {
  const all = () => [...document.querySelectorAll("main input[type=range], main select, main form")].filter((e) => e.tagName !== "FORM" || e.querySelector("input[type=radio]"));
  // By default the first input that recomputes; a detail range picker's selects (which fetch before recomputing) only by index.
  const el = index === null ? document.querySelector("main input[type=range], main select:not(.range-picker select)") : all()[index];
  if (!el) return null;
  let key;
  let target = el;
  if (el instanceof HTMLSelectElement) {
    key = el.selectedIndex === el.options.length - 1 ? "Home" : "ArrowDown";
  } else if (el.tagName === "FORM") {
    const radios = [...el.querySelectorAll("input[type=radio]")];
    target = radios.find((r) => r.checked) || radios[0];
    key = "ArrowRight";
  } else {
    const min = Number(el.min || 0), max = Number(el.max || 100), v = Number(el.value);
    const step = el.step === "any" || !el.step ? (max - min) / 100 : Number(el.step);
    const up = round % 2 === 0 ? v + step <= max : !(v - step >= min);
    key = up ? "ArrowRight" : "ArrowLeft";
  }
  window.__cveInput = el;
  window.__cveT0 = NaN;
  target.focus({preventScroll: true});
  addEventListener("keydown", () => { window.__cveT0 = performance.now(); }, {capture: true, once: true});
  return key;
})`;

/** After the key press: {t0, input}, the time of the key press and the input with its new value. */
const CHANGED_INPUT = `(() => {
  const el = window.__cveInput;
  const labelOf = (e) => {
    const form = e.closest("form");
    const label = form && form.querySelector("label");
    return JSON.stringify((label && label.textContent) || e.name || "");
  };
  let input;
  if (el instanceof HTMLSelectElement) input = "select " + JSON.stringify((el.labels && el.labels[0] && el.labels[0].textContent) || el.name) + " → " + el.value;
  else if (el.tagName === "FORM") {
    const r = [...el.querySelectorAll("input[type=radio]")].find((x) => x.checked);
    input = "radio " + labelOf(el) + " → " + (r && r.closest("label") ? r.closest("label").textContent : r ? r.value : "");
  } else input = "range " + labelOf(el) + " → " + el.value;
  return {t0: window.__cveT0, input};
})()`;

/** Number of ranges, selects and radio groups of the main column, in document order (the indexes {@link recomputeMs} takes). */
const LIST_INPUTS = `[...document.querySelectorAll("main input[type=range], main select, main form")].filter((e) => e.tagName !== "FORM" || e.querySelector("input[type=radio]")).length`;

/** How many inputs {@link recomputeMs} can change by index on the page. */
export function inputCount(page: Page): Promise<number> {
  return page.evaluate(LIST_INPUTS) as Promise<number>;
}

/** The state of the index-th input (selected index, checked radio or range value), for {@link restoreInput}. */
export function inputState(page: Page, index: number): Promise<string> {
  return page.evaluate(`((index) => {
    const el = [...document.querySelectorAll("main input[type=range], main select, main form")].filter((e) => e.tagName !== "FORM" || e.querySelector("input[type=radio]"))[index];
    if (el instanceof HTMLSelectElement) return String(el.selectedIndex);
    if (el.tagName === "FORM") return String([...el.querySelectorAll("input[type=radio]")].findIndex((r) => r.checked));
    return el.value;
  })(${index})`) as Promise<string>;
}

/** Puts the index-th input back to a state of {@link inputState} and waits until the page has settled (not timed). */
export async function restoreInput(page: Page, index: number, state: string, quietMs = 300, timeoutMs = 120_000): Promise<void> {
  const changed = await page.evaluate(`(({index, state}) => {
    const el = [...document.querySelectorAll("main input[type=range], main select, main form")].filter((e) => e.tagName !== "FORM" || e.querySelector("input[type=radio]"))[index];
    let target = el;
    if (el instanceof HTMLSelectElement) {
      if (String(el.selectedIndex) === state) return false;
      el.selectedIndex = Number(state);
    } else if (el.tagName === "FORM") {
      target = el.querySelectorAll("input[type=radio]")[Number(state)];
      if (target.checked) return false;
      target.checked = true;
    } else {
      if (el.value === state) return false;
      el.value = state;
    }
    target.dispatchEvent(new Event("input", {bubbles: true}));
    target.dispatchEvent(new Event("change", {bubbles: true}));
    return true;
  })(${JSON.stringify({index, state})})`);
  if (changed) await idle(page, quietMs, timeoutMs);
}

interface Idle {
  last: number;
  mutations: number;
  runtime: boolean;
}

const idle = (page: Page, quietMs: number, timeoutMs: number) =>
  page.evaluate(`${WAIT_IDLE}(${JSON.stringify({quietMs, timeoutMs})})`) as Promise<Idle>;

/** Ms from the start of the navigation to the last DOM change once every cell has settled (Infinity on timeout). */
export async function renderedMs(page: Page, quietMs = 300, timeoutMs = 120_000): Promise<number> {
  const r = await idle(page, quietMs, timeoutMs);
  if (!r.runtime) throw new Error("the Observable runtime was not captured (is the probe installed with addInitScript?)");
  return r.last < 0 ? Infinity : r.last;
}

/**
 * Changes the first range or select input of the page, or with `index` the index-th input of
 * {@link inputCount}, by a key press (see {@link PREPARE_INPUT}), and returns the ms from the change to the last
 * DOM change once every cell has settled again: NaN when nothing in the page changed, Infinity on
 * timeout; undefined when the page has no such input.
 */
export async function recomputeMs(page: Page, round: number, quietMs = 300, timeoutMs = 120_000, index: number | null = null): Promise<{ms: number; input: string} | undefined> {
  const key = (await page.evaluate(`${PREPARE_INPUT}(${JSON.stringify({round, index})})`)) as string | null;
  if (!key) return undefined;
  await page.keyboard.press(key);
  const c = (await page.evaluate(CHANGED_INPUT)) as {t0: number; input: string};
  const r = await idle(page, quietMs, timeoutMs);
  return {ms: r.last < 0 ? Infinity : r.last > c.t0 ? r.last - c.t0 : NaN, input: c.input};
}

/** Self time of one function (or of a whole script) in a CPU profile, ms. */
export interface ProfileEntry {
  name: string;
  ms: number;
}

/**
 * Repeats {@link recomputeMs} under Chromium's sampling CPU profiler (DevTools protocol,
 * 100 µs interval) and returns the self time of the busiest functions and scripts (paths below
 * the site root, without `_node/` and the content hash), to show what dominates a recompute.
 * "(program)" is the browser's own work outside JavaScript (style, layout, paint, parsing) and,
 * with "(idle)", spans the whole profiled window, including the quiet period that ends it.
 */
export async function profileRecompute(page: Page, round: number, top = 8, index: number | null = null): Promise<{functions: ProfileEntry[]; scripts: ProfileEntry[]; ms: number} | undefined> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", {interval: 100});
    await cdp.send("Profiler.start");
    const r = await recomputeMs(page, round, undefined, undefined, index);
    const {profile} = await cdp.send("Profiler.stop");
    if (!r) return undefined;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const fn = new Map<string, number>();
    const script = new Map<string, number>();
    const deltas = profile.timeDeltas ?? [];
    (profile.samples ?? []).forEach((id, i) => {
      const f = byId.get(id)!.callFrame;
      const file = f.url
        ? f.url.replace(/^[a-z]+:\/\/[^/]+\//, "").replace(/^_node\//, "").replace(/\.[0-9a-f]{8}\.js$/, ".js")
        : f.functionName.startsWith("(") ? f.functionName : "(native)";
      const ms = (deltas[i] ?? 0) / 1000;
      const name = `${f.functionName || "(anonymous)"} ${file}${f.url ? `:${f.lineNumber + 1}` : ""}`;
      fn.set(name, (fn.get(name) ?? 0) + ms);
      script.set(file, (script.get(file) ?? 0) + ms);
    });
    const rank = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, ms]) => ({name, ms}));
    return {functions: rank(fn), scripts: rank(script), ms: r.ms};
  } finally {
    await cdp.detach();
  }
}

/** Bytes of the document and every resource the page fetched so far (decoded body sizes, Navigation and Resource Timing), DuckDB-wasm's worker and engine left out. */
export function fetchedBytes(page: Page): Promise<number> {
  return page.evaluate(
    `[...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")].filter((e) => !/\\/duckdb\\/duckdb-[^/]*\\.(wasm|js)$/.test(new URL(e.name).pathname)).reduce((s, e) => s + (e.decodedBodySize || 0), 0)`
  ) as Promise<number>;
}
