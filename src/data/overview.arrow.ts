/** `data/overview.arrow`: each venue's last price every 10 s, long format (venue, t, price). See docs/data.md. */
import {writeSiteFile} from "../../loaders/derived.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

await writeSiteFile("overview.arrow", await siteDerived());
