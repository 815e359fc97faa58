/** `data/quality.json`: the data-quality table, one row per (venue, day). See docs/data.md. */
import {writeSiteFile} from "../../loaders/derived.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

await writeSiteFile("quality.json", await siteDerived());
