import { ensureAdmin } from '../app/auth/bootstrap-admin.js';
import { loadConfig } from '../config/config.js';
import { buildServer } from '../http/server.js';
import { createMailer } from '../jobs/mailer.js';
import { OutboxRunner } from '../jobs/outbox-runner.js';
import { ReminderRunner } from '../jobs/reminder-runner.js';
import { AuditRunner } from '../jobs/audit-runner.js';
import { DigestRunner } from '../jobs/digest-runner.js';
import { describeDatabase, openContext } from './runtime.js';

export async function serve(): Promise<void> {
  const config = loadConfig();
  const ctx = await openContext(config);
  const admin = await ensureAdmin(ctx);
  if (admin.created) {
    console.log(`Instance administrator created: ${admin.email}`);
    if (admin.generatedPassword) {
      console.log('Generated password (shown only this once; set BREACHPACT_ADMIN_PASSWORD to choose one):');
      console.log(`  ${admin.generatedPassword}`);
    }
  }
  const app = await buildServer(ctx, {
    logger:
      config.logLevel === 'silent'
        ? false
        : { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] },
  });
  // Listen first: if the port is taken, say so and exit before any runner starts (a process that
  // cannot serve must not keep sending mail and reminders in the background).
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    console.error(
      code === 'EADDRINUSE'
        ? `ポート ${config.port} は既に使用されています。別のプロセスを止めるか、PORT を変えてください。\n` +
            `Port ${config.port} is already in use: stop the other process or set PORT.`
        : `${config.host}:${config.port} で待ち受けできません / Cannot listen on ${config.host}:${config.port}: ${String(e)}`,
    );
    await app.close();
    await ctx.db.destroy();
    process.exit(1);
  }
  const mailer = createMailer(config, { concurrency: config.outbox.mailConcurrency });
  const runner = new OutboxRunner({
    db: ctx.db,
    mailer,
    logger: app.log,
    webhookTargets: ctx.config.webhookTargets,
    ...config.outbox,
  });
  runner.start();
  const reminders = new ReminderRunner(ctx, app.log);
  reminders.start();
  // Audit receipts to the parties and the daily full verification of every chain.
  const auditRunner = new AuditRunner(ctx, app.log);
  auditRunner.start();
  // The daily digest of open duties at 9:00 Japan time (once per user and date across instances).
  const digests = new DigestRunner(ctx, app.log);
  digests.start();
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await reminders.stop();
    await auditRunner.stop();
    await digests.stop();
    await runner.stop();
    await app.close();
    mailer.close();
    await ctx.db.destroy();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  console.log(`BreachPact is running on ${config.publicUrl} (${describeDatabase(config)})`);
  if (!config.smtpUrl) console.log(`E-mail: no SMTP_URL, mails are written to ${config.dataDir}/mail/*.eml`);
}
