/** `data/ch03.json`: chapter 03's build-time results (transfer-entropy matrices with surrogate tests, leader periods, rolling TE, lagged mutual information, entropy rates), from loaders/chapters/ch03.ts. */
import {computeChapter03} from "../../loaders/chapters/ch03.ts";
import {memoChapter} from "../../loaders/chapters/memo.ts";
import {loadConfig} from "../../loaders/config.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

const config = loadConfig();
const dir = await siteDerived(config);
process.stdout.write(JSON.stringify(await memoChapter(dir, "loaders/chapters/ch03.ts", () => computeChapter03(dir, config))));
