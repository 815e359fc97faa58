/** `data/ch03.json`: chapter 03's build-time results (transfer-entropy matrices with surrogate tests, leader periods, lagged mutual information, entropy rates), from loaders/chapters/ch03.ts, with only the head of the rolling TE (settings, window count, the crash leadership of every window); its windows are published in hour chunks (`ch03-rolling.bin`): loaders/pages/chapters.ts `chapter03Page`. */
import {loadConfig} from "../../loaders/config.ts";
import {chapter03Page} from "../../loaders/pages/chapters.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

const config = loadConfig();
process.stdout.write(JSON.stringify(await chapter03Page(await siteDerived(config), config)));
