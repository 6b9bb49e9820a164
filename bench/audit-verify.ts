import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { verifyAudit } from '../src/app/audit/audit-events.js';
import { GENESIS_HASH } from '../src/domain/audit/chain.js';
import { migrateToLatest, openDatabase } from '../src/persistence/db.js';
import { generateAuditChain } from './audit-data.js';
import {
  fmtInt,
  median,
  PROJECT_ROOT,
  progress,
  progressCounter,
  removeDir,
  seconds,
  tempDir,
  timed,
  verdict,
  type Verdict,
} from './support.js';

/**
 * Benchmark 1: `verifyAudit` (the code path of `breachpact audit verify`) against the machine's
 * limit for the same work, a bare chained SHA-256 over the very same `auditBody` strings.
 * Both run in this process, alternating round by round, so a noisy neighbour hits both alike.
 */

export const VERIFY_TARGET = 0.5;

export interface AuditVerifyResult {
  events: number;
  payloadBytes: { min: number; max: number; mean: number };
  bodyBytesMean: number;
  databaseMiB: number;
  generate: { seconds: number; eventsPerSec: number };
  rounds: Array<{
    verifySeconds: number;
    rawSeconds: number;
    verifyCpuSeconds: number;
    rawCpuSeconds: number;
  }>;
  verify: { seconds: number; eventsPerSec: number };
  raw: { seconds: number; eventsPerSec: number };
  /** verify rate / raw rate: the median over rounds of rawSeconds / verifySeconds. */
  ratio: number;
  /** The same on CPU time: what the ratio would be without other processes competing for the cores. */
  cpuRatio: number;
  target: number;
  verdict: Verdict;
  cli: { wallSeconds: number; reportedSeconds: number | null; eventsPerSec: number; output: string };
}

/** The baseline: SHA-256(prevHash || body) chained, on strings already in memory. Returns the last hash. */
function rawChainedSha256(bodies: readonly string[]): string {
  let prev = GENESIS_HASH;
  for (const body of bodies) prev = createHash('sha256').update(prev).update(body).digest('hex');
  return prev;
}

/** Runs `breachpact audit verify` as a user would, against DATA_DIR/breachpact.db. */
async function runCliVerify(dataDir: string): Promise<{ wallSeconds: number; stdout: string }> {
  const started = performance.now();
  const child = spawn(
    path.join(PROJECT_ROOT, 'node_modules/.bin/tsx'),
    ['src/cli/main.ts', 'audit', 'verify'],
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // 'close', not 'exit': stdout is complete only once the pipes have closed.
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  const wallSeconds = seconds(started);
  if (code !== 0) throw new Error(`breachpact audit verify exited with ${code}:\n${stdout}\n${stderr}`);
  return { wallSeconds, stdout };
}

export async function benchAuditVerify(opts: { events: number; rounds: number }): Promise<AuditVerifyResult> {
  const dataDir = tempDir('audit');
  try {
    const file = path.join(dataDir, 'breachpact.db');
    const db = openDatabase({ dialect: 'sqlite', file });
    await migrateToLatest(db);
    if (!db.sqlite) throw new Error('expected an SQLite database');

    progress(`writing ${fmtInt(opts.events)} audit events to ${file}`);
    const started = performance.now();
    const chain = generateAuditChain(db.sqlite, opts.events, progressCounter('events written', opts.events));
    const generateSeconds = seconds(started);

    // Every timed pass must find the chain intact with every event checked, and the baseline must
    // land on the head hash stored in audit_heads (same bytes, same chain): otherwise no figures.
    const rounds: AuditVerifyResult['rounds'] = [];
    for (let r = 1; r <= opts.rounds; r++) {
      progress(`round ${r}/${opts.rounds}: verifyAudit`);
      const v = await timed(() => verifyAudit(db));
      if (!v.value.ok || v.value.checked !== opts.events) {
        throw new Error(
          `verifyAudit: ok=${v.value.ok}, ${v.value.checked} checked, ${JSON.stringify(v.value.firstBreak)}`,
        );
      }
      progress(`round ${r}/${opts.rounds}: raw chained SHA-256`);
      const raw = await timed(() => rawChainedSha256(chain.bodies));
      if (raw.value !== chain.headHash) throw new Error('baseline hash differs from the chain head');
      rounds.push({
        verifySeconds: v.wall,
        rawSeconds: raw.wall,
        verifyCpuSeconds: v.cpu,
        rawCpuSeconds: raw.cpu,
      });
    }
    chain.bodies.length = 0; // release ~0.5 GB before the next steps
    await db.destroy();
    const databaseMiB = fs.statSync(file).size / 2 ** 20;

    progress('timing `breachpact audit verify` end to end (child process)');
    const cli = await runCliVerify(dataDir);
    const reported = /verified in ([\d.]+) s/.exec(cli.stdout);
    if (!cli.stdout.includes(`OK: ${opts.events} audit events verified`)) {
      throw new Error(`unexpected CLI output: ${cli.stdout}`);
    }

    const verifySeconds = median(rounds.map((r) => r.verifySeconds));
    const rawSeconds = median(rounds.map((r) => r.rawSeconds));
    // verify rate / raw rate = raw time / verify time, per round (the two ran back to back), then
    // the median round: steadier than a ratio of medians taken from different rounds.
    const ratio = median(rounds.map((r) => r.rawSeconds / r.verifySeconds));
    const cpuRatio = median(rounds.map((r) => r.rawCpuSeconds / r.verifyCpuSeconds));
    return {
      events: opts.events,
      payloadBytes: chain.payloadBytes,
      bodyBytesMean: chain.bodyBytesMean,
      databaseMiB,
      generate: { seconds: generateSeconds, eventsPerSec: opts.events / generateSeconds },
      rounds,
      verify: { seconds: verifySeconds, eventsPerSec: opts.events / verifySeconds },
      raw: { seconds: rawSeconds, eventsPerSec: opts.events / rawSeconds },
      ratio,
      cpuRatio,
      target: VERIFY_TARGET,
      verdict: verdict(ratio, VERIFY_TARGET),
      cli: {
        wallSeconds: cli.wallSeconds,
        reportedSeconds: reported ? Number(reported[1]) : null,
        eventsPerSec: opts.events / cli.wallSeconds,
        output: cli.stdout.trim(),
      },
    };
  } finally {
    removeDir(dataDir);
  }
}
