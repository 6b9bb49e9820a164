import fs from 'node:fs';
import { createApiToken, toActor } from '../src/app/auth/sessions.js';
import { systemClock, type AppContext } from '../src/app/context.js';
import { workQueue } from '../src/app/obligations/work-queue.js';
import { findUserByEmail } from '../src/persistence/repositories/users.js';
import {
  computeAgreementObligations,
  computeObligations,
  loadObligationInputs,
} from '../src/app/incidents/obligations.js';
import { loadConfig } from '../src/config/config.js';
import {
  deriveObligations,
  type Obligation,
  type ObligationInputs,
  type ObligationState,
} from '../src/domain/obligation/engine.js';
import { migrateToLatest, openDatabase } from '../src/persistence/db.js';
import { listAgreements, type AgreementRecord } from '../src/persistence/repositories/agreements.js';
import { listIncidents } from '../src/persistence/repositories/incidents.js';
import { load, type LoadFigures, type LoadOptions } from './http-agreement.js';
import { seedIncidents, type SeededIncidents } from './incidents-data.js';
import type { BareServerInit } from './servers/bare-server.js';
import type { ObligationsServerInit } from './servers/obligations-server.js';
import { median, progress, removeDir, seconds, startChildServer, tempDir, type Verdict } from './support.js';

/**
 * Benchmark 3: the obligation engine over many incidents, and the agreement's obligation list
 * over HTTP. One seeded SQLite database (`incidents-data.ts`) serves both parts:
 *
 *  - recompute: every incident's records are loaded through the real repositories
 *    (`loadObligationInputs`, batches of agreements), then the pure `deriveObligations` is timed
 *    over all of them, several rounds, median — against an absolute target in incidents/s. For
 *    information, the same work end to end as the app does it: `listIncidents` +
 *    `computeObligations` per agreement, queries included.
 *  - HTTP: GET /api/v1/agreements/{id}/obligations of the real app, rotating over agreements of
 *    the token's organisation, against a bare Fastify route answering each the same JSON; the same
 *    process layout as benchmark 2 (each server alone in a child, autocannon here).
 */

export const RECOMPUTE_TARGET = 50_000;
export const P99_TARGET_MS = 50;
/** The agreement page asks for the unmet obligations (web/src/api/incidents.ts). */
export const OBLIGATIONS_QUERY = 'state=open,breached';
/** Agreements loaded per batch of repository queries in the recompute part. */
const LOAD_BATCH_AGREEMENTS = 100;

export interface ObligationsOptions extends LoadOptions {
  agreements: number;
  incidentsPerAgreement: number;
  /** Timed rounds of `deriveObligations` over every incident (after one untimed warm-up round). */
  deriveRounds: number;
  /** Timed rounds of the end-to-end recompute. */
  endToEndRounds: number;
  /** How many agreements the HTTP load rotates over. */
  rotate: number;
}

export interface ObligationsResult {
  agreements: number;
  incidentsPerAgreement: number;
  seed: SeededIncidents['counts'] & { organizations: number; writeSeconds: number; databaseMiB: number };
  obligations: { total: number; byState: Record<ObligationState, number> };
  load: { seconds: number; incidentsPerSec: number; batchAgreements: number };
  recompute: {
    roundSeconds: number[];
    seconds: number;
    incidentsPerSec: number;
    obligationsPerSec: number;
    target: number;
    verdict: Verdict;
  };
  endToEnd: EndToEndFigures;
  /** The same through `computeAgreementObligations`, the endpoint's path (five compiled queries). */
  endToEndAgreement: EndToEndFigures;
  /** GET /api/v1/obligations for one organisation (ms): first call, then the median of 5. */
  workQueue: { agreements: number; rows: number; coldMs: number; warmMs: number };
  http: {
    query: string;
    agreementsRotated: number;
    itemsPerResponse: number;
    connections: number;
    durationSec: number;
    warmupSec: number;
    real: LoadFigures;
    bare: LoadFigures;
    /** real req/s / bare req/s. */
    ratio: number;
    /** bare CPU per request / real CPU per request. */
    cpuRatio: number;
    p99TargetMs: number;
    verdict: Verdict;
  };
}

export interface EndToEndFigures {
  roundSeconds: number[];
  seconds: number;
  incidentsPerSec: number;
  agreementsPerSec: number;
}

const STATES: readonly ObligationState[] = ['open', 'met', 'met_late', 'breached', 'waived'];

/** One pass of the pure engine over every input; returns the number of obligations (kept live). */
function deriveAll(
  inputs: readonly ObligationInputs[],
  nowMs: number,
  tally?: Record<ObligationState, number>,
) {
  let n = 0;
  for (const input of inputs) {
    const obligations = deriveObligations(input, nowMs);
    n += obligations.length;
    if (tally) for (const o of obligations) tally[o.state]++;
  }
  return n;
}

type Recompute = (
  ctx: AppContext,
  agreement: AgreementRecord,
  nowMs: number,
) => Promise<Map<string, Obligation[]>>;

