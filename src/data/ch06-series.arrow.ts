/** `data/ch06-series.arrow`: what chapter 06's event coincidences read of the 1 s bins — every venue's net signed trades per second and the reference venue's last price (venues, reference, t0 in the schema metadata): loaders/pages/detail.ts `synthesisSeriesFile`. See docs/data.md. */
import {createReadStream} from "node:fs";
import {computeChapter06} from "../../loaders/chapters/ch06.ts";
import {memoChapter} from "../../loaders/chapters/memo.ts";
import {loadConfig} from "../../loaders/config.ts";
import {synthesisSeriesFile} from "../../loaders/pages/detail.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

const config = loadConfig();
const dir = await siteDerived(config);
const {referenceVenue} = await memoChapter(dir, "loaders/chapters/ch06.ts", () => computeChapter06(dir, config));
for await (const chunk of createReadStream(await synthesisSeriesFile(dir, referenceVenue))) process.stdout.write(chunk);
