// The written report on the built site: it prints to 3–5 A4 pages with its figures drawn, every
// finding it shows reads the same as on the chapter pages, and README's key-findings section is the
// one rendered from the built findings.
import assert from "node:assert/strict";
import {mkdtempSync, readdirSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {inflateSync} from "node:zlib";
import {after, test} from "node:test";
import type {Page} from "playwright-core";
import {printReport} from "../../scripts/report.ts";
import {END_MARKER, keyFindingsSection, readBuiltFindings, renderKeyFindings, replaceKeyFindings, START_MARKER} from "../../scripts/key-findings.ts";
import {builtSession, DIST, ROOT, settle, watch} from "./browser.ts";

const site = builtSession("report.html");
const {built, missing} = site;
const scratch = mkdtempSync(join(tmpdir(), "cve-report-"));

after(() => rmSync(scratch, {recursive: true, force: true}));

/** Page objects of a PDF: `/Type /Page` dictionaries (not the `/Pages` tree nodes). */
function pdfPages(bytes: Buffer): number {
  return (bytes.toString("latin1").match(/\/Type\s*\/Page(?![A-Za-z])/g) ?? []).length;
}

/** Path-drawing operators (m, l, c, re) in the PDF's Flate-compressed content streams. */
function pdfDrawingOperators(bytes: Buffer): number {
  const text = bytes.toString("latin1");
  let ops = 0;
  const re = /\/FlateDecode[^]*?>>\s*stream\r?\n/g;
  for (let m; (m = re.exec(text)); ) {
    const start = m.index + m[0].length;
    const end = text.indexOf("endstream", start);
    if (end < 0) break;
    let decoded: string;
    try {
      decoded = inflateSync(bytes.subarray(start, end)).toString("latin1");
    } catch {
      continue;
    }
    ops += (decoded.match(/\s(?:m|l|c|re)\s/g) ?? []).length;
    re.lastIndex = end;
  }
  return ops;
}

/** The text of every `[data-finding]` element of a page, by id (the first of repeated ids; repeats must agree). */
async function findingTexts(page: Page, path: string): Promise<Map<string, string>> {
  const report = watch(page, site.origin);
  await page.goto(`${site.origin}/${path}`);
  await settle(page, report, 300_000);
  const pairs = await page.$$eval("[data-finding]", (els) => els.map((e) => [(e as HTMLElement).dataset.finding!, (e.textContent ?? "").trim()] as [string, string]));
  const out = new Map<string, string>();
  for (const [id, text] of pairs) {
    if (out.has(id)) assert.equal(text, out.get(id), `${path}: data-finding="${id}" reads differently in two places`);
    else out.set(id, text);
  }
  return out;
}

test("printReport(dist, out) prints the built report to 3–5 A4 pages with at least three drawn figures", {timeout: 600_000}, async () => {
  assert.ok(built, missing);
  const out = join(scratch, "report.pdf");
  const result = await printReport(DIST, out);
  assert.deepEqual(result.errors, [], "the report rendered with errors");
  const bytes = readFileSync(out);
  const pages = pdfPages(bytes);
  assert.ok(pages >= 3 && pages <= 5, `the report prints to ${pages} A4 pages`);
  assert.ok(result.figures >= 3, `${result.figures} figures`);
  const ops = pdfDrawingOperators(bytes);
  assert.ok(ops > 500, `only ${ops} path operators in the PDF: are the figures drawn?`);
});

test("the report's data-finding numbers read exactly as on the chapter pages", {timeout: 900_000}, async () => {
  assert.ok(built, missing);
  const page = await site.browser!.newPage({viewport: {width: 1280, height: 900}});
  try {
    const report = await findingTexts(page, "report");
    assert.ok(report.size >= 10, `only ${report.size} findings on the report`);
    const chapters = readdirSync(DIST)
      .filter((f) => /^0\d-.*\.html$/.test(f))
      .map((f) => f.replace(/\.html$/, ""));
    let compared = 0;
    for (const chapter of chapters) {
      const texts = await findingTexts(page, chapter);
      for (const [id, text] of texts) {
        if (!report.has(id)) continue;
        assert.equal(text, report.get(id), `data-finding="${id}": ${chapter} shows "${text}", the report "${report.get(id)}"`);
        ++compared;
      }
    }
    assert.ok(compared >= 5, `only ${compared} findings appear on both the report and a chapter page`);
  } finally {
    await page.close();
  }
});

test("README's key-findings section equals renderKeyFindings(the built findings)", () => {
  assert.ok(built, missing);
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = keyFindingsSection(readme);
  assert.notEqual(section, null, `README.md lacks the markers ${START_MARKER} … ${END_MARKER}`);
  assert.equal(section, renderKeyFindings(readBuiltFindings(DIST)).trim(), "README's key findings are stale: run npm run findings after npm run build");
});

test("replaceKeyFindings(readme, body) replaces only the text between the markers, and rejects a README without them", () => {
  const readme = `# x\n\n${START_MARKER}\nold\n${END_MARKER}\n\nrest\n`;
  const out = replaceKeyFindings(readme, "new line");
  assert.equal(out, `# x\n\n${START_MARKER}\nnew line\n${END_MARKER}\n\nrest\n`);
  assert.equal(keyFindingsSection(out), "new line");
  assert.equal(replaceKeyFindings(out, "new line"), out);
  assert.throws(() => replaceKeyFindings("# x\n", "y"), /markers/);
});

test("renderKeyFindings(findings) names the data and gives one line per finding", () => {
  const md = renderKeyFindings({
    data: {source: "simulated", seed: 7, venues: ["binance"], span: [0, 1], label: "simulated market, seed 7", key: "abcdef0123456789"},
    findings: [
      {id: "a", chapter: "03", title: "T", value: 1, unit: "", digits: 0, interval: null, pValue: 0.01, method: "m", planted: null, text: "Sentence one."},
      {id: "b", chapter: "06", title: "U", value: 2, unit: "", digits: 0, interval: null, pValue: null, method: "m", planted: null, text: "Sentence two."}
    ]
  });
  assert.match(md, /simulated market, seed 7/);
  assert.doesNotMatch(md, /abcdef/, "the cache key is not part of the findings text");
  assert.match(md, /^- \*\*03 · T\.\*\* Sentence one\.$/m);
  assert.match(md, /^- \*\*06 · U\.\*\* Sentence two\.$/m);
});
