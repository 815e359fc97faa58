import {existsSync} from "node:fs";

/** The chapters in reading order; the navigation lists only those whose page exists. */
const chapters = [
  {name: "01 · Data acquisition", path: "/01-data"},
  {name: "02 · Microstructure and lead–lag", path: "/02-microstructure"},
  {name: "03 · Entropy and transfer entropy", path: "/03-information-flow"},
  {name: "04 · Phase transitions", path: "/04-phase-transitions"},
  {name: "05 · Metastability", path: "/05-metastability"},
  {name: "06 · Synthesis", path: "/06-synthesis"},
  {name: "Calibration", path: "/calibration"},
  {name: "Report", path: "/report"},
  {name: "Live monitor", path: "/live"}
];

const here = new URL(".", import.meta.url);

export default {
  title: "crypto-venue-entropy",
  root: "src",
  // `npm run build` has Framework write into a temporary folder and swaps it in as dist/ only
  // when the build succeeds (scripts/build.ts).
  output: process.env.CVE_BUILD_OUTPUT || "dist",
  pages: chapters.filter((c) => existsSync(new URL(`src${c.path}.md`, here))),
  pager: true,
  toc: true,
  search: false,
  footer: "crypto-venue-entropy · information flow and regime change between crypto venues",
  // No web fonts from a CDN: the built report requests nothing from any other host.
  globalStylesheets: [],
  style: "style.css",
  head: '<link rel="icon" href="data:,">'
};
