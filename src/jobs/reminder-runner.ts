import type { AppContext } from '../app/context.js';
import { sendDueReminders } from '../app/incidents/reminders.js';
import type { RunnerLogger } from './outbox-runner.js';

/**
 * Sweeps obligation clocks every `intervalMs`: the due reminders (50 %, 90 %, breach) are queued
 * in the outbox, which the outbox runner delivers. Missed runs catch up; sends are idempotent.
 */
export class ReminderRunner {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly logger: RunnerLogger,
    private readonly intervalMs = 15_000,
  ) {}

  start(): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.running = sendDueReminders(this.ctx, this.ctx.clock.now())
        .then((n) => {
          if (n > 0) this.logger.info({ reminders: n }, 'obligation reminders queued');
        })
        .catch((e: unknown) => this.logger.warn({ err: e }, 'reminder sweep failed'))
        .finally(() => {
          this.running = null;
          if (!this.stopped) this.timer = setTimeout(tick, this.intervalMs);
        });
    };
    this.timer = setTimeout(tick, 1_000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
