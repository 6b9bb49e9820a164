import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import type * as AgreementsM from '../../src/app/agreements/create-agreement.js';
import type * as SignM from '../../src/app/agreements/sign-agreement.js';
import type * as SessionsM from '../../src/app/auth/sessions.js';
import type * as IncidentsM from '../../src/app/incidents/report-incident.js';
import type * as OrganizationsM from '../../src/app/organizations/create-organization.js';
import type * as UsersM from '../../src/app/users/create-user.js';
import type * as ConfigM from '../../src/config/config.js';
import type * as TimeM from '../../src/domain/shared/time.js';
import type * as ServerM from '../../src/http/server.js';
import type * as DbM from '../../src/persistence/db.js';
import { removeDir, serveChild, tempDir } from '../support.js';

type Modules = {
  agreements: typeof AgreementsM;
  sign: typeof SignM;
  sessions: typeof SessionsM;
  incidents: typeof IncidentsM;
  organizations: typeof OrganizationsM;
  users: typeof UsersM;
  config: typeof ConfigM;
  time: typeof TimeM;
  server: typeof ServerM;
  db: typeof DbM;
};

/** The app's modules from `root`: the TypeScript sources (through tsx) or a compiled copy (plain JS). */
async function load(root: string | null): Promise<Modules> {
  const from = async (rel: string) =>
    root === null ? import(`../../src/${rel}.js`) : import(pathToFileURL(path.join(root, `${rel}.js`)).href);
  return {
    agreements: await from('app/agreements/create-agreement'),
    sign: await from('app/agreements/sign-agreement'),
    sessions: await from('app/auth/sessions'),
    incidents: await from('app/incidents/report-incident'),
    organizations: await from('app/organizations/create-organization'),
    users: await from('app/users/create-user'),
    config: await from('config/config'),
    time: await from('domain/shared/time'),
    server: await from('http/server'),
    db: await from('persistence/db'),
  } as Modules;
}

export interface EvidenceServerInfo {
  /** POST here with the file as the body (…/evidence?filename=…). */
  uploadUrl: string;
  token: string;
  pid: number;
  dataDir: string;
}

/**
 * Child process: the real app (`buildServer`, SQLite) with one signed agreement and one incident
 * reported by party A, whose owner holds an API token; evidence goes to its DATA_DIR/evidence/.
 */
serveChild<{ maxBytes: number; root: string | null }, EvidenceServerInfo>(async ({ maxBytes, root }) => {
  const m = await load(root);
  const { createAgreement } = m.agreements;
  const { signAgreement } = m.sign;
  const { createApiToken, toActor } = m.sessions;
  const { reportIncident } = m.incidents;
  const { createOrganization } = m.organizations;
  const { createUser } = m.users;
  const { loadConfig } = m.config;
  const { Temporal } = m.time;
  const { buildServer } = m.server;
  const { migrateToLatest, openDatabase } = m.db;
  const systemClock = { now: () => Temporal.Now.instant() };
  const dataDir = tempDir('evidence');
  const config = loadConfig({
    DATA_DIR: dataDir,
    PUBLIC_URL: 'http://127.0.0.1:3000',
    LOG_LEVEL: 'silent',
    EVIDENCE_MAX_BYTES: String(maxBytes),
  });
  const db = openDatabase(config.database);
  await migrateToLatest(db);
  const ctx = { db, config, clock: systemClock };
  const system = { kind: 'system', label: 'bench' } as const;
  const kou = await createOrganization(ctx, system, {
    name: '甲商事株式会社',
    address: '東京都千代田区丸の内一丁目1番1号',
    representative: '代表取締役 山田太郎',
  });
  const otsu = await createOrganization(ctx, system, {
    name: '乙システム株式会社',
    address: '大阪府大阪市北区梅田二丁目2番2号',
    representative: '代表取締役 佐藤花子',
  });
  const email = 'owner@kou.example.jp';
  const owner = toActor(
    (
      await createUser(ctx, system, {
        organizationId: kou.id,
        email,
        name: '山田 太郎',
        role: 'owner',
        password: 'bench-password-甲',
      })
    ).user,
  );
  const legal = toActor(
    (
      await createUser(ctx, system, {
        organizationId: otsu.id,
        email: 'legal@otsu.example.jp',
        name: '佐藤 花子',
        role: 'legal',
        password: 'bench-password-乙',
      })
    ).user,
  );
  const created = await createAgreement(ctx, owner, { partyA: kou.id, partyB: otsu.id });
  const today = Temporal.Now.plainDateISO('Asia/Tokyo');
  const signed = await signAgreement(ctx, owner, created.agreement.id, {
    signedOn: today,
    expectedVersion: created.agreement.version,
  });
  await signAgreement(ctx, legal, created.agreement.id, { expectedVersion: signed.agreement.version });
  const incident = await reportIncident(ctx, owner, created.agreement.id, {
    reportingParty: 'A',
    title: '委託先サーバーからの顧客情報流出の疑い',
    suspected: true,
    discoveredAt: new Date().toISOString(),
  });
  const { token } = await createApiToken(ctx, email, 'bench');
  const app = await buildServer(ctx, { webDir: null, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  // Start the upload from a collected heap: the seeding's garbage is not the upload's memory.
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
  return {
    info: {
      uploadUrl: `http://127.0.0.1:${port}/api/v1/incidents/${incident.id}/evidence`,
      token,
      pid: process.pid,
      dataDir,
    },
    async close() {
      await app.close();
      await db.destroy();
      removeDir(dataDir);
    },
  };
});
