#!/usr/bin/env node
import { createPublicKey } from 'node:crypto';
import fs from 'node:fs';
import { Command, CommanderError } from 'commander';
import { createAdmin } from '../app/auth/bootstrap-admin.js';
import { revokeApiToken } from '../app/auth/api-tokens.js';
import { createApiToken } from '../app/auth/sessions.js';
import {
  breakMessage,
  checkAnchors,
  parseReceiptFile,
  runFullVerification,
  verifyReceiptsAgainst,
} from '../app/audit/anchors.js';
import { verifyAudit } from '../app/audit/audit-events.js';
import { auditKeyFile, loadAuditSigner } from '../app/audit/signing-key.js';
import type { ChainBreak } from '../domain/audit/chain.js';
import { ConfigError, loadConfig } from '../config/config.js';
import { isAppError } from '../domain/shared/errors.js';
import { newSecret } from '../domain/shared/ids.js';
import { migrateToLatest, openDatabase } from '../persistence/db.js';
import { describeDatabase, openCliContext, packageVersion } from './runtime.js';
import { loadDemo } from '../app/demo/load-demo.js';
import { ensureAdmin } from '../app/auth/bootstrap-admin.js';

const program = new Command();
program
  .name('breachpact')
  .description(
    'BreachPact — 情報漏えい事故対応協力覚書を実行可能にする / the incident cooperation memorandum, executable',
  )
  .version(packageVersion(), '-V, --version', 'print the version')
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
    const ctx = await openCliContext();
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

/** `90d`, `90` (days) or `12w` (weeks) → days. */
function parseExpiresIn(value: string): number {
  const m = /^(\d{1,4})\s*(d|w)?$/i.exec(value.trim());
  const days = m ? Number(m[1]) * (m[2]?.toLowerCase() === 'w' ? 7 : 1) : NaN;
  if (!Number.isInteger(days) || days < 1 || days > 3650) {
    throw new Error(`--expires-in must be a number of days such as 90d (1-3650 days), not "${value}"`);
  }
  return days;
}

token
  .command('create')
  .description('Create an API token for a user; the token is the last line of the output')
  .requiredOption('--email <email>', "the user's e-mail address")
  .option('--name <name>', 'a label for the token', 'cli')
  .option('--expires-in <days>', 'expire the token after this many days, e.g. 90d (default: no expiry)')
  .action(async (opts: { email: string; name: string; expiresIn?: string }) => {
    const expiresInDays = opts.expiresIn === undefined ? undefined : parseExpiresIn(opts.expiresIn);
    const ctx = await openCliContext();
    try {
      const {
        token: secret,
        user,
        id,
        expiresAt,
      } = await createApiToken(ctx, opts.email, opts.name, expiresInDays);
      console.log(
        `API token ${id} for ${user.email} (${user.role}), ${expiresAt ? `expires ${expiresAt}` : 'no expiry'}. Shown only once; store it safely:`,
      );
      console.log(secret);
    } finally {
      await ctx.db.destroy();
    }
  });

token
  .command('revoke')
  .description('Revoke an API token by its id (tok_…); it answers 401 from then on')
  .argument('[id]', 'the token id (as printed by token create or listed in the app)')
  .option('--id <id>', 'the token id (instead of the argument)')
  .action(async (arg: string | undefined, opts: { id?: string }) => {
    const id = arg ?? opts.id;
    if (!id) throw new Error('give the token id: breachpact token revoke <id> (or --id <id>)');
    const ctx = await openCliContext();
    try {
      const revoked = await revokeApiToken(ctx, { kind: 'system', label: 'cli' }, id);
      console.log(`API token ${revoked.id} ("${revoked.name}") revoked.`);
    } finally {
      await ctx.db.destroy();
    }
  });

const audit = program.command('audit').description('The tamper-evident audit trail');
audit
  .command('verify')
  .description(
    'Recompute every SHA-256 chain and check each signed head and checkpoint; exits 1 and names the first broken event if a row was altered, removed or rewritten',
  )
  .option('--agreement <id>', 'verify only this agreement')
  .option(
    '--receipts <file>',
    'also check the database against receipts a party kept (the file downloaded from the agreement page)',
  )
  .action(async (opts: { agreement?: string; receipts?: string }) => {
    const ctx = await openCliContext();
    try {
      const started = performance.now();
      const onProgress = (n: number) => process.stderr.write(`\r  ${n.toLocaleString('en')} events checked…`);
      // The key is read, never made here: without it the signatures cannot be checked.
      const signer = loadAuditSigner(ctx.config, { create: false });
      let ok: boolean;
      let checked: number;
      let breaks: ChainBreak[];
      if (opts.agreement) {
        const v = await verifyAudit(ctx.db, { chain: opts.agreement, onProgress });
        const anchors =
          v.ok && signer ? await checkAnchors(ctx.db, signer.publicKey, { chain: opts.agreement }) : [];
        breaks = [...v.breaks, ...anchors];
        ok = breaks.length === 0;
        checked = v.checked;
      } else {
        const full = await runFullVerification(ctx, 'cli', { signer, onProgress });
        breaks = full.breaks;
        ok = full.run.ok;
        checked = full.run.checked;
      }
      process.stderr.write('\r');
      const secs = ((performance.now() - started) / 1000).toFixed(2);
      if (ok) {
        console.log(`OK: ${checked} audit events verified in ${secs} s; every chain is intact.`);
        console.log(`検証成功: ${checked} 件の監査ログを検証しました。改ざんはありません。`);
      } else {
        for (const b of breaks) {
          const where = b.eventId ? `event ${b.eventId}` : `after seq ${b.seq - 1}`;
          console.error(`BROKEN chain ${b.chain} at seq ${b.seq} (${where}): ${b.reason}`);
        }
        const first = breaks[0];
        const reason = breakMessage(first);
        console.error(
          `First broken event: ${first?.eventId ?? `(missing) chain ${first?.chain} seq ${first?.seq}`} — ${reason?.en ?? ''}`,
        );
        console.error(`改ざんを検知しました: ${reason?.ja ?? ''}`);
        process.exitCode = 1;
      }
      if (signer) console.log(`Signed heads checked with key ${signer.fingerprint}.`);
      else
        console.log(
          `No signing key at ${auditKeyFile(ctx.config.dataDir)} (nor AUDIT_SIGNING_KEY): signatures not checked.`,
        );
      if (opts.receipts) {
        const file = parseReceiptFile(fs.readFileSync(opts.receipts, 'utf8'));
        const publicKey =
          signer?.publicKey ?? (file.publicKeyPem ? createPublicKey(file.publicKeyPem) : null);
        if (!publicKey)
          throw new Error('no public key to check the receipts with (no signing key, none in the file)');
        const r = await verifyReceiptsAgainst(ctx.db, publicKey, file.receipts);
        if (r.ok) {
          console.log(`Receipts OK: ${r.checked} receipts match the database.`);
          console.log(`受領証の照合成功: ${r.checked} 件すべてデータベースと一致しました。`);
        } else {
          const m = r.firstMismatch!;
          console.error(`RECEIPT MISMATCH: receipt ${m.index} (chain ${m.chain} seq ${m.seq}): ${m.reason}`);
          console.error(
            `受領証と一致しません（${m.index} 番目、連番 ${m.seq}）: 記録が書き換えられています。`,
          );
          process.exitCode = 1;
        }
      }
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
    const ctx = await openCliContext();
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
