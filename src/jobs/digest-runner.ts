import type { AppContext } from '../app/context.js';
import { sendDailyDigests } from '../app/obligations/daily-digest.js';
import { todayIn } from '../domain/shared/time.js';
import type { RunnerLogger } from './outbox-runner.js';

/**
 * The daily digest at 9:00 Japan time (issue 8 item 5): checks every `intervalMs` whether today's
 * pass is due; once a pass ran (at or after 9:00) it waits for the next Japan date. The database
 * guard (per user and date) keeps a second instance or a restart from mailing anyone twice; the
 * mails go through the outbox.
 */
export class DigestRunner {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private doneOn: string | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly logger: RunnerLogger,
    private readonly intervalMs = 60_000,
  ) {}

  /** One check (the timer's; tests call it directly). */
  async runOnce(): Promise<void> {
    if (this.doneOn === todayIn(this.ctx.clock.now()).toString()) return;
    const pass = await sendDailyDigests(this.ctx);
    if (!pass.ran) return;
    this.doneOn = pass.on;
    if (pass.mailed > 0) this.logger.info({ digests: pass.mailed, on: pass.on }, 'daily digests queued');
  }

  start(): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.runOnce()
        .catch((e: unknown) => this.logger.warn({ err: e }, 'daily digest pass failed'))
        .finally(() => {
          this.running = null;
          if (!this.stopped) this.timer = setTimeout(tick, this.intervalMs);
        });
    };
    this.timer = setTimeout(tick, 3_000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