/** As the app recomputes an agreement in general: its incidents, then `computeObligations`. */
const perAgreement: Recompute = async (ctx, agreement, nowMs) =>
  computeObligations(
    ctx.db,
    await listIncidents(ctx.db, [agreement.id]),
    new Map([[agreement.id, agreement]]),
    nowMs,
  );

/** As GET /agreements/{id}/obligations does. */
const agreementScoped: Recompute = async (ctx, agreement, nowMs) =>
  (await computeAgreementObligations(ctx.db, agreement, nowMs)).obligations;

async function endToEnd(
  ctx: AppContext,
  agreements: readonly AgreementRecord[],
  nowMs: number,
  recompute: Recompute,
): Promise<{ incidents: number; obligations: number }> {
  let incidents = 0;
  let obligations = 0;
  for (const agreement of agreements) {
    const map = await recompute(ctx, agreement, nowMs);
    incidents += map.size;
    for (const list of map.values()) obligations += list.length;
  }
  return { incidents, obligations };
}

/** Median of `rounds` timed passes over every agreement (after a short warm-up), counts checked. */
async function timeEndToEnd(
  ctx: AppContext,
  agreements: readonly AgreementRecord[],
  nowMs: number,
  recompute: Recompute,
  rounds: number,
  expected: { incidents: number; obligations: number },
): Promise<EndToEndFigures> {
  await endToEnd(ctx, agreements.slice(0, 50), nowMs, recompute); // statement cache, JIT
  const roundSeconds: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    const got = await endToEnd(ctx, agreements, nowMs, recompute);
    roundSeconds.push(seconds(started));
    if (got.incidents !== expected.incidents || got.obligations !== expected.obligations) {
      throw new Error(`end to end: ${got.incidents} incidents, ${got.obligations} obligations`);
    }
  }
  const s = median(roundSeconds);
  return {
    roundSeconds,
    seconds: s,
    incidentsPerSec: expected.incidents / s,
    agreementsPerSec: agreements.length / s,
  };
}

