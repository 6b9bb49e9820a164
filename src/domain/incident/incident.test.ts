import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors.js';
import {
  diffNoticeItems,
  noticeLabel,
  NOTICE_ITEMS,
  NOTICE_ITEM_LABELS,
  pendingItems,
  type NoticeItems,
} from './notice.js';
import {
  acceptsRecords,
  allowedTransitions,
  checkTransition,
  INCIDENT_STATES,
  INCIDENT_STATE_LABELS,
  initialState,
  isTerminal,
  unsettledAtClosing,
  type IncidentState,
} from './state.js';

/** The life cycle as the design states it (§2): the oracle the table is checked against. */
const ALLOWED: Record<IncidentState, IncidentState[]> = {
  suspected: ['confirmed', 'dismissed'],
  confirmed: ['contained', 'dismissed'],
  contained: ['recovering'],
  recovering: ['closed'],
  closed: [],
  dismissed: [],
};

function errorOf(fn: () => void): AppError | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
}

describe('incident state machine', () => {
  for (const from of INCIDENT_STATES) {
    for (const to of INCIDENT_STATES) {
      const allowed = ALLOWED[from].includes(to);
      it(`第3条 (Art 3): ${from} → ${to} is ${allowed ? 'allowed' : 'refused (409 INCIDENT_TRANSITION_INVALID)'}`, () => {
        const reason = to === 'dismissed' ? '誤検知（ログの誤判定）' : null;
        const err = errorOf(() => checkTransition(from, to, reason));
        if (allowed) {
          expect(err).toBeNull();
          expect(allowedTransitions(from)).toContain(to);
        } else {
          expect(err?.code).toBe('INCIDENT_TRANSITION_INVALID');
          expect(err?.status).toBe(409);
          expect(err?.extras).toMatchObject({ from, to, allowed: ALLOWED[from] });
          expect(err?.userMessage.ja ?? '').toContain(INCIDENT_STATE_LABELS[from].ja);
          expect(allowedTransitions(from)).not.toContain(to);
        }
      });
    }
  }

  it('第3条 (Art 3): allowedTransitions lists exactly the design’s transitions', () => {
    for (const s of INCIDENT_STATES)
      expect([...allowedTransitions(s)].sort()).toEqual([...ALLOWED[s]].sort());
  });

  it('第3条 (Art 3): dismissal needs a reason (missing, empty or blank → 400 VALIDATION_FAILED)', () => {
    for (const from of ['suspected', 'confirmed'] as const) {
      for (const reason of [null, '', '   ', '\n\t']) {
        const err = errorOf(() => checkTransition(from, 'dismissed', reason));
        expect(err?.code, JSON.stringify(reason)).toBe('VALIDATION_FAILED');
        expect(err?.status).toBe(400);
        expect(err?.extras).toMatchObject({ errors: [{ path: 'reason' }] });
      }
      expect(errorOf(() => checkTransition(from, 'dismissed', '誤検知'))).toBeNull();
    }
  });

  it('第3条 (Art 3): a refused dismissal (from contained) answers the transition error, not the reason error', () => {
    expect(errorOf(() => checkTransition('contained', 'dismissed', null))?.code).toBe(
      'INCIDENT_TRANSITION_INVALID',
    );
  });

  it('第3条 (Art 3): other transitions ignore a reason', () => {
    expect(errorOf(() => checkTransition('suspected', 'confirmed', null))).toBeNull();
    expect(errorOf(() => checkTransition('suspected', 'confirmed', 'whatever'))).toBeNull();
  });

  it('第3条第1項 (Art 3.1): a suspicion (発生のおそれ) opens as suspected, a confirmed report as confirmed', () => {
    expect(initialState(true)).toBe('suspected');
    expect(initialState(false)).toBe('confirmed');
  });

  it('第3条 (Art 3): closed and dismissed are terminal and accept no notices; the rest accept notices', () => {
    for (const s of INCIDENT_STATES) {
      const terminal = s === 'closed' || s === 'dismissed';
      expect(isTerminal(s), s).toBe(terminal);
      expect(acceptsRecords(s), s).toBe(!terminal);
    }
  });

  it('第3条 (Art 3): every path from an initial state ends in closed or dismissed within five steps', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(fc.nat(), { minLength: 6, maxLength: 6 }), (suspected, picks) => {
        let s = initialState(suspected);
        let steps = 0;
        for (const p of picks) {
          const next = allowedTransitions(s);
          if (next.length === 0) break;
          s = next[p % next.length] as IncidentState;
          steps++;
        }
        expect(isTerminal(s)).toBe(true);
        expect(steps).toBeLessThanOrEqual(4);
      }),
    );
  });
});

describe('closing (終結) and the duties still open (Art 3.1-3.3)', () => {
  const o = (clause: string, state: 'open' | 'met' | 'met_late' | 'breached' | 'waived') => ({
    id: `obl_${clause}`,
    clause,
    state,
  });

  it('names the open and breached duties; met, met late and waived ones are settled', () => {
    expect(unsettledAtClosing([])).toEqual([]);
    expect(unsettledAtClosing([o('3.1', 'met_late'), o('3.3', 'met'), o('3.2(6)', 'waived')])).toEqual([]);
    expect(
      unsettledAtClosing([o('3.1', 'breached'), o('3.3', 'met'), o('3.2(6)', 'open')]).map((x) => x.clause),
    ).toEqual(['3.1', '3.2(6)']);
  });
});

