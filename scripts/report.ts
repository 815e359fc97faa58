/**
 * `npm run report`: prints the written report (the built page /report) to output/report.pdf
 * through headless Chromium, serving dist/ from 127.0.0.1. Run `npm run build` first.
 */
import {existsSync, mkdirSync} from "node:fs";
import {join} from "node:path";
import {launch, serveStatic, settle, watch} from "./browser.ts";
import {ROOT} from "../loaders/fingerprint.ts";

export interface ReportResult {
  path: string;
  figures: number;
  errors: string[];
}

/** Renders `${dist}/report.html` to a PDF at `out`; returns the path, figure count and any page errors. */
export async function printReport(dist = join(ROOT, "dist"), out = join(ROOT, "output/report.pdf")): Promise<ReportResult> {
  if (!existsSync(join(dist, "report.html"))) throw new Error(`${join(dist, "report.html")} not found: run npm run build first`);
  mkdirSync(join(out, ".."), {recursive: true});
  const {server, origin} = await serveStatic(dist);
  const browser = await launch();
  try {
    const page = await browser.newPage({viewport: {width: 1100, height: 1400}});
    const report = watch(page, origin);
    await page.goto(`${origin}/report`);
    await settle(page, report, 120_000);
    await page.emulateMedia({media: "print"});
    const figures = await page.$$eval("figure svg, svg[class^='plot']", (els) => els.length);
    await page.pdf({path: out, format: "A4", printBackground: true, margin: {top: "16mm", bottom: "16mm", left: "14mm", right: "14mm"}});
    return {path: out, figures, errors: [...report.errorCells, ...report.pageErrors, ...report.consoleErrors]};
  } finally {
    await browser.close();
    server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await printReport();
  if (result.errors.length) {
    console.error(`report rendered with errors:\n${result.errors.join("\n")}`);
    process.exit(1);
  }
  console.error(`wrote ${result.path} (${result.figures} figures)`);
}
