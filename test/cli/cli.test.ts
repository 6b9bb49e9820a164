import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { login, authenticateApiToken } from '../../src/app/auth/sessions.js';
import type { AppContext } from '../../src/app/context.js';
import { createOrganization } from '../../src/app/organizations/create-organization.js';
import { loadConfig } from '../../src/config/config.js';
import { newId } from '../../src/domain/shared/ids.js';
import { buildServer } from '../../src/http/server.js';
import {
  inTransaction,
  migrateToLatest,
  openDatabase,
  type Db,
  type Dialect,
} from '../../src/persistence/db.js';
import { appendAuditEvent } from '../../src/persistence/repositories/audit.js';
import type { OrganizationRecord } from '../../src/persistence/repositories/organizations.js';
import { availableDialects, createTestDatabase, TestClock } from '../support/dialects.js';
import { client } from '../support/fixtures.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const MAIN = 'src/cli/main.ts';

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** The inherited environment without anything that would point the CLI at another database. */
function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (
      /^(DATABASE_URL|DATA_DIR|PORT|HOST|PUBLIC_URL|SMTP_URL|SMTP_FROM|BREACHPACT_.*|LOG_LEVEL|LOGIN_RATE_LIMIT|SESSION_TTL_HOURS)$/.test(
        k,
      )
    ) {
      delete env[k];
    }
  }
  return { ...env, TZ: 'UTC', LOG_LEVEL: 'silent', NO_COLOR: '1' };
}