const ITEMS: NoticeItems = {
  occurredOn: '2026-11-27',
  summary: '再委託先の作業端末がマルウェアに感染',
  informationScope: null,
  expectedImpact: null,
  measures: '当該端末をネットワークから遮断',
  otherMatters: '続報は24時間以内',
};

describe('notices (第3条第2項 Art 3.2)', () => {
  it('第3条第2項 (Art 3.2): six items, (1)-(6), in the memorandum’s order', () => {
    expect(NOTICE_ITEMS).toEqual([
      'occurredOn',
      'summary',
      'informationScope',
      'expectedImpact',
      'measures',
      'otherMatters',
    ]);
    expect(NOTICE_ITEMS.map((k) => NOTICE_ITEM_LABELS[k].article)).toEqual([
      '3.2(1)',
      '3.2(2)',
      '3.2(3)',
      '3.2(4)',
      '3.2(5)',
      '3.2(6)',
    ]);
  });

  it('第3条第2項 (Art 3.2): labels 第一報, 続報（第2報）, 続報（第3報）', () => {
    expect(noticeLabel(1)).toEqual({ ja: '第一報', en: 'First notice' });
    expect(noticeLabel(2)).toEqual({ ja: '続報（第2報）', en: 'Follow-up notice #2' });
    expect(noticeLabel(3).ja).toBe('続報（第3報）');
    expect(noticeLabel(12).ja).toBe('続報（第12報）');
  });

  it('第3条第2項 (Art 3.2): pendingItems lists the items still 調査中 (null), in order', () => {
    expect(pendingItems(ITEMS)).toEqual(['informationScope', 'expectedImpact']);
    const none = Object.fromEntries(NOTICE_ITEMS.map((k) => [k, 'x'])) as NoticeItems;
    expect(pendingItems(none)).toEqual([]);
    const all = Object.fromEntries(NOTICE_ITEMS.map((k) => [k, null])) as NoticeItems;
    expect(pendingItems(all)).toEqual([...NOTICE_ITEMS]);
    // An empty string is an answer, not 調査中.
    expect(pendingItems({ ...none, summary: '' })).toEqual([]);
  });

  it('第3条第2項 (Art 3.2): a 続報 diff: 調査中 → known is added, known → other is changed, known → 調査中 is withdrawn', () => {
    const next: NoticeItems = {
      ...ITEMS,
      informationScope: '顧客氏名・電話番号 約1,200件', // added
      measures: '全端末のパスワード変更を実施', // changed
      otherMatters: null, // withdrawn
    };
    const diff = diffNoticeItems(ITEMS, next);
    expect(diff.map((d) => d.item)).toEqual([...NOTICE_ITEMS]);
    expect(Object.fromEntries(diff.map((d) => [d.item, d.change]))).toEqual({
      occurredOn: 'unchanged',
      summary: 'unchanged',
      informationScope: 'added',
      expectedImpact: 'unchanged',
      measures: 'changed',
      otherMatters: 'withdrawn',
    });
    expect(diff.find((d) => d.item === 'measures')).toEqual({
      item: 'measures',
      change: 'changed',
      before: '当該端末をネットワークから遮断',
      after: '全端末のパスワード変更を実施',
    });
    expect(diff.find((d) => d.item === 'otherMatters')).toMatchObject({
      before: '続報は24時間以内',
      after: null,
    });
    // 調査中 both times is unchanged.
    expect(diff.find((d) => d.item === 'expectedImpact')).toMatchObject({ before: null, after: null });
  });

  it('第3条第2項 (Art 3.2): against no previous notice every known item is added', () => {
    const diff = diffNoticeItems(null, ITEMS);
    expect(diff.filter((d) => d.change === 'added').map((d) => d.item)).toEqual([
      'occurredOn',
      'summary',
      'measures',
      'otherMatters',
    ]);
    expect(diff.filter((d) => d.change === 'unchanged').map((d) => d.item)).toEqual(pendingItems(ITEMS));
  });

  const item = fc.option(fc.string({ maxLength: 6 }), { nil: null });
  const arbItems = fc.record(
    Object.fromEntries(NOTICE_ITEMS.map((k) => [k, item])) as Record<
      (typeof NOTICE_ITEMS)[number],
      typeof item
    >,
  ) as fc.Arbitrary<NoticeItems>;

  it('第3条第2項 (Art 3.2): property — a diff against itself is all unchanged; the change kind follows before/after', () => {
    fc.assert(
      fc.property(arbItems, arbItems, (a, b) => {
        expect(diffNoticeItems(a, a).every((d) => d.change === 'unchanged')).toBe(true);
        for (const d of diffNoticeItems(a, b)) {
          expect(d.before).toBe(a[d.item]);
          expect(d.after).toBe(b[d.item]);
          const expected =
            a[d.item] === b[d.item]
              ? 'unchanged'
              : a[d.item] === null
                ? 'added'
                : b[d.item] === null
                  ? 'withdrawn'
                  : 'changed';
          expect(d.change).toBe(expected);
        }
        // pendingItems is exactly the null items.
        expect(pendingItems(b)).toEqual(NOTICE_ITEMS.filter((k) => b[k] === null));
      }),
    );
  });
});
