import path from 'node:path';
import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '../src/config/config.js';
import { createMailer } from '../src/jobs/mailer.js';
import { OutboxRunner } from '../src/jobs/outbox-runner.js';
import { inTransaction, migrateToLatest, openDatabase } from '../src/persistence/db.js';
import { enqueueOutbox } from '../src/persistence/repositories/outbox.js';
import { fmtInt, fmtRatio, progress, removeDir, seconds, tempDir, verdict, type Verdict } from './support.js';

/**
 * Mail throughput of one instance: `mails` notices queued in a fresh SQLite database, delivered by
 * the real outbox runner (its mail queue, pooled SMTP with `concurrency` connections) to a local
 * smtp-server sink on 127.0.0.1. The machine's own limit, measured in the same run: the same
 * number of the same mails sent straight through nodemailer to the same sink with the same
 * concurrency, no database.
 */

export interface MailBenchResult {
  mails: number;
  concurrency: number;
  runner: { seconds: number; mailsPerSec: number };
  raw: { seconds: number; mailsPerSec: number };
  ratio: number;
  target: number;
  verdict: Verdict;
}

const TARGET_PER_SEC = 50;

async function startSink(): Promise<{ port: number; count: () => number; close(): Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received++;
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as AddressInfo).port;
  return { port, count: () => received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const message = (i: number) => ({
  to: `user${i}@example.com`,
  subject: `【BreachPact】乙システム株式会社から第一報：再委託先でのマルウェア感染 ${i}`,
  text: `A owner 様\n\n乙システム株式会社から第一報が届きました（第3条第1項）。\n\nhttps://breachpact.example.jp/incidents/inc_${i}\n`.repeat(
    3,
  ),
  locale: 'ja' as const,
});

async function waitUntil(
  cond: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > timeoutMs)
      throw new Error(`mail bench: ${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** `count` mails straight through a pooled nodemailer transport, `concurrency` at a time. */
async function sendRaw(
  port: number,
  from: string,
  count: number,
  concurrency: number,
  tag: string,
): Promise<void> {
  const transport = nodemailer.createTransport({
    url: `smtp://127.0.0.1:${port}`,
    pool: true,
    maxConnections: concurrency,
    maxMessages: 500,
  });
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const m = message(i);
      await transport.sendMail({
        from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        messageId: `<${tag}.${i}@breachpact>`,
      });
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    transport.close();
  }
}

export async function benchMail(options: { mails: number; concurrency: number }): Promise<MailBenchResult> {
  const { mails, concurrency } = options;
  const dir = tempDir('mail');
  const sink = await startSink();
  const db = openDatabase({ dialect: 'sqlite', file: path.join(dir, 'bench.db') });
  try {
    await migrateToLatest(db);
    const now = new Date().toISOString();
    await inTransaction(db, async (tx) => {
      for (let i = 0; i < mails; i++)
        await enqueueOutbox(tx, { kind: 'mail', dedupeKey: `bench:${i}`, payload: message(i) }, now);
    });
    const config = loadConfig({ DATA_DIR: dir, SMTP_URL: `smtp://127.0.0.1:${sink.port}` });
    // Warm-up (untimed): the same path as the raw run, so neither measured run pays for a cold JIT.
    progress('mail: warm-up');
    await sendRaw(sink.port, config.smtpFrom, Math.max(100, Math.floor(mails / 10)), concurrency, 'warm');
    const warmed = sink.count();
    progress(`mail: ${fmtInt(mails)} mails queued; the outbox runner delivers them`);

    const mailer = createMailer(config, { concurrency });
    const silent = { info: () => undefined, warn: (o: object, m: string) => console.error(m, o) };
    const runner = new OutboxRunner({ db, mailer, logger: silent, mailConcurrency: concurrency });
    const t0 = performance.now();
    runner.start();
    const remaining = async () =>
      Number(
        (
          await db.kysely
            .selectFrom('outbox')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('state', '!=', 'done')
            .executeTakeFirstOrThrow()
        ).n,
      );
    let last = 0;
    await waitUntil(
      async () => {
        if (sink.count() - warmed < mails) return false;
        if (performance.now() - last < 20) return false;
        last = performance.now();
        return (await remaining()) === 0;
      },
      600_000,
      'delivering every queued mail',
    );
    const runnerSeconds = seconds(t0);
    await runner.stop();
    mailer.close();
    if (sink.count() - warmed !== mails)
      throw new Error(`mail bench: the sink got ${sink.count() - warmed} mails for ${mails}`);

    progress('mail: the same mails straight through nodemailer (the machine’s limit)');
    const before = sink.count();
    const t1 = performance.now();
    await sendRaw(sink.port, config.smtpFrom, mails, concurrency, 'raw');
    const rawSeconds = seconds(t1);
    if (sink.count() - before !== mails) throw new Error('mail bench: the raw run lost mails');

    const runnerRate = mails / runnerSeconds;
    const rawRate = mails / rawSeconds;
    return {
      mails,
      concurrency,
      runner: { seconds: runnerSeconds, mailsPerSec: runnerRate },
      raw: { seconds: rawSeconds, mailsPerSec: rawRate },
      ratio: runnerRate / rawRate,
      target: TARGET_PER_SEC,
      verdict: verdict(runnerRate, TARGET_PER_SEC),
    };
  } finally {
    await db.destroy();
    await sink.close();
    removeDir(dir);
  }
}

export function printMail(r: MailBenchResult): void {
  console.log(
    `\n4. Mail: ${fmtInt(r.mails)} queued mails → outbox runner → local SMTP sink, ${r.concurrency} connections`,
  );
  console.log(
    `   outbox runner (SQLite, claim + send + record)  ${r.runner.mailsPerSec.toFixed(0).padStart(6)} mails/s ` +
      `(${r.runner.seconds.toFixed(2)} s)`,
  );
  console.log(
    `   raw nodemailer → sink (the machine's limit)    ${r.raw.mailsPerSec.toFixed(0).padStart(6)} mails/s ` +
      `(${r.raw.seconds.toFixed(2)} s)`,
  );
  console.log(
    `   runner ≥ ${r.target} mails/s: ${r.verdict}; ratio runner/raw = ${fmtRatio(r.ratio)} (reported, not a target)`,
  );
}
