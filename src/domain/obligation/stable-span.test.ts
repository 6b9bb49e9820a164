import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveObligations, stableSpan, type ObligationInputs } from './engine.js';

const H = 3_600_000;
const T0 = Date.parse('2026-11-27T14:40:00.000Z');
const INC = 'inc_0123456789abcdefghjkmnpqrs';
const AGR = 'agr_0123456789abcdefghjkmnpqrs';

/** An incident with a first notice, containment and two requests for further items, all optional. */
function inputs(o: {
  noticeAtH: number | null;
  containmentAtH: number | null;
  requests: Array<{ atH: number; dueH: number; answeredH: number | null }>;
  dismissedAtH: number | null;
  /** The counterparty's own containment decision (Art 3.3 binds it from the first notice). */
  counterContainmentAtH?: number;
}): ObligationInputs {
  return {
    agreement: {
      id: AGR,
      parameters: {
        noticeTargetHours: 24,
        containmentTargetHours: 48,
        itemRequestMinHours: 24,
        survivingArticles: [5, 8, 9],
      },
      effectiveFromMs: null,
      endsAtMs: null,
    },
    incident: {
      id: INC,
      reportingParty: 'B',
      discoveredAtMs: T0,
      dismissedAtMs: o.dismissedAtH === null ? null : T0 + o.dismissedAtH * H,
    },
    notices:
      o.noticeAtH === null
        ? []
        : [{ id: 'ntc_0123456789abcdefghjkmnpqrs', fromParty: 'B', sentAtMs: T0 + o.noticeAtH * H }],
    itemRequests: o.requests.map((r, i) => ({
      id: `irq_0123456789abcdefghjkmnpqr${i}`,
      requestedAtMs: T0 + r.atH * H,
      dueAtMs: T0 + r.dueH * H,
      answeredAtMs: r.answeredH === null ? null : T0 + r.answeredH * H,
    })),
    containment: [
      ...(o.containmentAtH === null
        ? []
        : [
            {
              id: 'cta_0123456789abcdefghjkmnpqrs',
              byParty: 'B' as const,
              recordedAtMs: T0 + o.containmentAtH * H,
              takenAtMs: T0 + o.containmentAtH * H,
            },
          ]),
      ...(o.counterContainmentAtH === undefined
        ? []
        : [
            {
              id: 'cta_0123456789abcdefghjkmnpqr1',
              byParty: 'A' as const,
              recordedAtMs: T0 + o.counterContainmentAtH * H,
              takenAtMs: T0 + o.counterContainmentAtH * H,
            },
          ]),
    ],
    waivers: [],
  };
}

const hour = fc.integer({ min: 0, max: 200 });
const arbInputs = fc
  .record({
    noticeAtH: fc.option(hour),
    containmentAtH: fc.option(hour),
    requests: fc.array(
      fc.record({ atH: hour, extra: fc.integer({ min: 24, max: 96 }), answeredH: fc.option(hour) }),
      { maxLength: 2 },
    ),
    dismissedAtH: fc.option(hour),
  })
  .map((r) =>
    inputs({
      ...r,
      requests: r.requests.map((q) => ({ atH: q.atH, dueH: q.atH + q.extra, answeredH: q.answeredH })),
    }),
  );

describe('stableSpan: when a derivation may be reused', () => {
  it('gives the same obligations for every now inside the span, and a different one just outside it', () => {
    fc.assert(
      fc.property(
        arbInputs,
        fc.integer({ min: -10, max: 400 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (input, nowH, f) => {
          const nowMs = T0 + nowH * H;
          const derived = deriveObligations(input, nowMs);
          const { afterMs, untilMs } = stableSpan(derived);
          expect(afterMs < nowMs && nowMs <= untilMs).toBe(true);
          // A point inside the span (bounded spans only; an open end is tried 1000 hours away).
          const lo = Number.isFinite(afterMs) ? afterMs + 1 : nowMs - 1000 * H;
          const hi = Number.isFinite(untilMs) ? untilMs : nowMs + 1000 * H;
          const inside = Math.round(lo + (hi - lo) * f);
          expect(deriveObligations(input, inside)).toEqual(derived);
          expect(deriveObligations(input, lo)).toEqual(derived);
          expect(deriveObligations(input, hi)).toEqual(derived);
          // Just outside: an open duty turns breached, or a breached one was still open.
          if (Number.isFinite(untilMs)) expect(deriveObligations(input, untilMs + 1)).not.toEqual(derived);
          if (Number.isFinite(afterMs)) expect(deriveObligations(input, afterMs)).not.toEqual(derived);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is unbounded when every duty is settled (met, met late, waived)', () => {
    const settled = deriveObligations(
      inputs({
        noticeAtH: 1,
        containmentAtH: 60,
        requests: [],
        dismissedAtH: null,
        counterContainmentAtH: 5,
      }),
      T0 + 500 * H,
    );
    expect(settled.map((o) => o.state).sort()).toEqual(['met', 'met', 'met_late']);
    expect(stableSpan(settled)).toEqual({ afterMs: -Infinity, untilMs: Infinity });
  });

  it('ends at the soonest open due instant (inclusive) and starts after the latest breached one', () => {
    // Art 3.1 due T0+24h (breached at T0+30h), Art 3.3 due T0+48h (open at T0+30h).
    const at30 = deriveObligations(
      inputs({ noticeAtH: null, containmentAtH: null, requests: [], dismissedAtH: null }),
      T0 + 30 * H,
    );
    const span = stableSpan(at30);
    expect(span.afterMs).toBe(T0 + 24 * H);
    expect(span.untilMs).toBe(T0 + 48 * H);
  });
});
