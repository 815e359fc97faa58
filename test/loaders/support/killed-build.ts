// A build killed half-way: `replaceDist` runs a build that writes part of a site into its
// temporary folder, then this process is killed with SIGKILL (no cleanup runs).
// Usage: node --import tsx killed-build.ts <dist>
import {mkdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {replaceDist} from "../../../scripts/build.ts";

await replaceDist(async (tmp) => {
  mkdirSync(tmp, {recursive: true});
  writeFileSync(join(tmp, "01-data.html"), "half a site");
  process.kill(process.pid, "SIGKILL");
  return 0;
}, process.argv[2]);
