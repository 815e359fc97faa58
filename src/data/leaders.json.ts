/** `data/leaders.json`: chapter 03's calibrated leader outcomes (`leaders` of ch03.json: per analysis and period the leader or none, the rule's p-value and the deciding pairs), for the pages that quote a leader claim without the rest of chapter 03. */
import {computeChapter03} from "../../loaders/chapters/ch03.ts";
import {memoChapter} from "../../loaders/chapters/memo.ts";
import {loadConfig} from "../../loaders/config.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

const config = loadConfig();
const dir = await siteDerived(config);
process.stdout.write(JSON.stringify((await memoChapter(dir, "loaders/chapters/ch03.ts", () => computeChapter03(dir, config))).leaders));
