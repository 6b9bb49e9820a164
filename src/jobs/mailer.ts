import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { MailMessage } from '../app/mail/templates.js';
import type { Config } from '../config/config.js';
import { OUTBOX_DEFAULTS } from './outbox-runner.js';

export interface Mailer {
  send(message: MailMessage, messageId: string): Promise<void>;
  close(): void;
}

/**
 * SMTP when SMTP_URL is set (a pool of `concurrency` connections); otherwise every mail is written as an .eml file under
 * DATA_DIR/mail/ so a newcomer can open it (README: E-mail).
 */
export function createMailer(config: Config, options: { concurrency?: number } = {}): Mailer {
  const from = config.smtpFrom;
  if (config.smtpUrl) {
    // Pooled: up to `concurrency` SMTP connections to the relay, each reused for many messages
    // (the outbox's mail queue sends that many at once). Short timeouts so a relay that stops
    // answering fails the send (retried with backoff) instead of holding it for minutes.
    const transport: Transporter = nodemailer.createTransport({
      url: config.smtpUrl,
      pool: true,
      maxConnections: Math.max(1, options.concurrency ?? OUTBOX_DEFAULTS.mailConcurrency),
      maxMessages: 500,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    return {
      async send(m, messageId) {
        await transport.sendMail({ from, to: m.to, subject: m.subject, text: m.text, messageId });
      },
      close: () => transport.close(),
    };
  }
  const dir = path.join(config.dataDir, 'mail');
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(m, messageId) {
      const info = await transport.sendMail({ from, to: m.to, subject: m.subject, text: m.text, messageId });
      await fs.mkdir(dir, { recursive: true });
      // <notice.sent.ntc_1.usr_1@breachpact> → notice.sent.ntc_1.usr_1.eml (the same mail, the same file).
      const core = messageId.replace(/^<|>$/g, '').replace(/@[^@]*$/, '');
      const safe = core.replace(/[^a-zA-Z0-9_.-]/g, '_');
      await fs.writeFile(path.join(dir, `${safe}.eml`), info.message as Buffer);
    },
    close: () => transport.close(),
  };
}
