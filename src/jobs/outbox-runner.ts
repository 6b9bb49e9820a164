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
import { newId } from '../domain/shared/ids.js';
import {
  claimOutbox,
  completeOutbox,
  failOutbox,
  releaseOutbox,
  renewOutboxLeases,
  type OutboxItem,
  type OutboxKindFilter,
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
  /** How often an idle queue looks for due rows (a queue with free slots and work claims at once). */
  intervalMs?: number;
  /** Lease of a claimed row; renewed by the heartbeat while its delivery runs. */
  leaseMs?: number;
  /** How often the leases of rows still being delivered are renewed (default: a third of the lease). */
  heartbeatMs?: number;
  /** Most rows one claim of one queue takes. */
  batch?: number;
  maxAttempts?: number;
  /** Mails sent at once (one SMTP relay: the relay's limit). */
  mailConcurrency?: number;
  /** Webhook requests at once, all hosts together. */
  webhookConcurrency?: number;
  /** Webhook requests at once to one host (URL host and port). */
  webhookHostConcurrency?: number;
  /** A webhook request (connect, send, answer) that takes longer fails and is retried with backoff. */
  webhookTimeoutMs?: number;
  /** A webhook row whose host is busy is given back (no attempt counted), due again this much later. */
  deferMs?: number;
  /** Which webhook targets are allowed (config.webhookTargets); default: public addresses only. */
  webhookTargets?: WebhookTargetConfig;
  /** DNS for webhook hosts (tests replace it); every answer is checked against the policy. */
  resolve?: Resolver;
  /** This instance's name in `outbox.locked_by` (default: a fresh id). */
  instanceId?: string;
}

/** Exponential backoff: 30 s, 1 min, 2 min … capped at 1 h. */
export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

export const OUTBOX_DEFAULTS = {
  intervalMs: 1_000,
  leaseMs: 30_000,
  batch: 20,
  maxAttempts: 10,
  mailConcurrency: 10,
  webhookConcurrency: 20,
  webhookHostConcurrency: 2,
  webhookTimeoutMs: 10_000,
  deferMs: 2_000,
} as const;

type QueueName = 'mail' | 'webhook' | 'other';

interface Queue {
  name: QueueName;
  filter: OutboxKindFilter;
  concurrency: number;
  active: number;
  wakeup: (() => void) | null;
}

/** Thrown when a webhook's host has no free slot: the row is given back, not failed. */
class HostBusy extends Error {}

type Outcome = 'delivered' | 'failed' | 'deferred';

/**
 * Delivers outbox items written in the same transaction as their change, on three queues that
 * claim and deliver independently: mail (at most `mailConcurrency` at once, the SMTP relay's
 * limit), webhooks (at most `webhookConcurrency`, and `webhookHostConcurrency` per host, each
 * request bounded by `webhookTimeoutMs`) and any other kind. A receiver that never answers holds
 * only its own host's slots; mail never waits for webhooks.
 *
 * Each claim is a short lease held by this instance (`locked_by`), renewed every `heartbeatMs`
 * while the delivery runs: a slow delivery keeps its row, a dead instance's rows are claimable
 * again once their lease (30 s) ends. Delivery is at-least-once: an instance that dies between
 * sending and recording it sends that item again after the lease; the message id (mail) and the
 * BreachPact-Delivery header (webhooks) stay the same, so receivers de-duplicate.
 */
export class OutboxRunner {
  readonly instanceId: string;
  private stopped = true;
  private dead = false;
  private loops: Promise<void>[] = [];
  private readonly tasks = new Set<Promise<void>>();
  private readonly inflight = new Set<string>();
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly hosts = new Map<string, { active: number; waiters: (() => void)[] }>();
  private readonly queues: Queue[];
  private readonly o: Required<Omit<OutboxRunnerOptions, 'now' | 'heartbeatMs' | 'instanceId'>> & {
    now: () => Date;
    heartbeatMs: number;
  };

  constructor(options: OutboxRunnerOptions) {
    const leaseMs = options.leaseMs ?? OUTBOX_DEFAULTS.leaseMs;
    this.o = {
      ...OUTBOX_DEFAULTS,
      webhookTargets: { allowPrivate: false, allowedHosts: [] },
      resolve: systemResolver,
      now: () => new Date(),
      ...options,
      leaseMs,
      heartbeatMs: options.heartbeatMs ?? Math.max(10, Math.floor(leaseMs / 3)),
    };
    this.instanceId = options.instanceId ?? newId('outbox').replace(/^[a-z]+_/, 'run_');
    const queue = (name: QueueName, filter: OutboxKindFilter, concurrency: number): Queue => ({
      name,
      filter,
      concurrency: Math.max(1, concurrency),
      active: 0,
      wakeup: null,
    });
    this.queues = [
      queue('mail', { kinds: ['mail'] }, this.o.mailConcurrency),
      queue('webhook', { kinds: ['webhook'] }, this.o.webhookConcurrency),
      queue('other', { exceptKinds: ['mail', 'webhook'] }, 4),
    ];
  }

