/** `data/ch04-detail.json`: the index of chapter 04's hour-chunked series (`ch04-observables.bin`, `ch04-signs.bin`): loaders/pages/chapters.ts `chapter04Series`. See docs/data.md. */
import {loadConfig} from "../../loaders/config.ts";
import {streamFile} from "../../loaders/pages/detail.ts";
import {chapter04Series} from "../../loaders/pages/chapters.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

const config = loadConfig();
await streamFile(`${await chapter04Series(await siteDerived(config), config)}/ch04-detail.json`);
