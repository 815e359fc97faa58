/** `data/ch04-observables.bin`: page 04's observables at the default window of every choice of its select, on a grid of the window step, one Arrow IPC stream per hour (index `data/ch04-detail.json`): loaders/pages/chapters.ts `chapter04Series`. See docs/data.md. */
import {loadConfig} from "../../loaders/config.ts";
import {streamFile} from "../../loaders/pages/detail.ts";
import {chapter04Series} from "../../loaders/pages/chapters.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

const config = loadConfig();
await streamFile(`${await chapter04Series(await siteDerived(config), config)}/ch04-observables.bin`);
