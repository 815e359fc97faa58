/** `data/bins-1000ms.arrow`: 1 s bins of every venue, long format (venue, t, n_buy, n_sell, v_buy, v_sell, open, high, low, close, vwap, last). See docs/data.md. */
import {writeSiteFile} from "../../loaders/derived.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

await writeSiteFile("bins-1000ms.arrow", await siteDerived());
