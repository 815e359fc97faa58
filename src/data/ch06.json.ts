/** `data/ch06.json`: chapter 06's build-time synthesis (entropy drops, regime transitions and metastability breakdowns, their coincidence tests, the shuffled control, the planted events, the dashboard's settings), from lib/analysis/ch06.ts `analyseSynthesis` via loaders/chapters/ch06.ts. */
import {computeChapter06} from "../../loaders/chapters/ch06.ts";
import {memoChapter} from "../../loaders/chapters/memo.ts";
import {loadConfig} from "../../loaders/config.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

const config = loadConfig();
const dir = await siteDerived(config);
process.stdout.write(JSON.stringify(await memoChapter(dir, "loaders/chapters/ch06.ts", () => computeChapter06(dir, config))));
