import pg from 'pg';
import type { TestProject } from 'vitest/node';
import {
  findPostgresBin,
  startThrowawayPostgres,
  type ThrowawayPostgres,
} from './support/postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string | null;
  }
}

let server: ThrowawayPostgres | null = null;

/**
 * Decides where the PostgreSQL half of the suite runs: DATABASE_URL (CI starts a server), else a
 * throwaway server when the binaries are installed, else it is skipped with a visible message —
 * unless BREACHPACT_REQUIRE_POSTGRES=1 (CI), where a missing server fails the run.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  let url =
    process.env.DATABASE_URL && /^postgres/.test(process.env.DATABASE_URL) ? process.env.DATABASE_URL : null;
  if (!url) {
    const bin = findPostgresBin();
    if (bin) {
      server = startThrowawayPostgres(bin);
      url = server.url;
    }
  }
  if (url) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('select 1');
    } catch (e) {
      if (process.env.BREACHPACT_REQUIRE_POSTGRES === '1') {
        throw new Error(
          `PostgreSQL is required (BREACHPACT_REQUIRE_POSTGRES=1) but ${url} is unreachable: ${String(e)}`,
          { cause: e },
        );
      }
      console.warn(
        `\n⚠ PostgreSQL at ${url} is unreachable (${String(e)}): the PostgreSQL half of the suite is SKIPPED.\n`,
      );
      url = null;
    } finally {
      await client.end().catch(() => undefined);
    }
  } else if (process.env.BREACHPACT_REQUIRE_POSTGRES === '1') {
    throw new Error(
      'PostgreSQL is required (BREACHPACT_REQUIRE_POSTGRES=1) but DATABASE_URL is not set and no server binaries were found.',
    );
  } else {
    console.warn(
      '\n⚠ No PostgreSQL found (set DATABASE_URL=postgres://… or install postgresql): the PostgreSQL half of the suite is SKIPPED.\n',
    );
  }
  project.provide('postgresAdminUrl', url);
  return () => server?.stop();
}
