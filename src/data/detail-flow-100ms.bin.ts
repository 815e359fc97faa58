/** `data/detail-flow-100ms.bin`: the 100 ms flow of `flow-100ms.arrow` as one Arrow IPC stream per hour, fetched by byte range for the hours a page selects (index: `data/detail.json`): loaders/pages/detail.ts. See docs/data.md. */
import {writePageFile} from "../../loaders/pages/detail.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

await writePageFile(await siteDerived(), "detail-flow-100ms.bin");
