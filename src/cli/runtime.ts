import { systemClock, type AppContext } from '../app/context.js';
import { loadConfig, type Config } from '../config/config.js';
import { migrateToLatest, openDatabase } from '../persistence/db.js';

/** Opens the configured database, brings it to the latest migration and returns the context. */
export async function openContext(config: Config = loadConfig()): Promise<AppContext> {
  const db = openDatabase(config.database);
  try {
    await migrateToLatest(db);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return { db, config, clock: systemClock };
}

export function describeDatabase(config: Config): string {
  return config.database.dialect === 'sqlite'
    ? `SQLite ${config.database.file}`
    : `PostgreSQL ${config.database.url.replace(/\/\/([^:@/]+)(:[^@/]*)?@/, '//$1:***@')}`;
}
