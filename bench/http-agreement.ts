import autocannon from 'autocannon';
import type { AgreementServerInfo } from './servers/agreement-server.js';
import type { BareServerInit } from './servers/bare-server.js';
import { progress, startChildServer, verdict, type ChildServer, type Verdict } from './support.js';

/**
 * Benchmark 2: GET /api/v1/agreements/{id} of the real app (helmet, cookie, rate-limit, swagger,
 * auth by bearer token, zod schemas, six SQLite queries through Kysely, the term evaluation) against a
 * bare Fastify route answering the same JSON.
 *
 * Process layout: on this 2-core machine a load generator that shares a process (one event loop)
 * with the server it measures would steal the server's CPU and cap both. So each server runs
 * alone in its own child process, one after the other, and autocannon drives it from this
 * process: one core for the server, one for the load. The same layout for both keeps the ratio fair.
 */

export const HTTP_TARGET = 0.3;

export interface LoadFigures {
  requestsPerSec: number;
  /** Server CPU time per answered request (µs): robust to other load on a shared machine. */
  serverCpuUsPerRequest: number;
  latencyMs: { p50: number; p99: number; mean: number };
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  responseBytes: number;
}

export interface HttpAgreementResult {
  connections: number;
  durationSec: number;
  warmupSec: number;
  auditEventsOnAgreement: number;
  real: LoadFigures;
  bare: LoadFigures;
  /** real req/s / bare req/s. */
  ratio: number;
  /** bare CPU per request / real CPU per request: the ratio if each server had a core to itself. */
  cpuRatio: number;
  target: number;
  verdict: Verdict;
}

export interface LoadOptions {
  connections: number;
  durationSec: number;
  warmupSec: number;
}

/**
 * Warms up, then measures one server; checks every response was a 2xx. With `paths`, each
 * connection cycles through them (same origin as `url`), and `responseBytes` is their mean size.
 */
export async function load(
  label: string,
  server: ChildServer<unknown>,
  url: string,
  headers: Record<string, string>,
  o: LoadOptions,
  paths?: readonly string[],
): Promise<LoadFigures> {
  const targets = paths?.length ? paths.map((p) => new URL(p, url).href) : [url];
  let bytes = 0;
  for (const target of targets) bytes += Buffer.byteLength(await (await fetch(target, { headers })).text());
  const responseBytes = bytes / targets.length;
  const requests = paths?.length ? { requests: paths.map((path) => ({ path })) } : {};
  const run = (duration: number) =>
    autocannon({ url, headers, connections: o.connections, duration, ...requests });
  progress(`${label}: warming up ${o.warmupSec} s`);
  await run(o.warmupSec);
  progress(`${label}: ${o.durationSec} s at ${o.connections} connections`);
  const cpuBefore = await server.cpuMs();
  const r = await run(o.durationSec);
  const cpuMs = (await server.cpuMs()) - cpuBefore;
  if (r.non2xx > 0 || r.errors > 0 || r['2xx'] === 0) {
    throw new Error(`${label}: ${r.non2xx} non-2xx responses, ${r.errors} errors, ${r['2xx']} 2xx`);
  }
  return {
    requestsPerSec: r.requests.average,
    serverCpuUsPerRequest: (cpuMs * 1000) / r['2xx'],
    latencyMs: { p50: r.latency.p50, p99: r.latency.p99, mean: r.latency.mean },
    requests: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    responseBytes,
  };
}

export async function benchHttpAgreement(o: LoadOptions): Promise<HttpAgreementResult> {
  progress('starting the real app (seeding agreement, notices, audit events, API token)');
  const real = await startChildServer<AgreementServerInfo>('servers/agreement-server.ts', {});
  let realFigures: LoadFigures;
  let body: unknown;
  const headers = { authorization: `Bearer ${real.info.token}` };
  try {
    // One request first: the endpoint must answer the seeded agreement, or the numbers mean nothing.
    const res = await fetch(real.info.url, { headers });
    const text = await res.text();
    const parsed = JSON.parse(text) as { terminationNotices?: unknown[] };
    if (res.status !== 200 || parsed.terminationNotices?.length !== 2) {
      throw new Error(`GET ${real.info.url} answered ${res.status}: ${text.slice(0, 300)}`);
    }
    body = parsed;
    realFigures = await load('real app', real, real.info.url, headers, o);
  } finally {
    await real.stop();
  }

  const bare = await startChildServer<{ origin: string }>('servers/bare-server.ts', {
    body,
  } satisfies BareServerInit);
  let bareFigures: LoadFigures;
  try {
    const url = bare.info.origin + new URL(real.info.url).pathname;
    bareFigures = await load('bare Fastify', bare, url, headers, o);
  } finally {
    await bare.stop();
  }

  const ratio = realFigures.requestsPerSec / bareFigures.requestsPerSec;
  return {
    connections: o.connections,
    durationSec: o.durationSec,
    warmupSec: o.warmupSec,
    auditEventsOnAgreement: real.info.auditEvents,
    real: realFigures,
    bare: bareFigures,
    ratio,
    cpuRatio: bareFigures.serverCpuUsPerRequest / realFigures.serverCpuUsPerRequest,
    target: HTTP_TARGET,
    verdict: verdict(ratio, HTTP_TARGET),
  };
}
