import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import type { EvidenceServerInfo } from './servers/evidence-server.js';
import {
  BENCH_DIR,
  fmtRatio,
  PROJECT_ROOT,
  progress,
  removeDir,
  startChildServer,
  tempDir,
  verdict,
  type Verdict,
} from './support.js';

const run = promisify(execFile);

export interface EvidenceUploadResult {
  bytes: number;
  /** `sha256sum` of the same file, twice (before and after the upload); the faster one is the baseline. */
  sha256sum: { seconds: number[]; cpuSeconds: number[]; mibPerSec: number; digest: string };
  /** `serverCpuSeconds`: the server process's CPU time (user + sys) during the upload. */
  upload: { seconds: number; serverCpuSeconds: number; mibPerSec: number; digest: string; status: number };
  /** upload throughput / sha256sum throughput (wall clock; the machine may be shared). */
  ratio: number;
  /** The same on CPU time: sha256sum's CPU / the server's CPU for the upload. */
  cpuRatio: number;
  /** Whether the server ran from compiled JS (as in production) rather than through tsx. */
  compiled: boolean;
  target: number;
  verdict: Verdict;
  /** The server's peak resident set during the upload (VmHWM after resetting it; sampled VmRSS max). */
  peakRssMiB: { hwm: number | null; sampled: number; target: number; verdict: Verdict };
  /** The server's resident set before the upload. */
  idleRssMiB: number;
}

const MiB = 1024 * 1024;

function statusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** `sha256sum` of the file: wall time, CPU time (user + sys, from bash's `time`) and the digest. */
async function sha256sum(file: string): Promise<{ seconds: number; cpuSeconds: number; digest: string }> {
  const t0 = performance.now();
  const { stdout, stderr } = await run('bash', [
    '-c',
    'TIMEFORMAT="%U %S"; time sha256sum "$1"',
    'bash',
    file,
  ]);
  const seconds = (performance.now() - t0) / 1000;
  const [user, sys] = stderr.trim().split(/\s+/).map(Number) as [number, number];
  return { seconds, cpuSeconds: user + sys, digest: stdout.split(/\s/)[0] as string };
}

function upload(
  info: EvidenceServerInfo,
  file: string,
  size: number,
): Promise<{ seconds: number; status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.request(
      `${info.uploadUrl}?filename=${encodeURIComponent('bench-1GiB.bin')}`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${info.token}`,
          'content-type': 'application/octet-stream',
          'content-length': String(size),
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () =>
          resolve({ seconds: (performance.now() - t0) / 1000, status: res.statusCode ?? 0, body }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    fs.createReadStream(file, { highWaterMark: MiB }).pipe(req);
  });
}

/**
 * Evidence upload (issue 9, "Done when"): a file of `mib` MiB (random bytes) POSTed through the real
 * HTTP server (a child process: buildServer on SQLite), which streams it to DATA_DIR/evidence with
 * SHA-256 on the way and syncs it to disk; against `sha256sum` of the same file in the same run.
 * The server's peak RSS during the upload comes from /proc/<pid>/status: VmHWM after resetting it
 * (`echo 5 > /proc/<pid>/clear_refs`) just before the upload, and VmRSS sampled every 20 ms.
 */
export async function benchEvidenceUpload(options: {
  mib: number;
  /** Run the server from a compiled copy of src/ (plain JS, as `npm start` does), not through tsx. */
  compiled: boolean;
}): Promise<EvidenceUploadResult> {
  const bytes = options.mib * MiB;
  let script = 'servers/evidence-server.ts';
  let execArgv: string[] | undefined;
  if (options.compiled) {
    // The server and this benchmark's child script as plain JavaScript (as `npm start` runs dist/),
    // inside the project so that node_modules and the package's "type" resolve as for dist/.
    progress('compiling src/ and the child script to plain JS (tsc) for the server');
    const out = path.join(BENCH_DIR, '.out');
    fs.mkdirSync(out, { recursive: true });
    const tsconfig = path.join(out, 'evidence-tsconfig.json');
    fs.writeFileSync(
      tsconfig,
      JSON.stringify({
        extends: '../../tsconfig.json',
        compilerOptions: { rootDir: '../..', outDir: './evidence-compiled', noEmit: false, sourceMap: false },
        include: ['../../src/**/*.ts', '../servers/evidence-server.ts', '../support.ts'],
        exclude: ['../../src/**/*.test.ts'],
      }),
    );
    removeDir(path.join(out, 'evidence-compiled'));
    await run('npx', ['tsc', '-p', tsconfig], { cwd: PROJECT_ROOT }).catch(() => {
      // Type errors elsewhere still emit JavaScript; only a missing output is fatal.
      if (!fs.existsSync(path.join(out, 'evidence-compiled', 'bench', 'servers', 'evidence-server.js'))) {
        throw new Error('tsc emitted no evidence-server.js');
      }
    });
    script = '.out/evidence-compiled/bench/servers/evidence-server.js';
    execArgv = [];
  }
  // Made only now: a failed compilation or server start leaves no temporary folder behind.
  const dir = tempDir('evidence-file');
  const file = path.join(dir, 'evidence.bin');
  const server = await startChildServer<EvidenceServerInfo>(
    script,
    { maxBytes: 2 * 1024 * MiB, root: null },
    execArgv,
  ).catch((e: unknown) => {
    removeDir(dir);
    throw e;
  });
  try {
    progress(`writing a ${options.mib} MiB file of random bytes`);
    const fd = fs.openSync(file, 'w');
    const chunk = Buffer.alloc(MiB);
    for (let i = 0; i < options.mib; i++) {
      randomBytes(MiB).copy(chunk);
      fs.writeSync(fd, chunk);
    }
    fs.closeSync(fd);

    progress('sha256sum (1/2)');
    const before = await sha256sum(file);
    const { pid } = server.info;
    const idle = statusKiB(pid, 'VmRSS') ?? 0;
    let hwmReset = true;
    try {
      fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    } catch {
      hwmReset = false;
    }
    let sampled = idle;
    const timer = setInterval(() => {
      sampled = Math.max(sampled, statusKiB(pid, 'VmRSS') ?? 0);
    }, 20);
    progress(`POST ${options.mib} MiB to /api/v1/incidents/{id}/evidence`);
    const cpu0 = await server.cpuMs();
    const up = await upload(server.info, file, bytes);
    const serverCpuSeconds = ((await server.cpuMs()) - cpu0) / 1000;
    clearInterval(timer);
    sampled = Math.max(sampled, statusKiB(pid, 'VmRSS') ?? 0);
    const hwm = hwmReset ? statusKiB(pid, 'VmHWM') : null;
    if (up.status !== 201) throw new Error(`upload answered ${up.status}: ${up.body.slice(0, 500)}`);
    const reply = JSON.parse(up.body) as { sha256: string; size: number };
    if (reply.size !== bytes) throw new Error(`upload stored ${reply.size} bytes, not ${bytes}`);
    progress('sha256sum (2/2)');
    const after = await sha256sum(file);
    if (reply.sha256 !== before.digest || after.digest !== before.digest) {
      throw new Error(`digests differ: server ${reply.sha256}, sha256sum ${before.digest} / ${after.digest}`);
    }
    const best = Math.min(before.seconds, after.seconds);
    const bestCpu = Math.min(before.cpuSeconds, after.cpuSeconds);
    const mibPerSec = (s: number) => bytes / MiB / s;
    const ratio = best / up.seconds;
    const target = 0.5;
    const peak = Math.max(hwm ?? 0, sampled) / 1024;
    return {
      bytes,
      sha256sum: {
        seconds: [before.seconds, after.seconds],
        cpuSeconds: [before.cpuSeconds, after.cpuSeconds],
        mibPerSec: mibPerSec(best),
        digest: before.digest,
      },
      upload: {
        seconds: up.seconds,
        serverCpuSeconds,
        mibPerSec: mibPerSec(up.seconds),
        digest: reply.sha256,
        status: up.status,
      },
      ratio,
      cpuRatio: bestCpu / serverCpuSeconds,
      compiled: options.compiled,
      target,
      verdict: verdict(ratio, target),
      peakRssMiB: {
        hwm: hwm === null ? null : hwm / 1024,
        sampled: sampled / 1024,
        target: 150,
        verdict: peak < 150 ? 'PASS' : 'FAIL',
      },
      idleRssMiB: idle / 1024,
    };
  } finally {
    await server.stop();
    removeDir(dir);
  }
}

export function printEvidenceUpload(r: EvidenceUploadResult): void {
  const mib = r.bytes / MiB;
  console.log(
    `\n6. Evidence upload: ${mib} MiB through POST /api/v1/incidents/{id}/evidence vs sha256sum ` +
      `(server ${r.compiled ? 'compiled JS' : 'through tsx'})`,
  );
  console.log(
    `   sha256sum            ${r.sha256sum.seconds.map((s) => `${s.toFixed(2)} s`).join(' / ')} ` +
      `(best ${r.sha256sum.mibPerSec.toFixed(0)} MiB/s; CPU ${r.sha256sum.cpuSeconds.map((s) => `${s.toFixed(2)} s`).join(' / ')})`,
  );
  console.log(
    `   upload (HTTP, SHA-256, written and synced)  ${r.upload.seconds.toFixed(2)} s ` +
      `(${r.upload.mibPerSec.toFixed(0)} MiB/s; server CPU ${r.upload.serverCpuSeconds.toFixed(2)} s); ` +
      `same digest ${r.upload.digest.slice(0, 16)}…`,
  );
  console.log(
    `   ratio upload/sha256sum = ${fmtRatio(r.ratio)} (target >= ${r.target}): ${r.verdict}` +
      `   [on CPU time: ${fmtRatio(r.cpuRatio)}]`,
  );
  console.log(
    `   server RSS: ${r.idleRssMiB.toFixed(0)} MiB before; peak during the upload ` +
      `${r.peakRssMiB.hwm === null ? '(VmHWM not resettable)' : `VmHWM ${r.peakRssMiB.hwm.toFixed(0)} MiB`}, ` +
      `sampled VmRSS max ${r.peakRssMiB.sampled.toFixed(0)} MiB (target < ${r.peakRssMiB.target} MiB): ${r.peakRssMiB.verdict}`,
  );
}
