/** `data/sample-signs.arrow`: venue and aggressor side of every trade of the trades sample (window and reason in the schema metadata): loaders/pages/detail.ts. See docs/data.md. */
import {writePageFile} from "../../loaders/pages/detail.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

await writePageFile(await siteDerived(), "sample-signs.arrow");
