import { describe, expect, it } from 'vitest';
import { checkDisclosed, initialDisclosureState, mayDisclose } from './disclosure.js';

describe('Art 5 rules', () => {
  it('consent waits; an exception of the 5.1 proviso applies at once', () => {
    expect(initialDisclosureState('consent')).toBe('pending_consent');
    for (const b of ['law', 'court_order', 'authority_request'] as const) {
      expect(initialDisclosureState(b)).toBe('excepted');
    }
  });

  it('only consented or excepted disclosures may go out', () => {
    expect(mayDisclose('consented')).toBe(true);
    expect(mayDisclose('excepted')).toBe(true);
    expect(mayDisclose('pending_consent')).toBe(false);
    expect(mayDisclose('refused')).toBe(false);
  });

  it('a consent-path disclosure cannot predate the consent', () => {
    const d = {
      state: 'consented' as const,
      decidedAt: '2026-11-28T01:00:00Z',
      counterpartyNotifiedAt: null,
    };
    expect(checkDisclosed(d, '2026-11-28T00:59:59Z')).toEqual({ ok: false, reason: 'before_consent' });
    expect(checkDisclosed(d, '2026-11-28T01:00:00Z')).toEqual({ ok: true, priorNotice: true });
    expect(
      checkDisclosed({ ...d, state: 'pending_consent', decidedAt: null }, '2026-11-28T02:00:00Z'),
    ).toEqual({
      ok: false,
      reason: 'no_consent',
    });
    expect(checkDisclosed({ ...d, state: 'refused' }, '2026-11-28T02:00:00Z').ok).toBe(false);
  });

  it('an exception disclosed before the counterparty was told has no prior notice (Art 5.2)', () => {
    const d = { state: 'excepted' as const, decidedAt: null, counterpartyNotifiedAt: '2026-11-28T01:00:00Z' };
    expect(checkDisclosed(d, '2026-11-28T00:30:00Z')).toEqual({ ok: true, priorNotice: false });
    expect(checkDisclosed(d, '2026-11-28T01:00:00Z')).toEqual({ ok: true, priorNotice: true });
  });
});
