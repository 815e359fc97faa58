/** `data/ch04-signs.bin`: chapter 04's per-minute trade-sign lag sums of every venue, one Arrow IPC stream per hour (index `data/ch04-detail.json`): loaders/pages/chapters.ts `chapter04Series`. See docs/data.md. */
import {loadConfig} from "../../loaders/config.ts";
import {streamFile} from "../../loaders/pages/detail.ts";
import {chapter04Series} from "../../loaders/pages/chapters.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

const config = loadConfig();
await streamFile(`${await chapter04Series(await siteDerived(config), config)}/ch04-signs.bin`);
