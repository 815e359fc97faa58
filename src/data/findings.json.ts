/** `data/findings.json`: the headline findings of every chapter (value, interval or p-value, units, chapter, one sentence), the report's figure data and the findings not computed, from the memoised chapter results (lib/analysis/findings.ts `computeFindings`, called by loaders/chapters/findings.ts), the report's volatility figure as an overview of fixed size (loaders/pages/chapters.ts `findingsPage`). */
import {loadConfig} from "../../loaders/config.ts";
import {findingsPage} from "../../loaders/pages/chapters.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

const config = loadConfig();
const dir = await siteDerived(config);
process.stdout.write(JSON.stringify(await findingsPage(dir, config)));
