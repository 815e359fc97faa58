/** `data/ch03-detail.json`: the index of chapter 03's hour-chunked rolling TE (`ch03-rolling.bin`): loaders/pages/chapters.ts `chapter03Series`. See docs/data.md. */
import {loadConfig} from "../../loaders/config.ts";
import {streamFile} from "../../loaders/pages/detail.ts";
import {chapter03Series} from "../../loaders/pages/chapters.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

const config = loadConfig();
await streamFile(`${await chapter03Series(await siteDerived(config), config)}/ch03-detail.json`);
