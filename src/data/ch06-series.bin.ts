/** `data/ch06-series.bin`: what chapter 06's event coincidences read of the 1 s bins — every venue's net signed trades and trade count per second and the reference venue's last price — one Arrow IPC stream per hour (index `data/ch06-series.json`): loaders/pages/chapters.ts `chapter06Series`. See docs/data.md. */
import {loadConfig} from "../../loaders/config.ts";
import {streamFile} from "../../loaders/pages/detail.ts";
import {chapter06Series} from "../../loaders/pages/chapters.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

const config = loadConfig();
await streamFile(`${await chapter06Series(await siteDerived(config), config)}/ch06-series.bin`);
