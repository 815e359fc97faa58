/** `data/ch06-series.json`: the index of `ch06-series.bin` (reference venue in its metadata): loaders/pages/chapters.ts `chapter06Series`. See docs/data.md. */
import {loadConfig} from "../../loaders/config.ts";
import {streamFile} from "../../loaders/pages/detail.ts";
import {chapter06Series} from "../../loaders/pages/chapters.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

const config = loadConfig();
await streamFile(`${await chapter06Series(await siteDerived(config), config)}/ch06-series.json`);
