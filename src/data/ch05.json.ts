/** `data/ch05.json`: chapter 05's build-time results (metastable levels, dwell-time fits, Kramers fits, out-of-sample support/resistance tests against random levels), from loaders/chapters/ch05.ts, with only the heads of the page's packed landscape choices: their per-window parts are published by the hour (`ch05-landscapes.bin`): loaders/pages/chapters.ts. */
import {loadConfig} from "../../loaders/config.ts";
import {chapter05Page} from "../../loaders/pages/chapters.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

const config = loadConfig();
process.stdout.write(JSON.stringify(await chapter05Page(await siteDerived(config), config)));
