import type { MailMessage } from '../app/mail/templates.js';
import type { Db } from '../persistence/db.js';
import {
  claimOutbox,
  completeOutbox,
  failOutbox,
  type OutboxItem,
} from '../persistence/repositories/outbox.js';
import { findWebhook } from '../persistence/repositories/webhooks.js';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature.js';
import type { Mailer } from './mailer.js';

export interface RunnerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface OutboxRunnerOptions {
  db: Db;
  mailer: Mailer;
  logger: RunnerLogger;
  now?: () => Date;
  intervalMs?: number;
  leaseMs?: number;
  batch?: number;
  maxAttempts?: number;
}

/** Exponential backoff: 30 s, 1 min, 2 min … capped at 1 h. */
export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

/**
 * Delivers outbox items written in the same transaction as their change. Each claim is a lease:
 * an instance that dies mid-send releases the item when the lease ends. The message id is the
 * outbox dedupe key, so a receiver can drop the rare duplicate after a crash between send and commit.
 */
export class OutboxRunner {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly o: Required<Omit<OutboxRunnerOptions, 'now'>> & { now: () => Date };

  constructor(options: OutboxRunnerOptions) {
    this.o = {
      intervalMs: 2_000,
      // A lease comfortably longer than a batch can take (10 items × 10 s webhook timeout), so an
      // item is never re-claimed while its first delivery is still running.
      leaseMs: 300_000,
      batch: 10,
      maxAttempts: 10,
      now: () => new Date(),
      ...options,
    };
  }

  start(): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.runOnce()
        .then(() => undefined)
        .catch((e: unknown) => this.o.logger.warn({ err: e }, 'outbox run failed'))
        .finally(() => {
          this.running = null;
          if (!this.stopped) this.timer = setTimeout(tick, this.o.intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Claims and delivers one batch; returns how many items were delivered. */
  async runOnce(): Promise<number> {
    const items = await claimOutbox(this.o.db, this.o.now(), this.o.leaseMs, this.o.batch);
    let delivered = 0;
    for (const item of items) {
      try {
        await this.deliver(item);
        await completeOutbox(this.o.db, item.id, this.o.now());
        delivered++;
      } catch (e) {
        const attempts = item.attempts + 1;
        const retryAt =
          attempts >= this.o.maxAttempts ? null : new Date(this.o.now().getTime() + backoffMs(attempts));
        await failOutbox(
          this.o.db,
          item.id,
          e instanceof Error ? e.message : String(e),
          { retryAt, now: this.o.now() },
          attempts,
        );
        this.o.logger.warn({ id: item.id, kind: item.kind, attempts, err: e }, 'outbox delivery failed');
      }
    }
    return delivered;
  }

  /** POSTs the signed event; a non-2xx answer or a timeout is retried with backoff. */
  private async deliverWebhook(item: OutboxItem): Promise<void> {
    const { webhookId, body } = item.payload as { webhookId: string; body: { id: string; type: string } };
    const hook = await findWebhook(this.o.db, webhookId);
    if (!hook || !hook.active) return; // removed since: nothing to deliver
    const raw = JSON.stringify(body);
    const res = await fetch(hook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'BreachPact-Webhook/1',
        'breachpact-event': body.type,
        'breachpact-delivery': body.id,
        [SIGNATURE_HEADER]: signWebhook(hook.secret, raw, Math.floor(this.o.now().getTime() / 1000)),
      },
      body: raw,
      signal: AbortSignal.timeout(10_000),
      redirect: 'manual',
    });
    if (res.status < 200 || res.status >= 300) throw new Error(`webhook ${hook.url} answered ${res.status}`);
  }

  private async deliver(item: OutboxItem): Promise<void> {
    switch (item.kind) {
      case 'mail':
        await this.o.mailer.send(
          item.payload as MailMessage,
          `<${item.dedupeKey.replace(/[^\w.-]/g, '.')}@breachpact>`,
        );
        return;
      case 'webhook':
        await this.deliverWebhook(item);
        return;
      default:
        throw new Error(`unknown outbox kind ${item.kind}`);
    }
  }
}
