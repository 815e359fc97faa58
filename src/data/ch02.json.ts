/** `data/ch02.json`: chapter 02's build-time results (arrival rates, trade sizes, trade-sign autocorrelation, Epps curves, lagged cross-correlation, Hayashi–Yoshida lead times, information shares, spread against volatility): `analyseMicrostructure` in lib/analysis/ch02.ts, run by loaders/chapters/ch02.ts, without the spread pairs' per-window series (page 02 recomputes those for the hours it shows): loaders/pages/chapters.ts `chapter02Page`. */
import {loadConfig} from "../../loaders/config.ts";
import {chapter02Page} from "../../loaders/pages/chapters.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

const config = loadConfig();
process.stdout.write(JSON.stringify(await chapter02Page(await siteDerived(config), config)));
