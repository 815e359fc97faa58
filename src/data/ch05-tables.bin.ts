/** `data/ch05-tables.bin`: chapter 05's per-window tables (`windows`, `levels`, `tracks`, the Kramers points), one JSON chunk per hour (the rows of the windows whose last 1 s bin lies in it; lib/analysis/ch05-detail.ts `sliceTables`), index `data/ch05-detail.json`: loaders/pages/chapters.ts `chapter05Series`. See docs/data.md. */
import {loadConfig} from "../../loaders/config.ts";
import {streamFile} from "../../loaders/pages/detail.ts";
import {chapter05Series} from "../../loaders/pages/chapters.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

const config = loadConfig();
await streamFile(`${await chapter05Series(await siteDerived(config), config)}/ch05-tables.bin`);
