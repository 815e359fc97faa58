/** `data/findings.json`: the headline findings of every chapter (value, interval or p-value, units, chapter, one sentence) and the report's figure data, from the memoised chapter results (loaders/chapters/ch06.ts `computeFindings`). */
import {computeFindings} from "../../loaders/chapters/ch06.ts";
import {loadConfig} from "../../loaders/config.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

const config = loadConfig();
const dir = await siteDerived(config);
process.stdout.write(JSON.stringify(await computeFindings(dir, config)));
