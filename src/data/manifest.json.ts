/** `data/manifest.json`: the build manifest (source, venues, span, seed, key, per-venue counts), its quality summary and the planted truth (null for real data); read by the banner on every page. See docs/data.md. */
import {writeSiteFile} from "../../loaders/derived.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

await writeSiteFile("manifest.json", await siteDerived());
