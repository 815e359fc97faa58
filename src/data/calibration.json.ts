/** `data/calibration.json`: the stored calibration of the leadership claims for this code, or its state (stale, missing) with the command to run (loaders/chapters/calibration.ts `calibrationPage`). */
import {calibrationPage} from "../../loaders/chapters/calibration.ts";
import {loadConfig} from "../../loaders/config.ts";
import {siteDerived} from "../../loaders/site-cache.ts";

const config = loadConfig();
await siteDerived(config);
process.stdout.write(JSON.stringify(calibrationPage(config.dataDir)));
