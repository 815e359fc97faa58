/** `data/detail.json`: the index of the detail files (span, hourly chunks with their byte ranges): loaders/pages/detail.ts. See docs/data.md. */
import {writePageFile} from "../../loaders/pages/detail.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

await writePageFile(await siteDerived(), "detail.json");
