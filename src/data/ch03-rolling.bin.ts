/** `data/ch03-rolling.bin`: chapter 03's rolling transfer entropy, one JSON chunk per hour (the windows drawn in it: ends, every pair's TE, effective TE and p-value, leader and net scores; lib/analysis/ch03-detail.ts), index `data/ch03-detail.json`: loaders/pages/chapters.ts `chapter03Series`. See docs/data.md. */
import {loadConfig} from "../../loaders/config.ts";
import {streamFile} from "../../loaders/pages/detail.ts";
import {chapter03Series} from "../../loaders/pages/chapters.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

const config = loadConfig();
await streamFile(`${await chapter03Series(await siteDerived(config), config)}/ch03-rolling.bin`);
