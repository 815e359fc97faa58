/** `data/ch05-price.arrow`: the 1 s last price of the venue chapter 05 analyses (column `last`; venue, t0 and width in the schema metadata), instead of every venue's 1 s bins: loaders/pages/detail.ts `venueLastFile`. See docs/data.md. */
import {createReadStream} from "node:fs";
import {computeChapter05} from "../../loaders/chapters/ch05.ts";
import {memoChapter} from "../../loaders/chapters/memo.ts";
import {loadConfig} from "../../loaders/config.ts";
import {venueLastFile} from "../../loaders/pages/detail.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

const config = loadConfig();
const dir = await siteDerived(config);
const {venue} = await memoChapter(dir, "loaders/chapters/ch05.ts", () => computeChapter05(dir, config));
for await (const chunk of createReadStream(await venueLastFile(dir, venue))) process.stdout.write(chunk);
