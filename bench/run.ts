import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchAuditVerify, type AuditVerifyResult } from './audit-verify.js';
import { benchHttpAgreement, type HttpAgreementResult } from './http-agreement.js';
import { benchEvidenceUpload, printEvidenceUpload, type EvidenceUploadResult } from './evidence-upload.js';
import { benchMail, printMail, type MailBenchResult } from './mail.js';
import { benchObligations, type ObligationsResult } from './obligations.js';
import { benchWorkQueue, WORK_QUEUE_QUERY, type WorkQueueResult } from './work-queue.js';
import { BENCH_DIR, fmtInt, fmtRatio, progress, seconds, table } from './support.js';

/**
 * `npm run bench`: the project against the machine's own limits, measured in the same run
 * (DESIGN §8). Not part of `npm test`: the figures are reported, not asserted, so a FAIL is
 * printed but does not change the exit code; a benchmark that cannot run (bad data, a non-2xx
 * answer) does.
 *
 *   npm run bench                         all three benchmarks, full size (~3-4 minutes)
 *   npm run bench -- --only audit         one of them (audit | http | obligations | mail)
 *   npm run bench -- --only mail --mails 2000 --mail-concurrency 10   outbox mail throughput
 *   npm run bench -- --events 200000 --rounds 1 --duration 3   a quick smoke run
 *   npm run bench -- --only obligations --agreements 100        a smaller incidents database
 *   npm run bench -- --only work-queue    GET /api/v1/obligations with 10,000 incidents (SQLite, PostgreSQL)
 *   npm run bench -- --only work-queue --wq-incidents 100 --wq-requests 3 --sqlite-only   a quick smoke run
 *   npm run bench -- --only evidence     a 1 GiB evidence upload vs sha256sum, server peak RSS (--evidence-mib 64: quick)
 *
 * Figures go to stdout and to bench/.out/results.json; progress goes to stderr.
 */

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    events: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '3' },
    // HTTP load per server: 10 s for GET agreement, 8 s for the obligations list, unless given.
    duration: { type: 'string' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    agreements: { type: 'string', default: '1000' },
    incidents: { type: 'string', default: '10' },
    'derive-rounds': { type: 'string', default: '7' },
    rotate: { type: 'string', default: '100' },
    mails: { type: 'string', default: '2000' },
    'mail-concurrency': { type: 'string', default: '10' },
    // The work queue: 20 agreements × 500 incidents between a large organisation and 4 others.
    'wq-agreements': { type: 'string', default: '20' },
    'wq-incidents': { type: 'string', default: '500' },
    'wq-requests': { type: 'string', default: '15' },
    'sqlite-only': { type: 'boolean', default: false },
    // Evidence upload (issue 9): file size in MiB; --evidence-tsx runs the server through tsx.
    'evidence-mib': { type: 'string', default: '1024' },
    'evidence-tsx': { type: 'boolean', default: false },
  },
});

const num = (name: keyof typeof args, fallback?: number): number => {
  const n = Number(args[name] ?? fallback);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
};

function printAudit(a: AuditVerifyResult): void {
  console.log('\n1. Audit chain verification vs raw chained SHA-256');
  console.log(
    `   ${fmtInt(a.events)} events on one agreement chain; payload ${a.payloadBytes.min}-${a.payloadBytes.max} B ` +
      `(mean ${a.payloadBytes.mean.toFixed(0)}), hashed body mean ${a.bodyBytesMean.toFixed(0)} B; ` +
      `database ${a.databaseMiB.toFixed(0)} MiB; written at ${fmtInt(a.generate.eventsPerSec)} events/s`,
  );
  for (const [i, r] of a.rounds.entries()) {
    console.log(
      `   round ${i + 1}: verifyAudit ${r.verifySeconds.toFixed(2)} s (${fmtInt(a.events / r.verifySeconds)}/s), ` +
        `raw ${r.rawSeconds.toFixed(2)} s (${fmtInt(a.events / r.rawSeconds)}/s), ` +
        `ratio ${fmtRatio(r.rawSeconds / r.verifySeconds)} (CPU time ${fmtRatio(r.rawCpuSeconds / r.verifyCpuSeconds)})`,
    );
  }
  console.log(`   verifyAudit (median)          ${fmtInt(a.verify.eventsPerSec).padStart(10)} events/s`);
  console.log(`   raw chained SHA-256 (median)  ${fmtInt(a.raw.eventsPerSec).padStart(10)} events/s`);
  console.log(
    `   ratio verify/raw = ${fmtRatio(a.ratio)} (median round; target >= ${a.target}): ${a.verdict}` +
      `   [on CPU time: ${fmtRatio(a.cpuRatio)}]`,
  );
  console.log(
    `   \`breachpact audit verify\` as a child process: ${a.cli.wallSeconds.toFixed(2)} s wall ` +
      `(${fmtInt(a.cli.eventsPerSec)} events/s incl. start-up; it reports ${a.cli.reportedSeconds ?? '?'} s)`,
  );
}

