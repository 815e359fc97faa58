/** `data/manifest.json`: the build manifest (source, venues, span, seed, key, per-venue counts), its quality summary and the planted truth (null for real data; without the list of planted bursts, loaders/pages/detail.ts `writePageSiteFile`); read by the banner on every page. See docs/data.md. */
import {writePageSiteFile} from "../../loaders/pages/detail.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

await writePageSiteFile(await siteDerived(), "manifest.json");
