/**
 * Disclosure package throughput and memory (issue 9 item 4): a SIZE-byte evidence file (default
 * 1 GiB) packaged through the real HTTP route of a listening server and written to disk by an HTTP
 * client, against `sha256sum` of the same file in the same run; peak RSS of the process sampled
 * every 20 ms while the ZIP streams; the ZIP checked with `unzip -t`.
 *
 *   npx tsx bench/disclosure-package.ts            # 1 GiB
 *   SIZE=268435456 npx tsx bench/disclosure-package.ts
 *
 * The package reads the evidence twice (integrity pass, then the streamed copy), so the expected
 * ratio against one `sha256sum` pass is about 0.5 when the disk is not the limit.
 */
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createAdmin } from '../src/app/auth/bootstrap-admin.js';
import { login } from '../src/app/auth/sessions.js';
import { systemClock } from '../src/app/context.js';
import { evidenceStore } from '../src/app/evidence/store.js';
import { createOrganization } from '../src/app/organizations/create-organization.js';
import { createUser } from '../src/app/users/create-user.js';
import { loadConfig } from '../src/config/config.js';
import { newId } from '../src/domain/shared/ids.js';
import { buildServer } from '../src/http/server.js';
import { migrateToLatest, openDatabase } from '../src/persistence/db.js';
import { insertEvidence } from '../src/persistence/repositories/evidence.js';

const SIZE = Number(process.env.SIZE ?? 1024 * 1024 * 1024);
const PASSWORD = 'correct-horse-battery';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-package-bench-'));
const config = loadConfig({ DATA_DIR: dir, PUBLIC_URL: 'http://localhost:3000', NODE_ENV: 'test' });
const db = openDatabase({ dialect: 'sqlite', file: path.join(dir, 'db.sqlite') });
await migrateToLatest(db);
const ctx = { db, config, clock: systemClock };
const system = { kind: 'system', label: 'bench' } as const;
await createAdmin(ctx, { email: 'admin@example.com', name: 'admin', password: PASSWORD });
const orgA = await createOrganization(ctx, system, {
  name: '甲商事株式会社',
  address: '東京都千代田区丸の内一丁目1番1号',
  representative: '代表取締役 山田太郎',
});
const orgB = await createOrganization(ctx, system, {
  name: '乙システム株式会社',
  address: '大阪府大阪市北区梅田二丁目2番2号',
  representative: '代表取締役 佐藤花子',
});
for (const [org, email] of [
  [orgA, 'a@example.com'],
  [orgB, 'b@example.com'],
] as const) {
  await createUser(ctx, system, {
    organizationId: org.id,
    email,
    name: email,
    role: 'owner',
    password: PASSWORD,
  });
}
const app = await buildServer(ctx, { webDir: null });
await app.listen({ port: 0, host: '127.0.0.1' });
const port = (app.server.address() as { port: number }).port;
const cookie = async (email: string) => `bp_session=${(await login(ctx, email, PASSWORD)).token}`;
const call = async (email: string, url: string, body: unknown) =>
  (
    await app.inject({
      method: 'POST',
      url,
      headers: { cookie: await cookie(email), 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    })
  ).json() as { id: string };

const agreement = await call('admin@example.com', '/api/v1/agreements', {
  partyA: orgA.id,
  partyB: orgB.id,
  signedOn: '2026-04-01',
});
const incident = await call('b@example.com', `/api/v1/agreements/${agreement.id}/incidents`, {
  reportingParty: 'B',
  title: '再委託先でのマルウェア感染',
  suspected: true,
  discoveredAt: new Date(Date.now() - 3_600_000).toISOString(),
});
await call('b@example.com', `/api/v1/incidents/${incident.id}/notices`, {
  items: {
    occurredOn: null,
    summary: '不正アクセスのおそれ',
    informationScope: null,
    expectedImpact: null,
    measures: null,
    otherMatters: null,
  },
});
const disclosure = await call('b@example.com', `/api/v1/incidents/${incident.id}/disclosures`, {
  recipient: '東京地方裁判所',
  purpose: '文書提出命令への対応',
  scope: 'アクセスログ',
  basis: 'court_order',
  basisReference: '令和8年（モ）第1号',
});

// The evidence file: a random 1 MiB block repeated, stored through the evidence store.
const block = randomBytes(1 << 20);
const blob = await evidenceStore(config).put(
  (async function* () {
    for (let written = 0; written < SIZE; written += block.length)
      yield block.subarray(0, Math.min(block.length, SIZE - written));
  })(),
  { maxBytes: SIZE },
);
await blob.commit();
const evidenceId = newId('evidence');
await insertEvidence(db, {
  id: evidenceId,
  incidentId: incident.id,
  agreementId: agreement.id,
  party: 'B',
  filename: 'access.log',
  description: null,
  size: blob.size,
  sha256: blob.sha256,
  storageKey: blob.key,
  visibility: 'party',
  collectedBy: null,
  collectedAt: new Date().toISOString(),
  sharedBy: null,
  sharedAt: null,
  version: 1,
});

const rssBefore = process.memoryUsage().rss;
let peak = rssBefore;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const out = path.join(dir, 'package.zip');
const started = performance.now();
const session = await cookie('b@example.com');
await new Promise<void>((resolve, reject) => {
  const req = http.request(
    {
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: `/api/v1/disclosures/${disclosure.id}/package`,
      headers: { cookie: session, 'content-type': 'application/json' },
    },
    (res) => {
      if (res.statusCode !== 200) reject(new Error(`package: HTTP ${res.statusCode}`));
      res.pipe(fs.createWriteStream(out)).on('finish', resolve).on('error', reject);
    },
  );
  req.on('error', reject);
  req.end(JSON.stringify({ evidenceIds: [evidenceId], includeIncident: true }));
});
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
const shaStarted = performance.now();
spawnSync('sha256sum', [path.join(dir, 'evidence', blob.key)]);
const shaSeconds = (performance.now() - shaStarted) / 1000;
const unzip = spawnSync('unzip', ['-tq', out], { encoding: 'utf8' });
const mib = (n: number) => (n / 1048576).toFixed(0);
console.log(
  JSON.stringify(
    {
      evidenceMiB: mib(SIZE),
      zipBytes: fs.statSync(out).size,
      packageSeconds: Number(seconds.toFixed(2)),
      packageMiBps: Number((SIZE / 1048576 / seconds).toFixed(1)),
      sha256sumSeconds: Number(shaSeconds.toFixed(2)),
      ratioToSha256sum: Number((shaSeconds / seconds).toFixed(2)),
      rssBeforeMiB: mib(rssBefore),
      peakRssMiB: mib(peak),
      unzipTest: unzip.status === 0 ? 'ok' : `${unzip.stdout}${unzip.stderr}`.slice(-300),
    },
    null,
    2,
  ),
);
await app.close();
await db.destroy();
fs.rmSync(dir, { recursive: true, force: true });
