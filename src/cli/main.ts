#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { createAdmin } from '../app/auth/bootstrap-admin.js';
import { createApiToken } from '../app/auth/sessions.js';
import { verifyAudit } from '../app/audit/audit-events.js';
import { ConfigError, loadConfig } from '../config/config.js';
import { isAppError } from '../domain/shared/errors.js';
import { newSecret } from '../domain/shared/ids.js';
import { migrateToLatest, openDatabase } from '../persistence/db.js';
import { describeDatabase, openContext } from './runtime.js';
import { loadDemo } from '../app/demo/load-demo.js';
import { ensureAdmin } from '../app/auth/bootstrap-admin.js';

const program = new Command();
program
  .name('breachpact')
  .description(
    'BreachPact — 情報漏えい事故対応協力覚書を実行可能にする / the incident cooperation memorandum, executable',
  )
  .showHelpAfterError()
  .exitOverride();

program
  .command('serve')
  .description('Run the web app and API (migrates the database and creates the administrator on first start)')
  // Loaded lazily: only `serve` needs the HTTP server, so the other commands start faster.
  .action(async () => (await import('./serve.js')).serve());

program
  .command('migrate')
  .description('Apply database migrations (SQLite under DATA_DIR, or DATABASE_URL)')
  .action(async () => {
    const config = loadConfig();
    const db = openDatabase(config.database);
    try {
      const { applied } = await migrateToLatest(db);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Already up to date.');
      console.log(`Database: ${describeDatabase(config)}`);
    } finally {
      await db.destroy();
    }
  });

const admin = program.command('admin').description('Instance administrators');
admin
  .command('create')
  .description('Create an instance administrator')
  .requiredOption('--email <email>', 'e-mail address used to log in')
  .option('--name <name>', 'display name', '管理者')
  .option('--password <password>', 'password (default: generated and printed once)')
  .action(async (opts: { email: string; name: string; password?: string }) => {
    const ctx = await openContext();
    try {
      const password = opts.password ?? newSecret(12);
      if (password.length < 8) throw new Error('--password must be at least 8 characters');
      const { id } = await createAdmin(ctx, { email: opts.email, name: opts.name, password });
      console.log(`Administrator created: ${opts.email} (${id})`);
      if (!opts.password) console.log(`Generated password (shown only this once): ${password}`);
    } finally {
      await ctx.db.destroy();
    }
  });

const token = program.command('token').description('API tokens for automation (Authorization: Bearer …)');
token
  .command('create')
  .description('Create an API token for a user; the token is the last line of the output')
  .requiredOption('--email <email>', "the user's e-mail address")
  .option('--name <name>', 'a label for the token', 'cli')
  .action(async (opts: { email: string; name: string }) => {
    const ctx = await openContext();
    try {
      const { token: secret, user } = await createApiToken(ctx, opts.email, opts.name);
      console.log(`API token for ${user.email} (${user.role}). Shown only once; store it safely:`);
      console.log(secret);
    } finally {
      await ctx.db.destroy();
    }
  });

const audit = program.command('audit').description('The tamper-evident audit trail');
audit
  .command('verify')
  .description(
    'Recompute every SHA-256 chain; exits 1 and names the first broken event if a row was altered or removed',
  )
  .option('--agreement <id>', 'verify only this agreement')
  .action(async (opts: { agreement?: string }) => {
    const ctx = await openContext();
    try {
      const started = performance.now();
      const result = await verifyAudit(ctx.db, {
        ...(opts.agreement ? { chain: opts.agreement } : {}),
        onProgress: (n) => process.stderr.write(`\r  ${n.toLocaleString('en')} events checked…`),
      });
      process.stderr.write('\r');
      const secs = ((performance.now() - started) / 1000).toFixed(2);
      if (result.ok) {
        console.log(`OK: ${result.checked} audit events verified in ${secs} s; every chain is intact.`);
        console.log(`検証成功: ${result.checked} 件の監査ログを検証しました。改ざんはありません。`);
        return;
      }
      for (const b of result.breaks) {
        const where = b.eventId ? `event ${b.eventId}` : `after seq ${b.seq - 1}`;
        console.error(`BROKEN chain ${b.chain} at seq ${b.seq} (${where}): ${b.reason}`);
      }
      const first = result.breaks[0];
      console.error(
        `First broken event: ${first?.eventId ?? `(missing) chain ${first?.chain} seq ${first?.seq}`} — ${result.reason?.en ?? ''}`,
      );
      console.error(`改ざんを検知しました: ${result.reason?.ja ?? ''}`);
      process.exitCode = 1;
    } finally {
      await ctx.db.destroy();
    }
  });

program
  .command('demo')
  .description(
    'Load a realistic demo into the current database: two companies, a signed agreement, an incident in progress',
  )
  .action(async () => {
    const ctx = await openContext();
    try {
      const admin = await ensureAdmin(ctx);
      if (admin.generatedPassword)
        console.log(`Administrator ${admin.email}, password (shown once): ${admin.generatedPassword}`);
      const result = await loadDemo(ctx, { kind: 'system', label: 'demo' });
      if (!result.created) {
        console.log('The demo is already loaded in this database (nothing changed).');
        return;
      }
      console.log('Demo loaded / デモデータを読み込みました。');
      console.log(`Password for every demo user / 全デモユーザー共通パスワード: ${result.password}`);
      for (const a of result.accounts) {
        console.log(
          `  ${a.party === 'A' ? '甲' : '乙'} ${a.role.padEnd(9)} ${a.email}  (${a.name}, ${a.organization})`,
        );
      }
      console.log(`Agreement: ${result.agreementId}   Incident: ${result.incidentId}`);
      console.log('Start the app with `npm start` and log in as otsu.csirt@… (乙) or kou.owner@… (甲).');
    } finally {
      await ctx.db.destroy();
    }
  });

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode;
      return;
    }
    if (e instanceof ConfigError) {
      console.error(e.message);
    } else if (isAppError(e)) {
      console.error(
        `Error ${e.code}: ${e.userMessage.en} / ${e.userMessage.ja}${e.message !== e.code ? ` (${e.message})` : ''}`,
      );
    } else {
      console.error(`Error: ${e instanceof Error ? e.message : String(e)}`);
    }
    process.exitCode = process.exitCode && process.exitCode !== 0 ? process.exitCode : 1;
  }
}

await main();
