/** `data/trades-sample.arrow`: cleaned trades (venue, time, price, qty, side) of one representative hour — the hour before the planted crash, or the busiest hour of real data — for event-time analyses in the browser; window in the schema metadata and in manifest.sample. See docs/data.md. */
import {writeSiteFile} from "../../loaders/derived.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

await writeSiteFile("trades-sample.arrow", await siteDerived());
