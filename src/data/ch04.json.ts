/** `data/ch04.json`: chapter 04's build-time results (change points with surrogate tests against the planted events, early-warning tests, lead-time tests, regime validation), from loaders/chapters/ch04.ts, without its whole-span series (the page's observables and the per-minute trade-sign lag sums), which are published in hour chunks (`ch04-observables.bin`, `ch04-signs.bin`): loaders/pages/chapters.ts. */
import {loadConfig} from "../../loaders/config.ts";
import {chapter04Page} from "../../loaders/pages/chapters.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

const config = loadConfig();
process.stdout.write(JSON.stringify(await chapter04Page(await siteDerived(config), config)));
