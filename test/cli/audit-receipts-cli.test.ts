import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { enableAuditSigning } from '../../src/app/audit/anchors.js';
import { auditBody, chainHash } from '../../src/domain/audit/chain.js';
import { loadConfig } from '../../src/config/config.js';
import { inTransaction, migrateToLatest, openDatabase } from '../../src/persistence/db.js';
import {
  appendAuditEvent,
  listAuditEvents,
  listSignedPositions,
} from '../../src/persistence/repositories/audit.js';
import { availableDialects, createTestDatabase, TestClock } from '../support/dialects.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const base = { ...process.env };
  for (const k of Object.keys(base))
    if (/^(DATABASE_URL|DATA_DIR|AUDIT_.*|BREACHPACT_.*)$/.test(k)) delete base[k];
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { ...base, TZ: 'UTC', LOG_LEVEL: 'silent', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function sqliteIn(dataDir: string) {
  const db = openDatabase({ dialect: 'sqlite', file: path.join(dataDir, 'breachpact.db') });
  await migrateToLatest(db);
  return { db, url: null, drop: () => db.destroy() };
}

for (const dialect of availableDialects()) {
  describe(`breachpact audit verify --receipts [${dialect}]`, () => {
    it(`4a and 4b from the CLI: a rewrite recomputing the later hashes and the head fails on the signed head and on a receipt kept from before [${dialect}]`, async () => {
      const dataDir = path.join(os.tmpdir(), `bp-cli-audit-${randomBytes(6).toString('hex')}`);
      // SQLite: the database the CLI opens, DATA_DIR/breachpact.db.
      const created = dialect === 'sqlite' ? await sqliteIn(dataDir) : await createTestDatabase(dialect);
      const config = loadConfig({ DATA_DIR: dataDir, PUBLIC_URL: 'http://localhost:3000' });
      const ctx = { db: created.db, config, clock: new TestClock() };
      try {
        enableAuditSigning(ctx);
        const chain = `cli_${randomBytes(4).toString('hex')}`;
        for (let i = 1; i <= 4; i++) {
          await inTransaction(created.db, (tx) =>
            appendAuditEvent(tx, {
              chain,
              occurredAt: `2026-11-28T01:00:0${i}.000Z`,
              actorUserId: null,
              actorOrgId: null,
              action: 'test.appended',
              recordType: 'test',
              recordId: `rec_${i}`,
              payload: { i },
            }),
          );
        }
        const file = path.join(dataDir, 'receipts.json');
        fs.writeFileSync(
          file,
          JSON.stringify({ receipts: await listSignedPositions(created.db, 'audit_signed_heads', chain) }),
        );
        const env: Record<string, string> =
          dialect === 'sqlite' ? { DATA_DIR: dataDir } : { DATA_DIR: dataDir, DATABASE_URL: created.url! };
        const ok = await runCli(['audit', 'verify', '--receipts', file], env);
        expect(ok.code, ok.stdout + ok.stderr).toBe(0);
        expect(ok.stdout).toContain('every chain is intact');
        expect(ok.stdout).toContain('Receipts OK: 1 receipts match the database.');

        // The attack: change event 2's payload, recompute 2..4 and the head row.
        const events = await listAuditEvents(created.db, chain);
        let prev = events[0]!.hash;
        for (const e of events.slice(1)) {
          const payload = e.seq === 2 ? '{"i":200}' : e.payload;
          const hash = chainHash(prev, auditBody({ ...e, payload }));
          await created.db.kysely
            .updateTable('audit_events')
            .set({ payload, prev_hash: prev, hash })
            .where('id', '=', e.id)
            .execute();
          prev = hash;
        }
        await created.db.kysely
          .updateTable('audit_heads')
          .set({ hash: prev })
          .where('chain', '=', chain)
          .execute();
        const bad = await runCli(['audit', 'verify', '--receipts', file], env);
        expect(bad.code).toBe(1);
        expect(bad.stderr).toContain(`BROKEN chain ${chain} at seq 4`);
        expect(bad.stderr).toContain('signed_head_mismatch');
        expect(bad.stderr).toContain(`RECEIPT MISMATCH: receipt 0 (chain ${chain} seq 4): hash_mismatch`);
      } finally {
        await created.drop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    }, 180_000);
  });
}
