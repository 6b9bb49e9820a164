import { useEffect, useState } from 'react';
import type { Obligation } from '../api/incidentTypes';

/** The current time, re-rendering every `intervalMs` so clocks count down on screen. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/**
 * How far the server's clock is ahead of this device's, from an obligation's `secondsLeft` and the
 * moment the response arrived: a device whose clock is wrong still shows the server's time left.
 */
export function serverSkewMs(obligations: readonly Obligation[], receivedAtMs: number): number {
  const o = obligations[0];
  if (!o || !receivedAtMs) return 0;
  const serverNow = Date.parse(o.dueAt) - o.secondsLeft * 1000;
  const skew = serverNow - receivedAtMs;
  // A response is at most a few seconds old when it arrives; ignore sub-second noise.
  return Math.abs(skew) < 2_000 ? 0 : skew;
}

export type ClockStatus =
  | { kind: 'left'; ms: number; urgent: boolean }
  | { kind: 'overdue'; ms: number }
  | { kind: 'met'; at: string }
  | { kind: 'met_late'; at: string; lateMs: number }
  | { kind: 'waived'; reason: string; at: string; byDismissal: boolean };

/** The state of one obligation's clock at `nowMs` (server time). */
export function clockStatus(o: Obligation, nowMs: number): ClockStatus {
  const due = Date.parse(o.dueAt);
  switch (o.state) {
    case 'met':
      return { kind: 'met', at: o.metAt ?? o.dueAt };
    case 'met_late':
      return { kind: 'met_late', at: o.metAt ?? o.dueAt, lateMs: Date.parse(o.metAt ?? o.dueAt) - due };
    case 'waived':
      return {
        kind: 'waived',
        reason: o.waived?.reason ?? '',
        at: o.waived?.at ?? o.dueAt,
        byDismissal: o.waived?.reason === 'incident_dismissed',
      };
    case 'open':
    case 'breached': {
      const left = due - nowMs;
      if (left < 0) return { kind: 'overdue', ms: -left };
      const span = Math.max(1, due - Date.parse(o.startsAt));
      return { kind: 'left', ms: left, urgent: left <= span * 0.25 };
    }
  }
}

/** Unmet first, then by due time: what needs doing comes first. */
export function byUrgency(a: Obligation, b: Obligation): number {
  const unmet = (o: Obligation) => (o.state === 'open' || o.state === 'breached' ? 0 : 1);
  return unmet(a) - unmet(b) || Date.parse(a.dueAt) - Date.parse(b.dueAt);
}
