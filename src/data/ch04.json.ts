/** `data/ch04.json`: chapter 04's build-time results (change points with surrogate tests against the planted events, early-warning tests, lead-time tests, regime validation, per-minute trade-sign lag sums), from loaders/chapters/ch04.ts. */
import {computeChapter04} from "../../loaders/chapters/ch04.ts";
import {memoChapter} from "../../loaders/chapters/memo.ts";
import {loadConfig} from "../../loaders/config.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

const config = loadConfig();
const dir = await siteDerived(config);
process.stdout.write(JSON.stringify(await memoChapter(dir, "loaders/chapters/ch04.ts", () => computeChapter04(dir, config))));
