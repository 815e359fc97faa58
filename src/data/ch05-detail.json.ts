/** `data/ch05-detail.json`: the index of chapter 05's hour-chunked series (`ch05-price.bin`, `ch05-landscapes.bin`; the venue in its metadata): loaders/pages/chapters.ts `chapter05Series`. See docs/data.md. */
import {loadConfig} from "../../loaders/config.ts";
import {streamFile} from "../../loaders/pages/detail.ts";
import {chapter05Series} from "../../loaders/pages/chapters.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

const config = loadConfig();
await streamFile(`${await chapter05Series(await siteDerived(config), config)}/ch05-detail.json`);
