/**
 * Running one measured step in a child Node process (through tsx), so that its wall time, CPU
 * time and peak resident memory belong to that step alone and not to the benchmark runner.
 *
 * The child reports its own figures as one JSON object on stdout (see {@link childReport});
 * the parent also samples `/proc/<pid>/status` (VmHWM, the high-water mark of the resident set)
 * every half second, so a child that dies still leaves a memory figure. stderr is forwarded
 * line by line with a prefix.
 */
import {spawn} from "node:child_process";
import {existsSync, readFileSync} from "node:fs";
import {fileURLToPath} from "node:url";

/** The project root. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Peak resident set size (VmHWM) of process `pid` in MiB, from `/proc/<pid>/status`; NaN when unavailable. */
export function peakRssMiB(pid: number | "self" = "self"): number {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** What a child reports on stdout: its own timings and memory, plus step-specific fields. */
export interface ChildReport {
  /** Wall time of the measured step inside the child, s (module loading excluded). */
  seconds: number;
  /** CPU time (user + system, every thread of the process) of the measured step, s. */
  cpuSeconds: number;
  /** VmHWM of the child at the end, MiB (worker threads share the process, so they are included). */
  peakRssMiB: number;
  [key: string]: unknown;
}

/** Runs `step` in the child, measuring it, and prints the report as JSON on stdout. */
export async function childReport(step: () => Promise<Record<string, unknown>>): Promise<void> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const extra = await step();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const report: ChildReport = {...extra, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMiB: peakRssMiB()};
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

export interface ChildResult<R> {
  report: R;
  /** Wall time from spawn to exit as the parent saw it (Node and tsx start-up included), s. */
  wallSeconds: number;
  /** Largest VmHWM the parent sampled, MiB (a lower bound of the child's own figure). */
  sampledPeakRssMiB: number;
}

/**
 * Runs `node --import tsx <script> ...args` from the project root with `env` added to the
 * environment; resolves with the child's JSON report, rejects when it fails.
 */
export function runChild<R = ChildReport>(
  script: string,
  args: string[],
  {env = {}, prefix = "  | ", cwd = ROOT}: {env?: Record<string, string>; prefix?: string; cwd?: string} = {}
): Promise<ChildResult<R>> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {cwd, env: {...process.env, ...env}, stdio: ["ignore", "pipe", "pipe"]});
    let stdout = "";
    let sampled = NaN;
    const sample = () => {
      const x = child.pid === undefined ? NaN : peakRssMiB(child.pid);
      if (Number.isFinite(x)) sampled = Number.isNaN(sampled) ? x : Math.max(sampled, x);
    };
    const timer = setInterval(sample, 500);
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    let pending = "";
    child.stderr.setEncoding("utf8").on("data", (s: string) => {
      const lines = (pending + s).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) process.stderr.write(`${prefix}${line}\n`);
    });
    child.on("error", (e) => (clearInterval(timer), reject(e)));
    child.on("close", (code, signal) => {
      clearInterval(timer);
      if (pending) process.stderr.write(`${prefix}${pending}\n`);
      const wallSeconds = (performance.now() - t0) / 1000;
      if (code !== 0) return reject(new Error(`${script} ${args[0] ?? ""} exited with ${signal ?? `code ${code}`} after ${wallSeconds.toFixed(1)} s (sampled peak RSS ${sampled.toFixed(0)} MiB)`));
      const last = stdout.trim().split("\n").pop() ?? "";
      try {
        resolve({report: JSON.parse(last) as R, wallSeconds, sampledPeakRssMiB: sampled});
      } catch {
        reject(new Error(`${script}: no JSON report on stdout (got ${JSON.stringify(stdout.slice(-200))})`));
      }
    });
  });
}

/**
 * Runs a command to completion with its output forwarded to stderr (prefixed); resolves with the
 * wall time (s) and, when GNU time is at `/usr/bin/time`, the largest peak resident set of the
 * command or any of its waited-for descendants (MiB; NaN without GNU time). Rejects on failure.
 */
export function runCommand(
  command: string,
  args: string[],
  {env = {}, prefix = "  | ", cwd = ROOT, timeFile}: {env?: Record<string, string>; prefix?: string; cwd?: string; timeFile?: string} = {}
): Promise<{wallSeconds: number; maxRssMiB: number}> {
  const timed = timeFile !== undefined && existsSync("/usr/bin/time");
  const [cmd, argv] = timed ? ["/usr/bin/time", ["-o", timeFile, "-f", "%M", command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, argv, {cwd, env: {...process.env, ...env}, stdio: ["ignore", "pipe", "pipe"]});
    const forward = (stream: NodeJS.ReadableStream) => {
      let pending = "";
      stream.setEncoding("utf8");
      stream.on("data", (s: string) => {
        const lines = (pending + s).split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) process.stderr.write(`${prefix}${line}\n`);
      });
      stream.on("end", () => pending && process.stderr.write(`${prefix}${pending}\n`));
    };
    forward(child.stdout);
    forward(child.stderr);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const wallSeconds = (performance.now() - t0) / 1000;
      if (code !== 0) return reject(new Error(`${command} ${args.join(" ")} exited with ${signal ?? `code ${code}`} after ${wallSeconds.toFixed(1)} s`));
      let maxRssMiB = NaN;
      if (timed) {
        const kb = Number(readFileSync(timeFile, "utf8").trim().split("\n").pop());
        if (Number.isFinite(kb)) maxRssMiB = kb / 1024;
      }
      resolve({wallSeconds, maxRssMiB});
    });
  });
}
