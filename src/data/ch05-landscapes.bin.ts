/** `data/ch05-landscapes.bin`: the per-window parts of page 05's landscape choices (bandwidth, temperature, occupancy, levels, quantised shape of each window), one JSON chunk per hour holding the windows that end in it (index `data/ch05-detail.json`): loaders/pages/chapters.ts `chapter05Series`, lib/analysis/ch05-detail.ts. See docs/data.md. */
import {loadConfig} from "../../loaders/config.ts";
import {streamFile} from "../../loaders/pages/detail.ts";
import {chapter05Series} from "../../loaders/pages/chapters.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

const config = loadConfig();
await streamFile(`${await chapter05Series(await siteDerived(config), config)}/ch05-landscapes.bin`);
