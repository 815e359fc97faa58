/** `data/ch05-dwells.json`: the dwell analysis (stays and exponential fits, over the whole span) of each of page 05's landscape choices, in the order of `ch05.json` `choices`: loaders/pages/chapters.ts `chapter05Dwells`. Page 05 reads it only when its range is the whole span. */
import {loadConfig} from "../../loaders/config.ts";
import {chapter05Dwells} from "../../loaders/pages/chapters.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

const config = loadConfig();
process.stdout.write(JSON.stringify(await chapter05Dwells(await siteDerived(config), config)));
