#!/usr/bin/env node
// Runs the test suite with Node's test runner: unit tests (test/lib, test/loaders), then the
// site is built (reusing a fresh build) and the browser tests (test/site) run against it.
// `npm test -- lib` runs only the folders or files whose path contains "lib".
import {spawnSync} from "node:child_process";
import {readdirSync} from "node:fs";
import {join} from "node:path";

const filters = process.argv.slice(2);
const find = (dir) =>
  readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((d) => d.isFile() && d.name.endsWith(".test.ts"))
    .map((d) => join(d.parentPath ?? d.path, d.name))
    .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
    .sort();

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, {stdio: "inherit"});
  if (r.status !== 0) process.exit(r.status ?? 1);
};

const unit = [...find("test/lib"), ...find("test/loaders")];
const site = find("test/site");
if (unit.length) run(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", ...unit]);
if (site.length) {
  run(process.execPath, ["--import", "tsx", "scripts/build.ts"]);
  run(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=1", ...site]);
}