/** Runs `tsx src/cli/main.ts …args` and collects its output; kills it after `timeoutMs`. */
function runCli(args: string[], env: Record<string, string>, timeoutMs = 30_000): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [MAIN, ...args], {
      cwd: ROOT,
      env: { ...baseEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** Spawning tsx costs 1-4 s of CPU per process; on a loaded machine a test with several takes a while. */
const SLOW = 180_000;

const lastLine = (s: string) => s.trimEnd().split('\n').at(-1)!.trim();

/** Where the CLI finds its database: env for the child, plus an in-process handle for checks. */
interface Target {
  env: Record<string, string>;
  open(): Db;
  drop(): Promise<void>;
}

/** A fresh, EMPTY (unmigrated) database of `dialect`. */
async function emptyTarget(dialect: Dialect): Promise<Target> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-cli-'));
    return {
      env: { DATA_DIR: dir },
      open: () => openDatabase({ dialect: 'sqlite', file: path.join(dir, 'breachpact.db') }),
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const adminUrl = inject('postgresAdminUrl');
  if (!adminUrl) throw new Error('PostgreSQL is not available');
  const name = `bp_cli_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  // DATA_DIR is set to a folder that must stay untouched: PostgreSQL mode writes nothing there.
  const dir = path.join(os.tmpdir(), `bp-cli-unused-${randomBytes(4).toString('hex')}`);
  return {
    env: { DATABASE_URL: url, DATA_DIR: dir },
    open: () => openDatabase({ dialect: 'postgres', url }),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** A migrated database (for PostgreSQL through the harness' createTestDatabase). */
async function migratedTarget(dialect: Dialect): Promise<Target> {
  if (dialect === 'sqlite') {
    const t = await emptyTarget('sqlite');
    const db = t.open();
    await migrateToLatest(db);
    await db.destroy();
    return t;
  }
  const created = await createTestDatabase('postgres');
  await created.db.destroy();
  const url = created.url!;
  return {
    env: {
      DATABASE_URL: url,
      DATA_DIR: path.join(os.tmpdir(), `bp-cli-unused-${randomBytes(4).toString('hex')}`),
    },
    open: () => openDatabase({ dialect: 'postgres', url }),
    // created.drop destroys its (already destroyed) pool, then drops the database.
    drop: () => created.drop(),
  };
}

function contextFor(db: Db): AppContext {
  return {
    db,
    config: loadConfig({ DATA_DIR: os.tmpdir(), PUBLIC_URL: 'http://localhost:3000' }),
    clock: new TestClock(),
  };
}

/** Writes some history in-process: 3 organisations (instance chain) and one event on an agreement chain. */
async function seedHistory(t: Target): Promise<void> {
  const db = t.open();
  try {
    const ctx = contextFor(db);
    const system = { kind: 'system', label: 'test' } as const;
    const orgs: OrganizationRecord[] = [];
    for (const [name, address] of [
      ['甲商事株式会社', '東京都千代田区1-1'],
      ['乙システム株式会社', '大阪府大阪市北区2-2'],
      ['丙データ株式会社', '北海道函館市3-3'],
    ] as const) {
      orgs.push(await createOrganization(ctx, system, { name, address, representative: '代表' }));
    }
    // One event on an agreement's chain (written the way every use case does).
    const agreementId = newId('agreement');
    await inTransaction(db, (tx) =>
      appendAuditEvent(tx, {
        chain: agreementId,
        occurredAt: '2026-11-28T01:00:00.000Z',
        actorUserId: null,
        actorOrgId: null,
        action: 'agreement.created',
        recordType: 'agreement',
        recordId: agreementId,
        payload: { partyA: orgs[0]!.id, partyB: orgs[1]!.id },
      }),
    );
  } finally {
    await db.destroy();
  }
}

async function instanceEvents(t: Target) {
  const db = t.open();
  try {
    return await db.kysely
      .selectFrom('audit_events')
      .selectAll()
      .where('chain', '=', 'instance')
      .orderBy('seq')
      .execute();
  } finally {
    await db.destroy();
  }
}

async function exec(t: Target, query: (db: Db) => Promise<unknown>): Promise<void> {
  const db = t.open();
  try {
    await query(db);
  } finally {
    await db.destroy();
  }
}

for (const dialect of availableDialects()) {
  describe(`cli [${dialect}]`, () => {
    const targets: Target[] = [];
    const track = async (p: Promise<Target>) => {
      const t = await p;
      targets.push(t);
      return t;
    };
    afterAll(async () => {
      for (const t of targets) await t.drop();
    });

    it(
      `migrate applies the migrations once; a second run says it is up to date [${dialect}]`,
      async () => {
        const t = await track(emptyTarget(dialect));
        const first = await runCli(['migrate'], t.env);
        expect(first.code, first.stderr).toBe(0);
        expect(first.stdout).toMatch(/Applied: .*0001-foundation/);
        expect(first.stdout).toContain(
          dialect === 'sqlite'
            ? `SQLite ${path.join(t.env.DATA_DIR!, 'breachpact.db')}`
            : 'PostgreSQL postgres://',
        );
        const second = await runCli(['migrate'], t.env);
        expect(second.code, second.stderr).toBe(0);
        expect(second.stdout).toContain('Already up to date.');
        expect(second.stdout).not.toContain('Applied');
        // The schema is there and empty.
        await exec(t, async (db) => {
          expect(await db.kysely.selectFrom('users').selectAll().execute()).toEqual([]);
        });
        if (dialect === 'postgres') expect(fs.existsSync(t.env.DATA_DIR!)).toBe(false);
      },
      SLOW,
    );

    describe('admin create and token create', () => {
      let t: Target;
      beforeAll(async () => {
        // Not migrated: the first command migrates on its own.
        t = await track(emptyTarget(dialect));
      });

      it(
        `admin create --email --password creates an administrator who can log in [${dialect}]`,
        async () => {
          const r = await runCli(
            [
              'admin',
              'create',
              '--email',
              'Root@Example.com',
              '--password',
              'root-password-1',
              '--name',
              'ルート',
            ],
            t.env,
          );
          expect(r.code, r.stderr).toBe(0);
          expect(r.stdout).toContain('Administrator created: Root@Example.com');
          expect(r.stdout).not.toContain('root-password-1');
          const db = t.open();
          try {
            const ctx = contextFor(db);
            const { user } = await login(ctx, 'root@example.com', 'root-password-1');
            expect(user).toMatchObject({
              email: 'root@example.com',
              name: 'ルート',
              isAdmin: true,
              role: 'admin',
              organizationId: null,
            });
            await expect(login(ctx, 'root@example.com', 'wrong-password')).rejects.toMatchObject({
              code: 'INVALID_CREDENTIALS',
            });
            const events = await db.kysely
              .selectFrom('audit_events')
              .selectAll()
              .where('chain', '=', 'instance')
              .execute();
            expect(events.map((e) => e.action)).toContain('admin.created');
          } finally {
            await db.destroy();
          }
        },
        SLOW,
      );

      it(
        `without --password a password is generated and printed once; a taken e-mail fails [${dialect}]`,
        async () => {
          const [gen, dup] = await Promise.all([
            runCli(['admin', 'create', '--email', 'gen@example.com'], t.env),
            runCli(
              ['admin', 'create', '--email', 'root@example.com', '--password', 'another-password'],
              t.env,
            ),
          ]);
          expect(gen.code, gen.stderr).toBe(0);
          const m = /Generated password \(shown only this once\): (\S+)/.exec(gen.stdout);
          expect(m, gen.stdout).not.toBeNull();
          expect(dup.code).not.toBe(0);
          expect(dup.stderr).toContain('EMAIL_TAKEN');
          expect(dup.stdout).not.toContain('Administrator created');
          const db = t.open();
          try {
            const ctx = contextFor(db);
            expect((await login(ctx, 'gen@example.com', m![1]!)).user.isAdmin).toBe(true);
            expect(
              await db.kysely
                .selectFrom('users')
                .select('id')
                .where('email', '=', 'root@example.com')
                .execute(),
            ).toHaveLength(1);
          } finally {
            await db.destroy();
          }
        },
        SLOW,
      );

      it(
        `token create prints the token as the last line; it works as Bearer; unknown e-mails fail [${dialect}]`,
        async () => {
          const [ok, unknown] = await Promise.all([
            runCli(['token', 'create', '--email', 'root@example.com', '--name', 'ci-bot'], t.env),
            runCli(['token', 'create', '--email', 'nobody@example.com'], t.env),
          ]);
          expect(ok.code, ok.stderr).toBe(0);
          const token = lastLine(ok.stdout);
          expect(token).toMatch(/^bp_[A-Za-z0-9_-]{40,}$/);
          expect(ok.stdout).toContain('root@example.com');

          expect(unknown.code).not.toBe(0);
          expect(unknown.stderr).toContain('USER_NOT_FOUND');
          expect(unknown.stderr).toContain('nobody@example.com');
          expect(unknown.stdout).not.toMatch(/bp_[A-Za-z0-9_-]{40,}/);

          const db = t.open();
          try {
            const ctx = contextFor(db);
            expect(await authenticateApiToken(ctx, token)).toMatchObject({
              email: 'root@example.com',
              isAdmin: true,
            });
            expect(await authenticateApiToken(ctx, `${token}x`)).toBeNull();
            const rows = await db.kysely.selectFrom('api_tokens').selectAll().execute();
            expect(rows).toHaveLength(1);
            expect(rows[0]!.name).toBe('ci-bot');
            expect(JSON.stringify(rows)).not.toContain(token);

            const app = await buildServer(ctx, { webDir: null });
            try {
              const api = client(app, { bearer: token });
              const me = await api.get('/api/v1/session');
              expect(me.status, me.body).toBe(200);
              expect(me.json.user).toMatchObject({ email: 'root@example.com', isAdmin: true });
              const created = await api.post('/api/v1/organizations', {
                name: 'CLI株式会社',
                address: '東京都新宿区1-1',
                representative: '代表',
              });
              expect(created.status, created.body).toBe(201);
            } finally {
              await app.close();
            }
          } finally {
            await db.destroy();
          }
        },
        SLOW,
      );

      it(
        `token create --expires-in 90d stores the expiry; token revoke <id> / --id revokes (401 afterwards, audited); an unknown id or a bad --expires-in fails [${dialect}]`,
        async () => {
          const [a, b, bad] = await Promise.all([
            runCli(
              ['token', 'create', '--email', 'root@example.com', '--name', 'a', '--expires-in', '90d'],
              t.env,
            ),
            runCli(['token', 'create', '--email', 'root@example.com', '--name', 'b'], t.env),
            runCli(['token', 'create', '--email', 'root@example.com', '--expires-in', 'soon'], t.env),
          ]);
          expect(a.code, a.stderr).toBe(0);
          expect(b.code, b.stderr).toBe(0);
          expect(bad.code).not.toBe(0);
          expect(bad.stderr).toContain('--expires-in');
          const idOf = (out: string) => /API token (tok_\w+)/.exec(out)![1]!;
          const [idA, idB] = [idOf(a.stdout), idOf(b.stdout)];
          expect(a.stdout).toMatch(/expires \d{4}-/);
          expect(b.stdout).toContain('no expiry');
          const db = t.open();
          try {
            const rows = await db.kysely
              .selectFrom('api_tokens')
              .selectAll()
              .where('id', 'in', [idA, idB])
              .execute();
            const rowA = rows.find((r) => r.id === idA)!;
            const days = (Date.parse(rowA.expires_at!) - Date.parse(rowA.created_at)) / 86_400_000;
            expect(days).toBe(90);
            expect(rows.find((r) => r.id === idB)!.expires_at).toBeNull();
          } finally {
            await db.destroy();
          }

          const help = await runCli(['token', 'revoke', '--help'], t.env);
          expect(help.code, help.stderr).toBe(0);
          expect(help.stdout).toContain('Usage: breachpact token revoke');
          expect(help.stdout).toContain('--id');
          const [byArg, byOption, unknown] = await Promise.all([
            runCli(['token', 'revoke', idA], t.env),
            runCli(['token', 'revoke', '--id', idB], t.env),
            runCli(['token', 'revoke', 'tok_00000000000000000000000000'], t.env),
          ]);
          expect(byArg.code, byArg.stderr).toBe(0);
          expect(byArg.stdout).toContain(`API token ${idA}`);
          expect(byOption.code, byOption.stderr).toBe(0);
          expect(unknown.code).not.toBe(0);
          expect(unknown.stderr).toContain('API_TOKEN_NOT_FOUND');
          const db2 = t.open();
          try {
            const ctx = contextFor(db2);
            expect(await authenticateApiToken(ctx, lastLine(a.stdout))).toBeNull();
            expect(await authenticateApiToken(ctx, lastLine(b.stdout))).toBeNull();
            const events = await db2.kysely
              .selectFrom('audit_events')
              .select(['action', 'record_id'])
              .where('chain', '=', 'instance')
              .where('action', '=', 'api_token.revoked')
              .execute();
            expect(events.map((e) => e.record_id).sort()).toEqual([idA, idB].sort());
          } finally {
            await db2.destroy();
          }
        },
        SLOW,
      );
    });

    describe('audit verify', () => {
      let intact: Target;
      let altered: Target;
      let middle: Target;
      let tail: Target;
      beforeAll(async () => {
        const made = await Promise.all([0, 1, 2, 3].map(() => track(migratedTarget(dialect))));
        [intact, altered, middle, tail] = made as [Target, Target, Target, Target];
        await Promise.all([intact, altered, middle, tail].map(seedHistory));
      });

      it(
        `exits 0 on an intact database, and non-zero naming the first broken event after an UPDATE, a deleted middle row, a deleted last row [${dialect}]`,
        async () => {
          // Tamper with plain SQL, as someone with database access would.
          // `altered`: one instance event's payload, and the agreement chain's only event's time.
          const alteredEvents = await instanceEvents(altered);
          expect(alteredEvents).toHaveLength(3);
          const alteredId = alteredEvents[1]!.id;
          let agreement = { id: '', chain: '' };
          await exec(altered, async (db) => {
            await sql`update audit_events set payload = ${'{"after":{"name":"偽物株式会社"}}'} where id = ${alteredId}`.execute(
              db.kysely,
            );
            const ev = await db.kysely
              .selectFrom('audit_events')
              .selectAll()
              .where('chain', '!=', 'instance')
              .executeTakeFirstOrThrow();
            agreement = { id: ev.id, chain: ev.chain };
            await sql`update audit_events set occurred_at = ${'2020-01-01T00:00:00.000Z'} where id = ${ev.id}`.execute(
              db.kysely,
            );
          });
          // `middle`: the 2nd of 3 instance events deleted.
          const middleEvents = await instanceEvents(middle);
          const afterGap = middleEvents[2]!;
          await exec(middle, (db) =>
            sql`delete from audit_events where id = ${middleEvents[1]!.id}`.execute(db.kysely),
          );
          // `tail`: the last instance event deleted.
          const deletedTail = (await instanceEvents(tail)).at(-1)!;
          await exec(tail, (db) =>
            sql`delete from audit_events where id = ${deletedTail.id}`.execute(db.kysely),
          );
          let middleAgreement = '';
          await exec(middle, async (db) => {
            middleAgreement = (
              await db.kysely
                .selectFrom('audit_events')
                .select('chain')
                .where('chain', '!=', 'instance')
                .executeTakeFirstOrThrow()
            ).chain;
          });

          const [ok, alt, mid, end, oneChain] = await Promise.all([
            runCli(['audit', 'verify'], intact.env),
            runCli(['audit', 'verify'], altered.env),
            runCli(['audit', 'verify'], middle.env),
            runCli(['audit', 'verify'], tail.env),
            // The agreement chain of `middle` is intact even though its instance chain is not.
            runCli(['audit', 'verify', '--agreement', middleAgreement], middle.env),
          ]);

          expect(ok.code, ok.stderr).toBe(0);
          expect(ok.stdout).toContain('OK: 4 audit events verified');
          expect(ok.stdout).toContain('改ざんはありません');

          // Both broken chains are reported; the first (in chain order: agr_… < instance) is named.
          expect(alt.code).toBe(1);
          expect(alt.stderr).toContain(
            `BROKEN chain ${agreement.chain} at seq 1 (event ${agreement.id}): hash_mismatch`,
          );
          expect(alt.stderr).toContain(`BROKEN chain instance at seq 2 (event ${alteredId}): hash_mismatch`);
          expect(alt.stderr).toContain(`First broken event: ${agreement.id}`);
          expect(alt.stderr).toContain('改ざんを検知しました');
          expect(alt.stdout).not.toContain('OK:');

          expect(mid.code).toBe(1);
          expect(mid.stderr).toContain(`First broken event: ${afterGap.id}`);
          expect(mid.stderr).toContain('sequence_gap');

          expect(end.code).toBe(1);
          expect(end.stderr).toContain(`BROKEN chain instance at seq ${deletedTail.seq}`);
          expect(end.stderr).toContain('head_mismatch');
          expect(end.stderr).toContain(`First broken event: (missing) chain instance seq ${deletedTail.seq}`);

          expect(oneChain.code, oneChain.stderr).toBe(0);
          expect(oneChain.stdout).toContain('OK: 1 audit events verified');
        },
        SLOW,
      );
    });
  });
}

describe('cli: help and configuration errors', () => {
  const untouched = () => path.join(os.tmpdir(), `bp-cli-never-${randomBytes(4).toString('hex')}`);

  it(
    '--help works on serve, migrate, admin create, token create, audit verify: exit 0, usage, no database touched',
    async () => {
      const dir = untouched();
      const commands = [
        ['serve'],
        ['migrate'],
        ['admin', 'create'],
        ['token', 'create'],
        ['audit', 'verify'],
      ];
      const results = await Promise.all(commands.map((c) => runCli([...c, '--help'], { DATA_DIR: dir })));
      results.forEach((r, i) => {
        const name = commands[i]!.join(' ');
        expect(r.code, `${name}: ${r.stderr}`).toBe(0);
        expect(r.stdout).toContain(`Usage: breachpact ${name}`);
        expect(r.stdout).toContain('--help');
      });
      expect(results[0]!.stdout).not.toContain('is running');
      expect(results[2]!.stdout).toContain('--email');
      expect(results[2]!.stdout).toContain('--password');
      expect(results[3]!.stdout).toContain('--email');
      expect(results[4]!.stdout).toContain('--agreement');
      expect(results[3]!.stdout).toContain('--expires-in');
      expect(fs.existsSync(dir)).toBe(false);
    },
    SLOW,
  );

  it(
    'an invalid DATABASE_URL is a configuration error naming DATABASE_URL, before anything runs; PORT=abc serve fails fast naming PORT',
    async () => {
      const dir = untouched();
      const [db, port] = await Promise.all([
        runCli(['admin', 'create', '--email', 'a@example.com', '--password', 'password-1'], {
          DATABASE_URL: 'mysql://x',
          DATA_DIR: dir,
        }),
        runCli(['serve'], { PORT: 'abc', DATA_DIR: dir }, 30_000),
      ]);
      expect(db.code).not.toBe(0);
      expect(db.stderr).toContain('Invalid configuration');
      expect(db.stderr).toMatch(/DATABASE_URL: must start with postgres:\/\//);
      expect(db.stderr).not.toMatch(/PORT/);
      expect(db.stdout).toBe('');

      expect(port.signal).toBeNull(); // it exited by itself, it was not killed by the timeout
      expect(port.code).not.toBe(0);
      expect(port.stderr).toContain('Invalid configuration');
      expect(port.stderr).toMatch(/PORT: /);
      expect(port.stdout).not.toContain('is running');
      // Neither created the SQLite database (nor its folder): the configuration failed first.
      expect(fs.existsSync(dir)).toBe(false);
    },
    SLOW,
  );

  it(
    'serve on a port already in use exits non-zero with a clear message, and starts no runner',
    async () => {
      const net = await import('node:net');
      const blocker = net.createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      const port = (blocker.address() as { port: number }).port;
      const dir = path.join(os.tmpdir(), `bp-cli-port-${randomBytes(4).toString('hex')}`);
      try {
        const r = await runCli(['serve'], { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dir }, 60_000);
        expect(r.signal).toBeNull(); // it exited by itself, not killed by the timeout
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(`Port ${port} is already in use`);
        expect(r.stderr).toContain('既に使用されています');
        expect(r.stdout).not.toContain('is running');
        // No runner wrote mail files for the administrator's start-up or anything else.
        expect(fs.existsSync(path.join(dir, 'mail'))).toBe(false);
      } finally {
        blocker.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    SLOW,
  );

  it(
    '--version prints the version; a command says on stderr which database it opened',
    async () => {
      const dir = path.join(os.tmpdir(), `bp-cli-db-${randomBytes(4).toString('hex')}`);
      try {
        const [version, token] = await Promise.all([
          runCli(['--version'], { DATA_DIR: dir }),
          runCli(['token', 'create', '--email', 'nobody@example.com'], { DATA_DIR: dir }),
        ]);
        expect(version.code).toBe(0);
        expect(version.stdout.trim()).toBe(
          (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
            .version,
        );
        expect(token.code).not.toBe(0);
        expect(token.stderr).toContain(`Database: SQLite ${path.join(dir, 'breachpact.db')}`);
        expect(token.stderr).toContain('USER_NOT_FOUND');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    SLOW,
  );
});
