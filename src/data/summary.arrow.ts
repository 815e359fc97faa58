/** `data/summary.arrow`: per venue and bucket (one minute, or whole minutes keeping at most 1,440 buckets whatever the span) the trade counts, volumes and prices of the 1 s bins: loaders/pages/detail.ts. See docs/data.md. */
import {writePageFile} from "../../loaders/pages/detail.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

await writePageFile(await siteDerived(), "summary.arrow");
