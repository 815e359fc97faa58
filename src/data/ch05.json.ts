/** `data/ch05.json`: chapter 05's build-time results (metastable levels, dwell-time fits, Kramers fits, out-of-sample support/resistance tests against random levels), from loaders/chapters/ch05.ts. */
import {computeChapter05} from "../../loaders/chapters/ch05.ts";
import {memoChapter} from "../../loaders/chapters/memo.ts";
import {loadConfig} from "../../loaders/config.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

const config = loadConfig();
const dir = await siteDerived(config);
process.stdout.write(JSON.stringify(await memoChapter(dir, "loaders/chapters/ch05.ts", () => computeChapter05(dir, config))));
