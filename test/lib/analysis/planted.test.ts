import assert from "node:assert/strict";
import {test} from "node:test";
import {plantedStructure} from "../../../lib/analysis/planted.ts";
import type {SimTruth} from "../../../lib/analysis/truth.ts";

const schedule = (...leaders: (string | null)[]) => ({transitionMs: 5000, note: "", schedule: leaders.map((leader, i) => ({start: i, end: i + 1, startISO: "", endISO: "", leader, delaysMs: {binance: 0, bybit: 0, okx: 0, coinbase: 0}}))}) as SimTruth["leadLag"];
const planted = {crash: "planted", crashStart: 1, crashEnd: 2, recoveryEnd: 3} as unknown as SimTruth["events"];
const none = {crash: "none", crashStart: null, crashEnd: null, recoveryEnd: null} as unknown as SimTruth["events"];
const wells = (barrier: number) => ({barrierOverNoiseCalm: barrier}) as SimTruth["wells"];

test("plantedStructure names the crash, a leader switch or a single leader, and wells, only when planted", () => {
  assert.deepEqual(plantedStructure({events: planted, leadLag: schedule("binance", "bybit", "binance"), wells: wells(3)}), ["crash", "leader switch", "wells"]);
  assert.deepEqual(plantedStructure({events: planted, leadLag: schedule(null, null, null), wells: wells(3)}), ["crash", "wells"]);
  assert.deepEqual(plantedStructure({events: none, leadLag: schedule("binance"), wells: wells(3)}), ["leader", "wells"]);
  assert.deepEqual(plantedStructure({events: none, leadLag: schedule(null), wells: wells(0)}), []);
});
