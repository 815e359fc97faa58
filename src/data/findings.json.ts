/** `data/findings.json`: the headline findings of every chapter (value, interval or p-value, units, chapter, one sentence), the report's figure data and the findings not computed, from the memoised chapter results (lib/analysis/findings.ts `computeFindings`, called by loaders/chapters/findings.ts). */
import {buildFindings} from "../../loaders/chapters/findings.ts";
import {loadConfig} from "../../loaders/config.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

const config = loadConfig();
const dir = await siteDerived(config);
process.stdout.write(JSON.stringify(await buildFindings(dir, config)));
