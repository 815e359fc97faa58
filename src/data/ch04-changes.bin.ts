/** `data/ch04-changes.bin`: the block series of chapter 04's change-point detection (entropy and volatility: each block's start and value), one JSON chunk per hour (the blocks starting in it; lib/analysis/ch04-detail.ts `sliceChanges`), index `data/ch04-detail.json`: loaders/pages/chapters.ts `chapter04Series`. See docs/data.md. */
import {loadConfig} from "../../loaders/config.ts";
import {streamFile} from "../../loaders/pages/detail.ts";
import {chapter04Series} from "../../loaders/pages/chapters.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

const config = loadConfig();
await streamFile(`${await chapter04Series(await siteDerived(config), config)}/ch04-changes.bin`);