export async function benchObligations(o: ObligationsOptions): Promise<ObligationsResult> {
  const dataDir = tempDir('obligations');
  try {
    const config = loadConfig({
      DATA_DIR: dataDir,
      PUBLIC_URL: 'http://127.0.0.1:3000',
      LOG_LEVEL: 'silent',
    });
    const db = openDatabase(config.database);
    await migrateToLatest(db);
    const ctx: AppContext = { db, config, clock: systemClock };
    const nowMs = Date.now();

    progress(`seeding ${o.agreements} agreements × ${o.incidentsPerAgreement} incidents with notices`);
    const seeded = await seedIncidents(ctx, {
      agreements: o.agreements,
      incidentsPerAgreement: o.incidentsPerAgreement,
      nowMs,
    });
    db.sqlite?.pragma('wal_checkpoint(TRUNCATE)');
    const dbFile = config.database.dialect === 'sqlite' ? config.database.file : '';
    const databaseMiB = fs.statSync(dbFile).size / 2 ** 20;

    // Recompute, part 1: load every incident's records through the repositories.
    progress('recompute: loading every incident with its notices, requests, containment and waivers');
    const agreements = await listAgreements(db, null);
    const byId = new Map(agreements.map((a) => [a.id, a]));
    const loadStarted = performance.now();
    const inputs: ObligationInputs[] = [];
    for (let i = 0; i < seeded.agreementIds.length; i += LOAD_BATCH_AGREEMENTS) {
      const batch = seeded.agreementIds.slice(i, i + LOAD_BATCH_AGREEMENTS);
      inputs.push(...(await loadObligationInputs(db, await listIncidents(db, batch), byId)));
    }
    const loadSeconds = seconds(loadStarted);
    if (inputs.length !== seeded.counts.incidents) {
      throw new Error(`loaded ${inputs.length} incidents, seeded ${seeded.counts.incidents}`);
    }

    // Part 2: the pure engine, timed.
    const byState = Object.fromEntries(STATES.map((s) => [s, 0])) as Record<ObligationState, number>;
    const total = deriveAll(inputs, nowMs, byState);
    progress(`recompute: deriveObligations over ${inputs.length} incidents, ${o.deriveRounds} rounds`);
    const roundSeconds: number[] = [];
    for (let r = 0; r < o.deriveRounds; r++) {
      const started = performance.now();
      const n = deriveAll(inputs, nowMs);
      roundSeconds.push(seconds(started));
      if (n !== total) throw new Error(`round ${r + 1} derived ${n} obligations, expected ${total}`);
    }
    const deriveSeconds = median(roundSeconds);

    // Part 3 (information): end to end per agreement, queries included, as the app recomputes.
    // The endpoint's agreement-scoped loader must give exactly what computeObligations gives
    // (same incidents in the same order, same obligations, key order included).
    for (const agreement of agreements) {
      const a = await perAgreement(ctx, agreement, nowMs);
      const b = await agreementScoped(ctx, agreement, nowMs);
      if (JSON.stringify([...a]) !== JSON.stringify([...b])) {
        throw new Error(`computeAgreementObligations differs from computeObligations on ${agreement.id}`);
      }
    }
    const expected = { incidents: inputs.length, obligations: total };
    progress(
      `recompute end to end: listIncidents + computeObligations per agreement, ${o.endToEndRounds} rounds`,
    );
    const e2e = await timeEndToEnd(ctx, agreements, nowMs, perAgreement, o.endToEndRounds, expected);
    progress(`recompute end to end: computeAgreementObligations per agreement, ${o.endToEndRounds} rounds`);
    const e2eAgreement = await timeEndToEnd(
      ctx,
      agreements,
      nowMs,
      agreementScoped,
      o.endToEndRounds,
      expected,
    );

    // The work queue (GET /api/v1/obligations): every open or breached duty of one organisation
    // across all its agreements — cold (nothing cached) and warm (per-agreement stamps cached).
    progress('work queue: one organisation across all its agreements');
    const owner = await findUserByEmail(db, seeded.ownerEmail);
    if (!owner) throw new Error('bench owner not found');
    const actor = toActor(owner);
    const queueRun = async () => {
      const started = performance.now();
      const rows = await workQueue(ctx, actor, { states: ['open', 'breached'] });
      return { ms: performance.now() - started, rows: rows.length };
    };
    const cold = await queueRun();
    const warm: number[] = [];
    for (let r = 0; r < 5; r++) warm.push((await queueRun()).ms);
    const workQueueFigures = {
      agreements: (await listAgreements(db, owner.organizationId)).length,
      rows: cold.rows,
      coldMs: cold.ms,
      warmMs: median(warm),
    };

    const { token } = await createApiToken(ctx, seeded.ownerEmail, 'bench');
    await db.destroy();

    // HTTP: rotate over agreements of the token's organisation, spread over the seeded ones.
    const own = seeded.ownAgreementIds;
    const step = Math.max(1, Math.floor(own.length / o.rotate));
    const rotated = own.filter((_, i) => i % step === 0).slice(0, o.rotate);
    const paths = rotated.map((id) => `/api/v1/agreements/${id}/obligations?${OBLIGATIONS_QUERY}`);
    const headers = { authorization: `Bearer ${token}` };

    progress('starting the real app on the seeded database');
    const real = await startChildServer<{ origin: string }>('servers/obligations-server.ts', {
      dataDir,
    } satisfies ObligationsServerInit);
    const bodies: Record<string, unknown> = {};
    let items = 0;
    let realFigures: LoadFigures;
    try {
      // Every rotated agreement must answer, or the numbers mean nothing.
      for (const [i, p] of paths.entries()) {
        const res = await fetch(real.info.origin + p, { headers });
        const text = await res.text();
        const parsed = JSON.parse(text) as { items?: unknown[] };
        if (res.status !== 200 || !Array.isArray(parsed.items)) {
          throw new Error(`GET ${p} answered ${res.status}: ${text.slice(0, 300)}`);
        }
        items += parsed.items.length;
        bodies[rotated[i] as string] = parsed;
      }
      if (items === 0) throw new Error('no open or breached obligation on the rotated agreements');
      realFigures = await load('real app', real, real.info.origin, headers, o, paths);
    } finally {
      await real.stop();
    }

    const bare = await startChildServer<{ origin: string }>('servers/bare-server.ts', {
      body: bodies[rotated[0] as string],
      bodies,
      route: '/api/v1/agreements/:id/obligations',
    } satisfies BareServerInit);
    let bareFigures: LoadFigures;
    try {
      bareFigures = await load('bare Fastify', bare, bare.info.origin, headers, o, paths);
    } finally {
      await bare.stop();
    }

    return {
      agreements: o.agreements,
      incidentsPerAgreement: o.incidentsPerAgreement,
      seed: {
        ...seeded.counts,
        organizations: seeded.organizationIds.length,
        writeSeconds: seeded.writeSeconds,
        databaseMiB,
      },
      obligations: { total, byState },
      load: {
        seconds: loadSeconds,
        incidentsPerSec: inputs.length / loadSeconds,
        batchAgreements: LOAD_BATCH_AGREEMENTS,
      },
      recompute: {
        roundSeconds,
        seconds: deriveSeconds,
        incidentsPerSec: inputs.length / deriveSeconds,
        obligationsPerSec: total / deriveSeconds,
        target: RECOMPUTE_TARGET,
        verdict: inputs.length / deriveSeconds >= RECOMPUTE_TARGET ? 'PASS' : 'FAIL',
      },
      endToEnd: e2e,
      endToEndAgreement: e2eAgreement,
      workQueue: workQueueFigures,
      http: {
        query: OBLIGATIONS_QUERY,
        agreementsRotated: rotated.length,
        itemsPerResponse: items / paths.length,
        connections: o.connections,
        durationSec: o.durationSec,
        warmupSec: o.warmupSec,
        real: realFigures,
        bare: bareFigures,
        ratio: realFigures.requestsPerSec / bareFigures.requestsPerSec,
        cpuRatio: bareFigures.serverCpuUsPerRequest / realFigures.serverCpuUsPerRequest,
        p99TargetMs: P99_TARGET_MS,
        verdict: realFigures.latencyMs.p99 <= P99_TARGET_MS ? 'PASS' : 'FAIL',
      },
    };
  } finally {
    removeDir(dataDir);
  }
}
