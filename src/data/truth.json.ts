/** `data/truth.json`: the simulator's planted parameters and event times, or null for real data. See docs/data.md. */
import {writeSiteFile} from "../../loaders/derived.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

await writeSiteFile("truth.json", await siteDerived());
