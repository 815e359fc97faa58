/** Chart layout guards: widths never below a usable minimum, annotation labels never overlapping. */
import assert from "node:assert/strict";
import {readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import test from "node:test";
import {ROOT} from "../../loaders/fingerprint.ts";
import {labelRows} from "../../src/components/ch06-events.ts";
import {MIN_PLOT_WIDTH, plotWidth} from "../../src/components/width.ts";

test("plotWidth(width) is never below the minimum, also for 0, negative and non-finite widths (the column before layout)", () => {
  for (const w of [0, -10, -Infinity, NaN, Infinity, 1, MIN_PLOT_WIDTH - 1]) assert.equal(plotWidth(w), MIN_PLOT_WIDTH, String(w));
  assert.equal(plotWidth(800.7), 800);
  assert.ok(MIN_PLOT_WIDTH >= 200, "wider than any chart's left and right margins together");
});

test("every chart component passes its width to Plot through plotWidth", () => {
  const dir = join(ROOT, "src/components");
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".ts") && n !== "width.ts")) {
    const lines = readFileSync(join(dir, f), "utf8").split("\n");
    let inPlot = 0;
    for (const [i, line] of lines.entries()) {
      if (/Plot\.plot\(\{/.test(line)) inPlot = 12;
      else if (inPlot > 0) --inPlot;
      if (inPlot > 0 && /^\s*width(,|:)/.test(line)) assert.match(line, /plotWidth\(/, `${f}:${i + 1}: ${line.trim()}`);
    }
  }
});

test("labelRows() puts the planted 'crash start' and 'crash end' labels on different rows at page widths, and keeps far labels on the first", () => {
  // The planted changes at 50%, 56.25% and 68.75% of the span, on plot areas of 300 to 1200 px.
  for (const inner of [300, 600, 900, 1200]) {
    const labels = [
      {x: 0.5 * inner, text: "crash start"},
      {x: 0.5625 * inner, text: "crash end"},
      {x: 0.6875 * inner, text: "recovery end"}
    ];
    const rows = labelRows(labels);
    assert.notEqual(rows[0], rows[1], `width ${inner}`);
    // No two labels on one row overlap.
    for (let i = 0; i < labels.length; ++i)
      for (let j = 0; j < labels.length; ++j)
        if (i !== j && rows[i] === rows[j] && labels[i].x < labels[j].x) assert.ok(labels[i].x + labels[i].text.length * 6.5 + 6 <= labels[j].x, `width ${inner}: ${labels[i].text} / ${labels[j].text}`);
  }
  assert.deepEqual(labelRows([{x: 0, text: "a"}, {x: 500, text: "b"}]), [0, 0]);
});
