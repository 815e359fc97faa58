import {launch, serveStatic, watch, settle, DIST} from "./scripts/browser.ts";
const s = await serveStatic(DIST);
const b = await launch();
const page = await b.newPage();
const r = watch(page, s.origin);
await page.goto(`${s.origin}/02-microstructure`);
try { await settle(page, r, 120_000); } catch (e) { console.log("settle", String(e).slice(0, 200)); }
const errs = await page.$$eval(".observablehq--error", (es) => es.map((e) => (e.closest("[id]")?.id ?? "?") + " " + e.textContent));
console.log(errs.slice(0, 40).join("\n"));
await b.close(); s.server.close();