  /** Starts one claim loop per queue. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.dead = false;
    this.loops = this.queues.map((q) => this.loop(q));
  }

  /**
   * Stops claiming and waits up to `graceMs` for the deliveries in progress. Those still running
   * after it stop being renewed: their rows return to the queue when the lease ends (as if this
   * instance had died). `graceMs: 0` is a crash as far as the outbox can tell.
   */
  async stop(options: { graceMs?: number } = {}): Promise<void> {
    const graceMs = options.graceMs ?? this.o.webhookTimeoutMs + 5_000;
    this.stopped = true;
    for (const q of this.queues) q.wakeup?.();
    await Promise.all(this.loops);
    this.loops = [];
    if (this.tasks.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.tasks]),
        new Promise<void>((r) => {
          timer = setTimeout(r, graceMs);
        }),
      ]);
      clearTimeout(timer);
    }
    this.dead = true;
    this.stopHeartbeat();
  }

  /**
   * Claims one batch per queue and delivers them (each queue within its limits); returns how many
   * items were delivered. A webhook whose host is busy waits for a slot here rather than being
   * given back.
   */
  async runOnce(): Promise<number> {
    const counts = await Promise.all(
      this.queues.map(async (q) => {
        const items = await claimOutbox(this.o.db, this.o.now(), this.o.leaseMs, this.o.batch, {
          holder: this.instanceId,
          filter: q.filter,
        });
        let next = 0;
        let delivered = 0;
        const worker = async () => {
          while (next < items.length) {
            const item = items[next++] as OutboxItem;
            if ((await this.process(item, false)) === 'delivered') delivered++;
          }
        };
        await Promise.all(Array.from({ length: Math.min(q.concurrency, items.length) }, worker));
        return delivered;
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  /** One queue: claim as many rows as there are free slots, deliver each in the background. */
  private async loop(q: Queue): Promise<void> {
    while (!this.stopped) {
      const free = Math.min(q.concurrency - q.active, this.o.batch);
      if (free > 0) {
        let items: OutboxItem[] = [];
        try {
          items = await claimOutbox(this.o.db, this.o.now(), this.o.leaseMs, free, {
            holder: this.instanceId,
            filter: q.filter,
          });
        } catch (e) {
          this.o.logger.warn({ err: e, queue: q.name }, 'outbox claim failed');
        }
        for (const item of items) {
          q.active++;
          const task: Promise<void> = this.process(item, true)
            .then(() => undefined)
            .catch((e: unknown) => this.o.logger.warn({ err: e, id: item.id }, 'outbox bookkeeping failed'))
            .finally(() => {
              q.active--;
              this.tasks.delete(task);
              q.wakeup?.();
            });
          this.tasks.add(task);
        }
        if (items.length === free && !this.stopped) continue; // maybe more due: claim again
      }
      if (this.stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          q.wakeup = null;
          resolve();
        }, this.o.intervalMs);
        q.wakeup = () => {
          clearTimeout(timer);
          q.wakeup = null;
          resolve();
        };
      });
    }
  }

  /** Delivers one claimed item and records the outcome; its lease is renewed meanwhile. */
  private async process(item: OutboxItem, deferIfBusy: boolean): Promise<Outcome> {
    this.inflight.add(item.id);
    this.startHeartbeat();
    try {
      await this.deliver(item, deferIfBusy);
      await completeOutbox(this.o.db, item.id, this.o.now());
      return 'delivered';
    } catch (e) {
      if (e instanceof HostBusy) {
        await releaseOutbox(
          this.o.db,
          item.id,
          this.instanceId,
          new Date(this.o.now().getTime() + this.o.deferMs),
        );
        return 'deferred';
      }
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
      return 'failed';
    } finally {
      this.inflight.delete(item.id);
      if (this.inflight.size === 0) this.stopHeartbeat();
    }
  }

  private startHeartbeat(): void {
    if (this.heartbeat || this.dead) return;
    this.heartbeat = setInterval(() => void this.renewLeases(), this.o.heartbeatMs);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  /** The heartbeat: extends the lease of every row this instance is still delivering. */
  async renewLeases(): Promise<number> {
    const ids = [...this.inflight];
    if (ids.length === 0 || this.dead) return 0;
    try {
      const until = new Date(this.o.now().getTime() + this.o.leaseMs);
      const renewed = await renewOutboxLeases(this.o.db, this.instanceId, ids, until);
      if (renewed < ids.length) {
        // Completed meanwhile, or (after a stall longer than the lease) claimed by another instance.
        this.o.logger.info({ renewed, inflight: ids.length }, 'outbox: some leases were not renewed');
      }
      return renewed;
    } catch (e) {
      this.o.logger.warn({ err: e }, 'outbox lease renewal failed');
      return 0;
    }
  }

  /** A slot for one request to `host`; null when none is free and the caller should not wait. */
  private async acquireHost(host: string, deferIfBusy: boolean): Promise<(() => void) | null> {
    let slot = this.hosts.get(host);
    if (!slot) {
      slot = { active: 0, waiters: [] };
      this.hosts.set(host, slot);
    }
    const s = slot;
    const release = () => {
      const next = s.waiters.shift();
      if (next) return next(); // the slot passes to the next waiter
      s.active--;
      if (s.active === 0) this.hosts.delete(host);
    };
    if (s.active < this.o.webhookHostConcurrency) {
      s.active++;
      return release;
    }
    if (deferIfBusy) return null;
    await new Promise<void>((resolve) => s.waiters.push(resolve));
    return release;
  }

  /** POSTs the signed event; a non-2xx answer or a timeout is retried with backoff. */
  private async deliverWebhook(item: OutboxItem, deferIfBusy: boolean): Promise<void> {
    const { webhookId, body } = item.payload as { webhookId: string; body: { id: string; type: string } };
    const hook = await findWebhook(this.o.db, webhookId);
    if (!hook || !hook.active) return; // removed since: nothing to deliver
    const url = new URL(hook.url);
    const release = await this.acquireHost(url.host, deferIfBusy);
    if (!release) throw new HostBusy(url.host);
    try {
      const shown = maskUrlCredentials(hook.url);
      const deadline = Date.now() + this.o.webhookTimeoutMs;
      // Resolve and check now (against DNS rebinding since registration), then connect to the
      // address that was checked: the request never resolves the name a second time.
      const check = await withTimeout(
        checkWebhookTarget(url, this.o.webhookTargets, this.o.resolve),
        this.o.webhookTimeoutMs,
        `webhook ${shown}: resolving ${url.hostname} timed out`,
      );
      if (!check.ok) {
        throw new Error(
          check.reason === 'unresolvable'
            ? `webhook ${shown}: ${check.host} does not resolve`
            : `webhook ${shown} refused: ${check.host} resolves to ${check.address ?? '?'} (${check.range ?? '?'})`,
        );
      }
      const raw = JSON.stringify(body);
      const status = await postPinned(
        url,
        check.addresses[0] as ResolvedAddress,
        raw,
        {
          'content-type': 'application/json',
          'user-agent': 'BreachPact-Webhook/1',
          'breachpact-event': body.type,
          'breachpact-delivery': body.id,
          [SIGNATURE_HEADER]: signWebhook(hook.secret, raw, Math.floor(this.o.now().getTime() / 1000)),
        },
        Math.max(1, deadline - Date.now()),
      );
      if (status < 200 || status >= 300) throw new Error(`webhook ${shown} answered ${status}`);
    } finally {
      release();
    }
  }

  private async deliver(item: OutboxItem, deferIfBusy: boolean): Promise<void> {
    switch (item.kind) {
      case 'mail':
        await this.o.mailer.send(item.payload as MailMessage, outboxMessageId(item.dedupeKey));
        return;
      case 'webhook':
        await this.deliverWebhook(item, deferIfBusy);
        return;
      default:
        throw new Error(`unknown outbox kind ${item.kind}`);
    }
  }
}

/** The Message-ID of an outbox mail: derived from its dedupe key, so every resend carries the same. */
export function outboxMessageId(dedupeKey: string): string {
  return `<${dedupeKey.replace(/[^\w.-]/g, '.')}@breachpact>`;
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * POSTs `body` to `url`, connecting to `address` (already checked) whatever DNS says now; the Host
 * header and TLS name stay the URL's. No redirects are followed; `timeoutMs` overall.
 */
function postPinned(
  url: URL,
  address: ResolvedAddress,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
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
        timeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
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
