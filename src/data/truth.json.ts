/** `data/truth.json`: the simulator's planted parameters and event times, or null for real data; without the list of planted bursts, which grows with the span (loaders/pages/detail.ts `writePageSiteFile`). See docs/data.md. */
import {writePageSiteFile} from "../../loaders/pages/detail.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

await writePageSiteFile(await siteDerived(), "truth.json");