function printHttp(h: HttpAgreementResult): void {
  console.log(
    `\n2. GET /api/v1/agreements/{id}, ${h.connections} connections, ${h.durationSec} s (after ${h.warmupSec} s warm-up)`,
  );
  for (const [name, f] of [
    ['real app (bearer token)', h.real],
    ['bare Fastify', h.bare],
  ] as const) {
    console.log(
      `   ${name.padEnd(24)} ${fmtInt(f.requestsPerSec).padStart(7)} req/s  p50 ${f.latencyMs.p50} ms  ` +
        `p99 ${f.latencyMs.p99} ms  server CPU ${fmtInt(f.serverCpuUsPerRequest)} µs/request  ` +
        `(${fmtInt(f.requests)} responses of ${fmtInt(f.responseBytes)} B)`,
    );
  }
  console.log(
    `   ratio real/bare = ${fmtRatio(h.ratio)} (target >= ${h.target}): ${h.verdict}` +
      `   [on server CPU per request: ${fmtRatio(h.cpuRatio)}]`,
  );
}

function printObligations(r: ObligationsResult): void {
  const s = r.seed;
  console.log(
    `\n3. Obligations: ${fmtInt(r.agreements)} agreements × ${r.incidentsPerAgreement} incidents ` +
      `(${fmtInt(s.incidents)}) between ${s.organizations} organisations`,
  );
  console.log(
    `   seeded ${fmtInt(s.firstNotices)} 第一報, ${fmtInt(s.followUps)} 続報, ${fmtInt(s.containment)} containment, ` +
      `${fmtInt(s.itemRequests)} item requests, ${fmtInt(s.waivers)} waivers in ${s.writeSeconds.toFixed(2)} s ` +
      `(database ${s.databaseMiB.toFixed(0)} MiB); states ${Object.entries(s.byState)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
  );
  console.log(
    `   ${fmtInt(r.obligations.total)} obligations: ${Object.entries(r.obligations.byState)
      .map(([k, v]) => `${k} ${fmtInt(v)}`)
      .join(', ')}`,
  );
  console.log(
    `   loading through the repositories (${r.load.batchAgreements} agreements a batch): ` +
      `${r.load.seconds.toFixed(2)} s (${fmtInt(r.load.incidentsPerSec)} incidents/s)`,
  );
  console.log(
    `   deriveObligations rounds: ${r.recompute.roundSeconds.map((x) => `${(x * 1000).toFixed(1)} ms`).join(', ')}`,
  );
  console.log(
    `   recompute (median)  ${fmtInt(r.recompute.incidentsPerSec).padStart(10)} incidents/s ` +
      `(${fmtInt(r.recompute.obligationsPerSec)} obligations/s; target >= ${fmtInt(r.recompute.target)}): ${r.recompute.verdict}`,
  );
  for (const [name, e] of [
    ['listIncidents + computeObligations', r.endToEnd],
    ['computeAgreementObligations (the endpoint)', r.endToEndAgreement],
  ] as const) {
    console.log(
      `   end to end, ${name} per agreement (median of ${e.roundSeconds.length}): ` +
        `${fmtInt(e.incidentsPerSec)} incidents/s, ${fmtInt(e.agreementsPerSec)} agreements/s`,
    );
  }
  console.log(
    `   work queue GET /api/v1/obligations, one organisation over ${fmtInt(r.workQueue.agreements)} agreements ` +
      `(${fmtInt(r.workQueue.rows)} rows): first ${r.workQueue.coldMs.toFixed(0)} ms, then ${r.workQueue.warmMs.toFixed(0)} ms (median of 5)`,
  );
  const h = r.http;
  console.log(
    `   GET /api/v1/agreements/{id}/obligations?${h.query}, rotating over ${h.agreementsRotated} agreements ` +
      `(${h.itemsPerResponse.toFixed(1)} items a response), ${h.connections} connections, ${h.durationSec} s ` +
      `(after ${h.warmupSec} s warm-up)`,
  );
  for (const [name, f] of [
    ['real app (bearer token)', h.real],
    ['bare Fastify', h.bare],
  ] as const) {
    console.log(
      `   ${name.padEnd(24)} ${fmtInt(f.requestsPerSec).padStart(7)} req/s  p50 ${f.latencyMs.p50} ms  ` +
        `p99 ${f.latencyMs.p99} ms  server CPU ${fmtInt(f.serverCpuUsPerRequest)} µs/request  ` +
        `(${fmtInt(f.requests)} responses of ${fmtInt(f.responseBytes)} B mean)`,
    );
  }
  console.log(
    `   ratio real/bare = ${fmtRatio(h.ratio)} [on server CPU per request: ${fmtRatio(h.cpuRatio)}]; ` +
      `p99 ${h.real.latencyMs.p99} ms (target <= ${h.p99TargetMs} ms): ${h.verdict}`,
  );
}

function printWorkQueue(r: WorkQueueResult): void {
  const s = r.seed;
  console.log(
    `\n5. Work queue GET /api/v1/obligations?${WORK_QUEUE_QUERY}: ${fmtInt(r.incidents)} incidents on ` +
      `${r.agreements} agreements, one organisation party to all (${r.organizations - 1} counterparties)`,
  );
  console.log(
    `   seeded ${fmtInt(s.firstNotices)} 第一報, ${fmtInt(s.followUps)} 続報, ${fmtInt(s.containment)} containment, ` +
      `${fmtInt(s.itemRequests)} item requests, ${fmtInt(s.waivers)} waivers (database ${s.databaseMiB.toFixed(0)} MiB); ` +
      `states ${Object.entries(s.byState)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}; ${fmtInt(r.hiddenIncidents)} not yet notified by the other party (hidden)`,
  );
  for (const d of r.dialects) {
    console.log(
      `   [${d.dialect}] ${fmtInt(d.rows)} rows, ${fmtInt(d.responseBytes)} B; in process: first ` +
        `${d.inProcess.coldMs.toFixed(0)} ms, then ${d.inProcess.warmMs.toFixed(1)} ms (median of ${d.inProcess.warmRoundsMs.length}); ` +
        `HTTP: ${r.requests} requests one at a time (after ${r.warmup} untimed)`,
    );
    for (const [name, f] of [
      ['real app (bearer token)', d.real],
      ['bare Fastify, same JSON', d.bare],
    ] as const) {
      console.log(
        `   ${name.padEnd(24)} ${f.requestsPerSec.toFixed(2).padStart(7)} req/s  p50 ${f.latencyMs.p50.toFixed(0)} ms  ` +
          `min ${f.latencyMs.min.toFixed(0)} ms  max ${f.latencyMs.max.toFixed(0)} ms  ` +
          `server CPU ${fmtInt(f.serverCpuUsPerRequest)} µs/request`,
      );
    }
    console.log(
      `   ratio real/bare = ${fmtRatio(d.ratio)} (target >= ${d.target}): ${d.verdict}` +
        `   [on server CPU per request: ${fmtRatio(d.cpuRatio)}]`,
    );
  }
}

function summary(
  audit: AuditVerifyResult | null,
  http: HttpAgreementResult | null,
  obligations: ObligationsResult | null,
  workQueue: WorkQueueResult | null = null,
): string {
  const rows: string[][] = [];
  const row = (name: string, project: string, baseline: string, ratio = '', target = '', result = '') =>
    rows.push([name, project, baseline, ratio, target, result]);
  if (audit) {
    const a = audit;
    row(
      'audit verify (events/s)',
      fmtInt(a.verify.eventsPerSec),
      fmtInt(a.raw.eventsPerSec),
      fmtRatio(a.ratio),
      `>= ${a.target}`,
      a.verdict,
    );
  }
  if (http) {
    const { real, bare } = http;
    row(
      'GET agreement (req/s)',
      fmtInt(real.requestsPerSec),
      fmtInt(bare.requestsPerSec),
      fmtRatio(http.ratio),
      `>= ${http.target}`,
      http.verdict,
    );
    row('GET agreement p99 (ms)', String(real.latencyMs.p99), String(bare.latencyMs.p99));
    row(
      'GET agreement server CPU (µs/req)',
      fmtInt(real.serverCpuUsPerRequest),
      fmtInt(bare.serverCpuUsPerRequest),
      fmtRatio(http.cpuRatio),
    );
  }
  if (obligations) {
    const { recompute, endToEnd, http: h } = obligations;
    row(
      'recompute obligations (incidents/s)',
      fmtInt(recompute.incidentsPerSec),
      '',
      '',
      `>= ${fmtInt(recompute.target)}`,
      recompute.verdict,
    );
    row('  incl. queries, computeObligations', fmtInt(endToEnd.incidentsPerSec), '');
    row('  incl. queries, agreement-scoped', fmtInt(obligations.endToEndAgreement.incidentsPerSec), '');
    row(
      'GET obligations (req/s)',
      fmtInt(h.real.requestsPerSec),
      fmtInt(h.bare.requestsPerSec),
      fmtRatio(h.ratio),
    );
    row(
      'GET obligations p99 (ms)',
      String(h.real.latencyMs.p99),
      String(h.bare.latencyMs.p99),
      '',
      `<= ${h.p99TargetMs}`,
      h.verdict,
    );
    row(
      'GET obligations server CPU (µs/req)',
      fmtInt(h.real.serverCpuUsPerRequest),
      fmtInt(h.bare.serverCpuUsPerRequest),
      fmtRatio(h.cpuRatio),
    );
  }
  for (const d of workQueue?.dialects ?? []) {
    row(
      `work queue ${d.dialect} (req/s)`,
      d.real.requestsPerSec.toFixed(2),
      d.bare.requestsPerSec.toFixed(2),
      fmtRatio(d.ratio),
      `>= ${d.target}`,
      d.verdict,
    );
    row(`work queue ${d.dialect} p50 (ms)`, d.real.latencyMs.p50.toFixed(0), d.bare.latencyMs.p50.toFixed(0));
  }
  return table(['benchmark', 'project', 'baseline', 'ratio', 'target', 'result'], rows);
}

async function main(): Promise<void> {
  const started = performance.now();
  const only = args.only;
  if (
    only !== undefined &&
    !['audit', 'http', 'obligations', 'mail', 'work-queue', 'evidence'].includes(only)
  )
    throw new Error('--only must be audit, http, obligations, mail, work-queue or evidence');
  const runs = (name: string) => only === undefined || only === name;
  console.log(
    `BreachPact benchmarks — Node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]?.toFixed(2)}`,
  );

  let audit: AuditVerifyResult | null = null;
  if (runs('audit')) {
    progress('benchmark 1/3: audit chain verification');
    audit = await benchAuditVerify({ events: num('events'), rounds: num('rounds') });
    printAudit(audit);
  }
  let http: HttpAgreementResult | null = null;
  if (runs('http')) {
    progress('benchmark 2/3: GET /api/v1/agreements/{id}');
    http = await benchHttpAgreement({
      connections: num('connections'),
      durationSec: num('duration', 10),
      warmupSec: num('warmup'),
    });
    printHttp(http);
  }
  let obligations: ObligationsResult | null = null;
  if (runs('obligations')) {
    progress('benchmark 3/3: obligations (recompute; GET /api/v1/agreements/{id}/obligations)');
    obligations = await benchObligations({
      agreements: num('agreements'),
      incidentsPerAgreement: num('incidents'),
      deriveRounds: num('derive-rounds'),
      endToEndRounds: num('rounds'),
      rotate: num('rotate'),
      connections: num('connections'),
      durationSec: num('duration', 8),
      warmupSec: num('warmup'),
    });
    printObligations(obligations);
  }
  let mail: MailBenchResult | null = null;
  if (runs('mail')) {
    progress('benchmark 4: outbox mail throughput to a local SMTP sink');
    mail = await benchMail({ mails: num('mails'), concurrency: num('mail-concurrency') });
    printMail(mail);
  }

  let workQueue: WorkQueueResult | null = null;
  if (runs('work-queue')) {
    progress('benchmark 5: the work queue (GET /api/v1/obligations) with 10,000 incidents');
    workQueue = await benchWorkQueue({
      agreements: num('wq-agreements'),
      incidentsPerAgreement: num('wq-incidents'),
      organizations: 5,
      sqliteOnly: args['sqlite-only'] === true,
      requests: num('wq-requests'),
      warmup: num('warmup'),
    });
    printWorkQueue(workQueue);
  }

  let evidence: EvidenceUploadResult | null = null;
  if (runs('evidence')) {
    progress('benchmark 6: evidence upload of a 1 GiB file vs sha256sum, server peak RSS');
    evidence = await benchEvidenceUpload({
      mib: num('evidence-mib'),
      compiled: args['evidence-tsx'] !== true,
    });
    printEvidenceUpload(evidence);
  }

  console.log(`\nSummary (baselines measured in this run; ${seconds(started).toFixed(0)} s in all)\n`);
  console.log(summary(audit, http, obligations, workQueue));

  const outDir = path.join(BENCH_DIR, '.out');
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, 'results.json');
  const machine = { node: process.version, cpus: os.cpus().length, loadAverage: os.loadavg() };
  fs.writeFileSync(
    file,
    `${JSON.stringify({ at: new Date().toISOString(), machine, audit, http, obligations, mail, workQueue, evidence }, null, 2)}\n`,
  );
  console.log(`\nFigures written to ${path.relative(process.cwd(), file)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
