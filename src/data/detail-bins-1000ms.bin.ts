/** `data/detail-bins-1000ms.bin`: the 1 s bins of `bins-1000ms.arrow` as one Arrow IPC stream per hour (every venue's rows in turn), fetched by byte range for the hours a page selects (index: `data/detail.json`): loaders/pages/detail.ts. See docs/data.md. */
import {writePageFile} from "../../loaders/pages/detail.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

await writePageFile(await siteDerived(), "detail-bins-1000ms.bin");
