/** `data/ch05-price.bin`: the 1 s last price of the venue chapter 05 analyses (column `last`), one Arrow IPC stream per hour (index `data/ch05-detail.json`): loaders/pages/chapters.ts `chapter05Series`. See docs/data.md. */
import {loadConfig} from "../../loaders/config.ts";
import {streamFile} from "../../loaders/pages/detail.ts";
import {chapter05Series} from "../../loaders/pages/chapters.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

const config = loadConfig();
await streamFile(`${await chapter05Series(await siteDerived(config), config)}/ch05-price.bin`);
