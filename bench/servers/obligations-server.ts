import type { AddressInfo } from 'node:net';
import { systemClock } from '../../src/app/context.js';
import { loadConfig } from '../../src/config/config.js';
import { buildServer } from '../../src/http/server.js';
import { migrateToLatest, openDatabase } from '../../src/persistence/db.js';
import { serveChild } from '../support.js';

export interface ObligationsServerInit {
  /** DATA_DIR of the database the parent seeded (the parent removes it). */
  dataDir: string;
  /** PostgreSQL instead of the SQLite file in `dataDir` (the work-queue benchmark's copy). */
  databaseUrl?: string;
}

/** Child process: the real app (`buildServer`) on the seeded incidents database (SQLite, or its PostgreSQL copy). */
serveChild<ObligationsServerInit, { origin: string }>(async ({ dataDir, databaseUrl }) => {
  const config = loadConfig({
    DATA_DIR: dataDir,
    PUBLIC_URL: 'http://127.0.0.1:3000',
    LOG_LEVEL: 'silent',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  const db = openDatabase(config.database);
  await migrateToLatest(db);
  const app = await buildServer({ db, config, clock: systemClock }, { webDir: null, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    info: { origin: `http://127.0.0.1:${port}` },
    async close() {
      await app.close();
      await db.destroy();
    },
  };
});
