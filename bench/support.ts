import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Shared helpers of the benchmarks: progress on stderr, timing, formatting, child servers. */

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const PROJECT_ROOT = path.dirname(BENCH_DIR);

export type Verdict = 'PASS' | 'FAIL';

export function verdict(ratio: number, target: number): Verdict {
  return ratio >= target ? 'PASS' : 'FAIL';
}

/** Progress for long steps goes to stderr so stdout stays the report. */
export function progress(message: string): void {
  process.stderr.write(`  … ${message}\n`);
}

/**
 * A counter for long loops: rewrites one stderr line on a terminal, otherwise prints a line at
 * every quarter so logs stay short.
 */
export function progressCounter(label: string, total: number): (done: number) => void {
  let nextQuarter = 1;
  return (done) => {
    if (process.stderr.isTTY) {
      process.stderr.write(`\r  … ${fmtInt(done)} / ${fmtInt(total)} ${label}${done >= total ? '\n' : ''}`);
    } else if (done >= (total * nextQuarter) / 4) {
      process.stderr.write(`  … ${fmtInt(done)} / ${fmtInt(total)} ${label}\n`);
      nextQuarter++;
    }
  };
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `bp-bench-${prefix}-`));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export function seconds(startMs: number): number {
  return (performance.now() - startMs) / 1000;
}

/** Wall-clock and process CPU time (user + system, all threads) of `fn`, in seconds. */
export async function timed<T>(fn: () => T | Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const value = await fn();
  const wall = seconds(wall0);
  const { user, system } = process.cpuUsage(cpu0);
  return { value, wall, cpu: (user + system) / 1e6 };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en');
}

export function fmtRatio(r: number): string {
  return r.toFixed(2);
}

/** A small deterministic PRNG (mulberry32) so generated data is the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Renders rows as a plain left/right-aligned text table. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export interface ChildServer<Info> {
  info: Info;
  child: ChildProcess;
  /** The child's CPU time so far (user + system, ms): its cost per request, whatever the neighbours do. */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Forks `script` (TypeScript, run through tsx) with an IPC channel, sends it `init`, and waits
 * for its first message (e.g. the port it listens on). `stop` asks it to close, then waits for exit.
 */
export async function startChildServer<Info>(
  script: string,
  init: unknown,
  /** Node options of the child; plain `[]` runs compiled JavaScript without tsx. */
  execArgv: string[] = ['--import', 'tsx'],
): Promise<ChildServer<Info>> {
  const child = fork(path.join(BENCH_DIR, script), [], {
    execArgv,
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const info = await new Promise<Info>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Info));
    child.once('error', reject);
    void exited.then((code) => reject(new Error(`${script} exited with code ${code} before it was ready`)));
    child.send(init as object);
  });
  return {
    info,
    child,
    cpuMs: () =>
      new Promise<number>((resolve) => {
        child.once('message', (m) => resolve((m as { cpuMs: number }).cpuMs));
        child.send({ cpu: true });
      }),
    async stop() {
      if (child.exitCode === null && child.connected) child.send({ stop: true });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The server side of `startChildServer`: receive `init`, report `info`, answer `cpu`, close on `stop`. */
export function serveChild<Init, Info>(
  start: (init: Init) => Promise<{ info: Info; close(): Promise<void> }>,
): void {
  let close: (() => Promise<void>) | null = null;
  process.on('message', (m: unknown) => {
    if (m && typeof m === 'object' && 'stop' in m) {
      void (close ?? (async () => {}))().finally(() => process.exit(0));
      return;
    }
    if (m && typeof m === 'object' && 'cpu' in m) {
      const { user, system } = process.cpuUsage();
      process.send?.({ cpuMs: (user + system) / 1000 });
      return;
    }
    start(m as Init).then(
      (started) => {
        close = started.close;
        process.send?.(started.info as object);
      },
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  });
  // The parent died: do not linger as an orphan holding a port.
  process.on('disconnect', () => {
    void (close ?? (async () => {}))().finally(() => process.exit(0));
  });
}
