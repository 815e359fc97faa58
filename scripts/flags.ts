/**
 * The command-line flags of the scripts (`npm run calibrate`, `npm run replay`, …): one reader, so
 * that every script accepts `--name value` and `--switch` alike and fails alike on a bad value or
 * an unknown argument.
 *
 *   const args = readFlags(argv, {port: 8765, out: null}, {
 *     "--port": {key: "port", type: "number"},
 *     "--out": {key: "out", type: "string"}
 *   }, "scripts/replay.ts");
 *
 * Kinds: `number` (a finite number), `string` (any next argument), `choice` (one of `choices`),
 * `switch` (no value: sets `value`, default true), or `parse` (the next argument through a
 * function). Flags are read left to right; a later one overrides an earlier one.
 */

/** How one flag sets a field of the arguments `T`. */
export type Flag<T> =
  | {key: keyof T; type: "number" | "string"}
  | {key: keyof T; type: "choice"; choices: readonly string[]}
  | {key: keyof T; type: "switch"; value?: unknown}
  | {key: keyof T; type: "parse"; parse: (value: string) => unknown};

/**
 * Reads `argv` (the arguments after the script's name) into a copy of `defaults` by `flags`
 * (flag name with its dashes → how it sets a field). Throws a RangeError naming the flag and the
 * value for a missing or invalid value, and naming `script` for an unknown argument.
 */
export function readFlags<T extends object>(argv: readonly string[], defaults: T, flags: Readonly<Record<string, Flag<T>>>, script: string): T {
  const out = {...defaults} as Record<keyof T, unknown>;
  for (let i = 0; i < argv.length; ++i) {
    const name = argv[i];
    const flag = Object.hasOwn(flags, name) ? flags[name] : undefined;
    if (!flag) throw new RangeError(`unknown argument: ${name} (see ${script})`);
    if (flag.type === "switch") {
      out[flag.key] = "value" in flag ? flag.value : true;
      continue;
    }
    const v = argv[++i];
    if (v === undefined) throw new RangeError(`invalid ${name}: a value is missing`);
    if (flag.type === "number") {
      const x = v.trim() === "" ? NaN : Number(v);
      if (!Number.isFinite(x)) throw new RangeError(`invalid ${name}: ${v} (not a number)`);
      out[flag.key] = x;
    } else if (flag.type === "choice") {
      if (!flag.choices.includes(v)) throw new RangeError(`invalid ${name}: ${v} (one of ${flag.choices.join(", ")})`);
      out[flag.key] = v;
    } else if (flag.type === "parse") out[flag.key] = flag.parse(v);
    else out[flag.key] = v;
  }
  return out as T;
}
