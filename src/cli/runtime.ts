import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

/**
 * The context of a one-off CLI command, saying on stderr which database it opened: run without
 * DATA_DIR in the wrong folder, a command would otherwise create ./data/breachpact.db silently
 * and then report a user it cannot find.
 */
export async function openCliContext(): Promise<AppContext> {
  const config = loadConfig();
  console.error(`Database: ${describeDatabase(config)}`);
  return openContext(config);
}

/** The package's version (package.json found upwards from this file, in src/ and in dist/). */
export function packageVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file))
      return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
    const up = path.dirname(dir);
    if (up === dir) return '0.0.0';
    dir = up;
  }
}
