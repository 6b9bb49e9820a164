import type { AddressInfo } from 'node:net';
import { systemClock } from '../../src/app/context.js';
import { loadConfig } from '../../src/config/config.js';
import { buildServer } from '../../src/http/server.js';
import { migrateToLatest, openDatabase } from '../../src/persistence/db.js';
import { removeDir, serveChild, tempDir } from '../support.js';
import { seedAgreement } from './seed-agreement.js';

export interface AgreementServerInfo {
  url: string;
  token: string;
  auditEvents: number;
}

/** Child process: the real app (`buildServer`) on a fresh, seeded SQLite database. */
serveChild<unknown, AgreementServerInfo>(async () => {
  const dataDir = tempDir('http');
  const config = loadConfig({ DATA_DIR: dataDir, PUBLIC_URL: 'http://127.0.0.1:3000', LOG_LEVEL: 'silent' });
  const db = openDatabase(config.database);
  await migrateToLatest(db);
  const ctx = { db, config, clock: systemClock };
  const seeded = await seedAgreement(ctx);
  const app = await buildServer(ctx, { webDir: null, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    info: {
      url: `http://127.0.0.1:${port}/api/v1/agreements/${seeded.agreementId}`,
      token: seeded.token,
      auditEvents: seeded.auditEvents,
    },
    async close() {
      await app.close();
      await db.destroy();
      removeDir(dataDir);
    },
  };
});
