import { issueReceipts, runFullVerification } from '../app/audit/anchors.js';
import { timestampHeads } from '../app/audit/timestamps.js';
import type { AppContext } from '../app/context.js';
import { todayIn } from '../domain/shared/time.js';
import { findLastVerificationRun } from '../persistence/repositories/audit.js';
import type { RunnerLogger } from './outbox-runner.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The audit chains' anchors over time (issue 7, findings 4b, 4c and 9): every `intervalMs`, receipts
 * of the chains that took a shared incident event (webhook `audit.receipt` to both parties) and,
 * with AUDIT_TSA_URL, an RFC 3161 time-stamp of each signed head that has none yet;
 * once a day (Japan date), a receipt of every agreement chain; and a full verification of every
 * chain when the last one finished more than `fullEveryMs` ago (recorded, so a restart or a
 * second instance does not repeat it). Receipts are deduplicated in the database.
 */
export class AuditRunner {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private dailyDoneOn: string | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly logger: RunnerLogger,
    private readonly options: {
      intervalMs?: number;
      fullEveryMs?: number;
      /** Per TSA request (AUDIT_TSA_URL), 10 s by default. */
      tsaTimeoutMs?: number;
    } = {},
  ) {}

  /** One pass (the timer's; tests call it directly). */
  async runOnce(): Promise<void> {
    const events = await issueReceipts(this.ctx, 'event');
    if (events > 0) this.logger.info({ receipts: events }, 'audit receipts issued');
    const today = todayIn(this.ctx.clock.now()).toString();
    if (this.dailyDoneOn !== today) {
      const daily = await issueReceipts(this.ctx, 'daily');
      this.dailyDoneOn = today;
      if (daily > 0) this.logger.info({ receipts: daily }, 'daily audit receipts issued');
    }
    if (this.ctx.config.auditTsaUrl) {
      // Finding 4c: every signed head without a time-stamp yet; a failure is retried next round.
      const ts = await timestampHeads(
        this.ctx,
        this.logger,
        this.options.tsaTimeoutMs ? { timeoutMs: this.options.tsaTimeoutMs } : {},
      );
      if (ts.stamped > 0) this.logger.info({ timestamps: ts.stamped }, 'audit chain heads time-stamped');
    }
    const last = await findLastVerificationRun(this.ctx.db);
    const now = this.ctx.clock.now().epochMilliseconds;
    if (!last || now - Date.parse(last.finishedAt) >= (this.options.fullEveryMs ?? DAY_MS)) {
      const { run } = await runFullVerification(this.ctx, 'scheduled');
      if (run.ok) this.logger.info({ checked: run.checked, chains: run.chains }, 'audit chains verified');
      else
        this.logger.warn(
          { breaks: run.breaks.slice(0, 10) },
          'AUDIT CHAIN BROKEN: a full verification found tampering',
        );
    }
  }

  start(): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.runOnce()
        .catch((e: unknown) => this.logger.warn({ err: e }, 'audit anchor run failed'))
        .finally(() => {
          this.running = null;
          if (!this.stopped) this.timer = setTimeout(tick, this.options.intervalMs ?? 15_000);
        });
    };
    this.timer = setTimeout(tick, 2_000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
