/** `data/flow-100ms.arrow`: net signed trade count per 100 ms bin (Int16, one column per venue) and each venue's last price (Float32, <venue>_last); bin i starts at manifest.span[0] + i·100 ms. See docs/data.md. */
import {writeSiteFile} from "../../loaders/derived.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

await writeSiteFile("flow-100ms.arrow", await siteDerived());
