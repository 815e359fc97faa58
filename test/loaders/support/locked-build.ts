// One `npm run build` of a checkout-like folder, as scripts/build.ts runs it: the checkout's lock,
// then a build written file by file into the temporary folder and swapped in as dist/.
// Usage: node --import tsx locked-build.ts <root> <label>
import {mkdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {setTimeout as sleep} from "node:timers/promises";
import {checkoutLock, withSiteLock} from "../../../loaders/site-cache.ts";
import {replaceDist} from "../../../scripts/build.ts";

const [root, label] = process.argv.slice(2);
process.exitCode = await withSiteLock(checkoutLock(root), {command: "build", pollMs: 20}, () =>
  replaceDist(async (tmp) => {
    mkdirSync(tmp, {recursive: true});
    for (let i = 0; i < 20; ++i) {
      writeFileSync(join(tmp, `page-${i}.html`), label);
      await sleep(5);
    }
    writeFileSync(join(tmp, "index.html"), label);
    return 0;
  }, join(root, "dist"))
);
