/** `data/overview.arrow`: each venue's last price on a step of 10 s, or of the smallest multiple of 10 s that keeps at most 8,640 points per venue whatever the span; long format (venue, t, price), step in the schema metadata: loaders/pages/detail.ts. See docs/data.md. */
import {writePageFile} from "../../loaders/pages/detail.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

await writePageFile(await siteDerived(), "overview.arrow");
