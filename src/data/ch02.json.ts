/** `data/ch02.json`: chapter 02's build-time results (arrival rates, trade sizes, trade-sign autocorrelation, Epps curves, lagged cross-correlation, Hayashi–Yoshida lead times, information shares, spread against volatility): `analyseMicrostructure` in lib/analysis/ch02.ts, run by loaders/chapters/ch02.ts. */
import {computeChapter02} from "../../loaders/chapters/ch02.ts";
import {memoChapter} from "../../loaders/chapters/memo.ts";
import {loadConfig} from "../../loaders/config.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

const config = loadConfig();
const dir = await siteDerived(config);
process.stdout.write(JSON.stringify(await memoChapter(dir, "loaders/chapters/ch02.ts", () => computeChapter02(dir, config))));
