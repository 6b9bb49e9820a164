import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { MailMessage } from '../app/mail/templates.js';
import {
  checkWebhookTarget,
  maskUrlCredentials,
  systemResolver,
  type ResolvedAddress,
  type Resolver,
} from '../app/webhooks/target-policy.js';
import type { WebhookTargetConfig } from '../config/config.js';
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
  /** Which webhook targets are allowed (config.webhookTargets); default: public addresses only. */
  webhookTargets?: WebhookTargetConfig;
  /** DNS for webhook hosts (tests replace it); every answer is checked against the policy. */
  resolve?: Resolver;
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
      webhookTargets: { allowPrivate: false, allowedHosts: [] },
      resolve: systemResolver,
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
    const url = new URL(hook.url);
    const shown = maskUrlCredentials(hook.url);
    // Resolve and check now (against DNS rebinding since registration), then connect to the
    // address that was checked: the request never resolves the name a second time.
    const check = await checkWebhookTarget(url, this.o.webhookTargets, this.o.resolve);
    if (!check.ok) {
      throw new Error(
        check.reason === 'unresolvable'
          ? `webhook ${shown}: ${check.host} does not resolve`
          : `webhook ${shown} refused: ${check.host} resolves to ${check.address ?? '?'} (${check.range ?? '?'})`,
      );
    }
    const raw = JSON.stringify(body);
    const status = await postPinned(url, check.addresses[0] as ResolvedAddress, raw, {
      'content-type': 'application/json',
      'user-agent': 'BreachPact-Webhook/1',
      'breachpact-event': body.type,
      'breachpact-delivery': body.id,
      [SIGNATURE_HEADER]: signWebhook(hook.secret, raw, Math.floor(this.o.now().getTime() / 1000)),
    });
    if (status < 200 || status >= 300) throw new Error(`webhook ${shown} answered ${status}`);
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

/**
 * POSTs `body` to `url`, connecting to `address` (already checked) whatever DNS says now; the Host
 * header and TLS name stay the URL's. No redirects are followed; 10 s overall timeout.
 */
function postPinned(
  url: URL,
  address: ResolvedAddress,
  body: string,
  headers: Record<string, string>,
): Promise<number> {
  const lookup: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, [{ address: address.address, family: address.family }]);
    else callback(null, address.address, address.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup,
        timeout: 10_000,
        signal: AbortSignal.timeout(10_000),
      },
      (res) => {
        res.resume(); // the answer's body is not needed; drain it so the socket is freed
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('webhook timed out')));
    req.on('error', reject);
    req.end(body);
  });
}
