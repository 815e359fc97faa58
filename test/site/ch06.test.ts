// Chapter 06 in the browser: moving the dashboard's moment recomputes the market state; changing
// the coincidence tolerance recomputes the tests; planted values are shown beside recovered ones.
import assert from "node:assert/strict";
import {readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {test} from "node:test";
import type {Page} from "playwright-core";
import {builtSession, DIST, screenshot, settle, watch} from "./browser.ts";

const site = builtSession("06-synthesis.html");
const {built, missing} = site;

/** Sets the range input of the Inputs form labelled `label` and fires its input event. */
async function setRange(page: Page, label: string, value: number): Promise<void> {
  const done = await page.evaluate(
    ({label, value}) => {
      const form = [...document.querySelectorAll("form")].find((f) => f.querySelector("label")?.textContent?.trim() === label);
      const input = form?.querySelector("input[type=range]") as HTMLInputElement | null;
      if (!input) return false;
      input.value = String(value);
      input.dispatchEvent(new Event("input", {bubbles: true}));
      return true;
    },
    {label, value}
  );
  assert.ok(done, `no range input labelled "${label}"`);
}

async function dashboard(page: Page): Promise<{time: string; cards: Record<string, string>}> {
  return page.$eval(".ch06-dashboard", (el) => ({
    time: (el as HTMLElement).dataset.time ?? "",
    cards: Object.fromEntries([...el.querySelectorAll("[data-state]")].map((c) => [(c as HTMLElement).dataset.state!, (c.textContent ?? "").trim()]))
  }));
}

/** Presses the dashboard's load button (the span's detail is fetched on request) and waits for the dashboard. */
async function loadDashboard(page: Page): Promise<void> {
  assert.equal(await page.locator(".ch06-dashboard").count(), 0, "the dashboard waits for its data to be asked for");
  await page.getByRole("button", {name: /Load the range's 1 s bins and 100 ms flow/}).click();
  await page.locator(".ch06-dashboard").waitFor({timeout: 300_000});
  assert.equal(await page.locator(".range-status").last().getAttribute("data-state"), "ready", "the load's status says it is done");
}

async function open(): Promise<Page> {
  const page = await site.browser!.newPage({viewport: {width: 1280, height: 900}});
  const report = watch(page, site.origin);
  await page.goto(`${site.origin}/06-synthesis`);
  await settle(page, report, 300_000);
  assert.deepEqual(report.errorCells, [], "error cells");
  assert.deepEqual(report.pageErrors, [], "page errors");
  return page;
}

test("06-synthesis: changing the dashboard moment recomputes the market state", {timeout: 600_000}, async () => {
  assert.ok(built, missing);
  const page = await open();
  try {
    await loadDashboard(page);
    const before = await dashboard(page);
    const [min, max, value] = await page.evaluate(() => {
      const form = [...document.querySelectorAll("form")].find((f) => f.querySelector("label")?.textContent?.trim() === "moment (minutes after the start)");
      const input = form!.querySelector("input[type=range]") as HTMLInputElement;
      return [+input.min, +input.max, +input.value];
    });
    // Well away from the default moment (which sits at a planted change on simulated data).
    const target = value - min > max - value ? min : max;
    const started = Date.now();
    await setRange(page, "moment (minutes after the start)", target);
    await page.waitForFunction((t) => (document.querySelector(".ch06-dashboard") as HTMLElement | null)?.dataset.time !== t, before.time, {timeout: 30_000});
    const after = await dashboard(page);
    console.error(`dashboard recomputed ${Date.now() - started} ms after the moment changed (including rendering)`);
    await screenshot(page, "06-synthesis-moment");
    assert.notEqual(after.time, before.time);
    assert.equal(Number(after.time) - Number(before.time), (target - value) * 60_000, "the dashboard shows the chosen moment");
    const changed = Object.keys(before.cards).filter((k) => before.cards[k] !== after.cards[k]);
    assert.ok(changed.includes("entropy") && changed.includes("temperature"), `cards changed: ${changed.join(", ")}`);
    assert.ok(changed.length >= 3, `only ${changed.join(", ")} changed`);
  } finally {
    await page.close();
  }
});

test("06-synthesis: changing the tolerance recomputes the coincidence tests, and planted values are shown beside recovered ones", {timeout: 600_000}, async () => {
  assert.ok(built, missing);
  const manifest = JSON.parse(readFileSync(join(DIST, "_file/data", readdirSync(join(DIST, "_file/data")).find((f) => /^manifest\.[0-9a-f]+\.json$/.test(f))!), "utf8"));
  const page = await open();
  try {
    const triple = () => page.$eval('[data-finding="ch06-triple"]', (e) => e.textContent ?? "");
    const table = () => page.$$eval("table", (ts) => ts.map((t) => t.textContent ?? "").join("|"));
    const before = {triple: await triple(), table: await table()};
    await setRange(page, "tolerance ± (minutes)", 1);
    await page.waitForFunction((t) => document.querySelector('[data-finding="ch06-triple"]')?.textContent !== t || false, before.triple, {timeout: 30_000}).catch(() => {});
    await page.waitForTimeout(500);
    const after = {triple: await triple(), table: await table()};
    assert.notEqual(after.table, before.table, "the coincidence table did not change with the tolerance");
    if (manifest.source === "simulated") {
      const text = await page.$eval("main", (m) => m.textContent ?? "");
      assert.match(text, /Planted against recovered/);
      await loadDashboard(page);
      const cards = await dashboard(page);
      assert.match(cards.cards.regime, /planted: (calm|crash|recovery)/);
      assert.match(cards.cards.leader, /planted (Binance|Bybit|OKX|Coinbase)/);
      assert.match(cards.cards.level, /nearest planted well/);
    }
  } finally {
    await page.close();
  }
});
