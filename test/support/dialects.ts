import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import type { AppContext, Clock } from '../../src/app/context.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { Temporal, type Instant } from '../../src/domain/shared/time.js';
import { buildServer } from '../../src/http/server.js';
import { migrateToLatest, openDatabase, type Db, type Dialect } from '../../src/persistence/db.js';

export class TestClock implements Clock {
  constructor(private current: Instant = Temporal.Instant.from('2026-11-28T01:00:00Z')) {}
  now(): Instant {
    return this.current;
  }
  set(iso: string): void {
    this.current = Temporal.Instant.from(iso);
  }
  advance(d: Temporal.DurationLike): void {
    this.current = this.current.add(d);
  }
}

export interface DialectHarness {
  readonly dialect: Dialect;
  readonly db: Db;
  readonly ctx: AppContext;
  readonly clock: TestClock;
  readonly config: Config;
  readonly app: FastifyInstance;
}

export function availableDialects(): Dialect[] {
  return inject('postgresAdminUrl') ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A fresh, migrated database of `dialect`: an SQLite file, or a new PostgreSQL database. */
export async function createTestDatabase(
  dialect: Dialect,
): Promise<{ db: Db; url: string | null; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const file = path.join(os.tmpdir(), `bp-test-${randomBytes(6).toString('hex')}.db`);
    const db = openDatabase({ dialect: 'sqlite', file });
    await migrateToLatest(db);
    return { db, url: null, drop: () => db.destroy() };
  }
  const adminUrl = inject('postgresAdminUrl');
  if (!adminUrl) throw new Error('PostgreSQL is not available');
  const name = `bp_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const db = openDatabase({ dialect: 'postgres', url: u.toString() });
  await migrateToLatest(db);
  return {
    db,
    url: u.toString(),
    async drop() {
      await db.destroy();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/**
 * Runs the same tests on every available dialect (SQLite always; PostgreSQL when the global
 * setup found one). Test names carry `[sqlite]` / `[postgres]` so the reporter can count them.
 * `options.env` adds or overrides environment variables of the server's configuration.
 */
export function forEachDialect(title: string, body: (h: DialectHarness) => void): void;
export function forEachDialect(
  title: string,
  options: { env?: Record<string, string> },
  body: (h: DialectHarness) => void,
): void;
export function forEachDialect(
  title: string,
  bodyOrOptions: ((h: DialectHarness) => void) | { env?: Record<string, string> },
  maybeBody?: (h: DialectHarness) => void,
): void {
  const options = typeof bodyOrOptions === 'function' ? {} : bodyOrOptions;
  const body =
    typeof bodyOrOptions === 'function' ? bodyOrOptions : (maybeBody as (h: DialectHarness) => void);
  for (const dialect of availableDialects()) {
    describe(`${title} [${dialect}]`, () => {
      const h = {} as { -readonly [K in keyof DialectHarness]: DialectHarness[K] } & {
        drop?: () => Promise<void>;
      };
      h.dialect = dialect;
      beforeAll(async () => {
        const created = await createTestDatabase(dialect);
        const dataDir = path.join(os.tmpdir(), `bp-data-${randomBytes(6).toString('hex')}`);
        h.config = loadConfig({
          DATA_DIR: dataDir,
          PUBLIC_URL: 'http://localhost:3000',
          NODE_ENV: 'test',
          LOGIN_RATE_LIMIT: '1000',
          ...options.env,
        });
        h.db = created.db;
        h.clock = new TestClock();
        h.ctx = { db: created.db, config: h.config, clock: h.clock };
        h.app = await buildServer(h.ctx, { webDir: null });
        await h.app.ready();
        h.drop = created.drop;
      });
      afterAll(async () => {
        await h.app?.close();
        await h.drop?.();
      });
      body(h);
    });
  }
}
