import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLAUSES } from './clauses/index.js';
import {
  clauseEntry,
  deriveObligations,
  firstReminder,
  nextReminder,
  obligationId,
  reminderTimes,
  REMINDER_STAGES,
  sortBySoonest,
  type Obligation,
  type ObligationInputs,
  type ObligationState,
  type PartyCode,
  type ReminderStage,
} from './engine.js';

const H = 3_600_000;
const T0 = Date.parse('2026-11-27T14:40:00.000Z'); // discovered (23:40 Tokyo)
const INC = 'inc_0123456789abcdefghjkmnpqrs';
const AGR = 'agr_0123456789abcdefghjkmnpqrs';

function agr(
  noticeTargetHours: number,
  containmentTargetHours: number,
  over: Partial<Omit<ObligationInputs['agreement'], 'id' | 'parameters'>> = {},
): ObligationInputs['agreement'] {
  return {
    id: AGR,
    parameters: {
      noticeTargetHours,
      containmentTargetHours,
      itemRequestMinHours: 24,
      survivingArticles: [5, 8, 9],
    },
    effectiveFromMs: null,
    endsAtMs: null,
    ...over,
  };
}

function inputs(
  over: Partial<Omit<ObligationInputs, 'incident'>> & {
    incident?: Partial<ObligationInputs['incident']>;
  } = {},
): ObligationInputs {
  const { incident, ...rest } = over;
  return {
    agreement: agr(24, 48),
    notices: [],
    itemRequests: [],
    containment: [],
    waivers: [],
    ...rest,
    incident: { id: INC, reportingParty: 'B', discoveredAtMs: T0, dismissedAtMs: null, ...incident },
  };
}

/** The clause's duty of the reporting party (Art 3.3 also binds the counterparty: see its tests). */
const byClause = (list: Obligation[], clause: Obligation['clause']) => {
  const found = list.filter((o) => o.clause === clause && (clause !== '3.3' || o.sourceType === 'incident'));
  expect(found, `obligations of clause ${clause}`).toHaveLength(1);
  return found[0] as Obligation;
};

describe('第3条第1項 (Art 3.1): notify the counterparty within the notice target', () => {
  it('第3条第1項 (Art 3.1): due = discoveredAt + noticeTargetHours, owed by the reporting party to the other', () => {
    for (const [party, other] of [
      ['A', 'B'],
      ['B', 'A'],
    ] as const) {
      for (const hours of [1, 24, 72]) {
        const o = byClause(
          deriveObligations(
            inputs({
              agreement: agr(hours, 5),
              incident: { reportingParty: party },
            }),
            T0,
          ),
          '3.1',
        );
        expect(o).toMatchObject({
          owedBy: party,
          owedTo: other,
          startsAtMs: T0,
          dueAtMs: T0 + hours * H,
          incidentId: INC,
          agreementId: AGR,
          sourceId: INC,
          state: 'open',
          metBy: null,
          waiver: null,
        });
      }
    }
  });

  it('第3条第1項 (Art 3.1): open until the due instant (inclusive), breached one millisecond after', () => {
    const due = T0 + 24 * H;
    const at = (now: number) => byClause(deriveObligations(inputs(), now), '3.1').state;
    expect(at(T0)).toBe('open');
    expect(at(due - 1)).toBe('open');
    expect(at(due)).toBe('open');
    expect(at(due + 1)).toBe('breached');
    expect(at(due + 100 * H)).toBe('breached');
  });

  it('第3条第1項 (Art 3.1): a notice sent by the due instant meets it; one after is met_late', () => {
    const due = T0 + 24 * H;
    const state = (sentAtMs: number) =>
      byClause(
        deriveObligations(inputs({ notices: [{ id: 'ntc_x', fromParty: 'B', sentAtMs }] }), due + 50 * H),
        '3.1',
      );
    expect(state(T0 + H)).toMatchObject({
      state: 'met',
      metBy: { type: 'notice', id: 'ntc_x', atMs: T0 + H },
    });
    expect(state(due).state).toBe('met');
    expect(state(due + 1)).toMatchObject({ state: 'met_late', metBy: { atMs: due + 1 } });
  });

  it('第3条第1項 (Art 3.1): the first notice (earliest sentAt) meets it, whatever the order given', () => {
    const due = T0 + 24 * H;
    const notices: ObligationInputs['notices'] = [
      { id: 'ntc_late', fromParty: 'B', sentAtMs: due + 5 * H },
      { id: 'ntc_first', fromParty: 'B', sentAtMs: T0 + 3 * H },
      { id: 'ntc_second', fromParty: 'B', sentAtMs: T0 + 10 * H },
    ];
    for (const order of [notices, [...notices].reverse(), [notices[1], notices[0], notices[2]]]) {
      const o = byClause(
        deriveObligations(inputs({ notices: order as typeof notices }), due + 10 * H),
        '3.1',
      );
      expect(o.state).toBe('met');
      expect(o.metBy).toEqual({ type: 'notice', id: 'ntc_first', atMs: T0 + 3 * H, takenAtMs: null });
    }
  });

  it('第3条第1項 (Art 3.1): a late first notice stays met_late even when a follow-up is also late', () => {
    const due = T0 + 24 * H;
    const o = byClause(
      deriveObligations(
        inputs({
          notices: [
            { id: 'ntc_2', fromParty: 'B', sentAtMs: due + 9 * H },
            { id: 'ntc_1', fromParty: 'B', sentAtMs: due + 2 * H },
          ],
        }),
        due + 10 * H,
      ),
      '3.1',
    );
    expect(o).toMatchObject({ state: 'met_late', metBy: { id: 'ntc_1' } });
  });
});

describe('第3条第3項 (Art 3.3): containment measures', () => {
  it('第3条第3項 (Art 3.3): due = discoveredAt + containmentTargetHours', () => {
    const o = byClause(deriveObligations(inputs(), T0), '3.3');
    expect(o).toMatchObject({
      owedBy: 'B',
      owedTo: 'A',
      startsAtMs: T0,
      dueAtMs: T0 + 48 * H,
      state: 'open',
    });
  });

  it('第3条第3項 (Art 3.3): met only by the reporting party’s containment, not the counterparty’s', () => {
    const now = T0 + 100 * H;
    const counterOnly = byClause(
      deriveObligations(
        inputs({ containment: [{ id: 'cta_a', byParty: 'A', recordedAtMs: T0 + H, takenAtMs: T0 + H }] }),
        now,
      ),
      '3.3',
    );
    expect(counterOnly).toMatchObject({ state: 'breached', metBy: null });

    const both = byClause(
      deriveObligations(
        inputs({
          containment: [
            { id: 'cta_a', byParty: 'A', recordedAtMs: T0 + H, takenAtMs: T0 + H },
            { id: 'cta_b2', byParty: 'B', recordedAtMs: T0 + 30 * H, takenAtMs: T0 + 30 * H },
            { id: 'cta_b1', byParty: 'B', recordedAtMs: T0 + 20 * H, takenAtMs: T0 + 20 * H },
          ],
        }),
        now,
      ),
      '3.3',
    );
    expect(both).toMatchObject({
      state: 'met',
      metBy: { type: 'containment', id: 'cta_b1', atMs: T0 + 20 * H },
    });

    const late = byClause(
      deriveObligations(
        inputs({
          containment: [
            { id: 'cta_b', byParty: 'B', recordedAtMs: T0 + 48 * H + 1, takenAtMs: T0 + 48 * H + 1 },
          ],
        }),
        now,
      ),
      '3.3',
    );
    expect(late.state).toBe('met_late');
  });

  it('第3条第3項 (Art 3.3): a notice does not meet containment, and containment does not meet the notice', () => {
    const list = deriveObligations(
      inputs({
        notices: [{ id: 'ntc_1', fromParty: 'B', sentAtMs: T0 + H }],
        containment: [],
      }),
      T0 + 2 * H,
    );
    expect(byClause(list, '3.1').state).toBe('met');
    expect(byClause(list, '3.3').state).toBe('open');
    const list2 = deriveObligations(
      inputs({ containment: [{ id: 'cta_b', byParty: 'B', recordedAtMs: T0 + H, takenAtMs: T0 + H }] }),
      T0 + 2 * H,
    );
    expect(byClause(list2, '3.1').state).toBe('open');
    expect(byClause(list2, '3.3').state).toBe('met');
  });
});

describe('第3条第2項第6号 (Art 3.2(6)): answer the further items asked for', () => {
  it('第3条第2項第6号 (Art 3.2(6)): one obligation per request, each with its own start and due', () => {
    const list = deriveObligations(
      inputs({
        itemRequests: [
          { id: 'irq_one', requestedAtMs: T0 + 2 * H, dueAtMs: T0 + 10 * H, answeredAtMs: T0 + 5 * H },
          { id: 'irq_two', requestedAtMs: T0 + 3 * H, dueAtMs: T0 + 6 * H, answeredAtMs: T0 + 7 * H },
          { id: 'irq_three', requestedAtMs: T0 + 4 * H, dueAtMs: T0 + 8 * H, answeredAtMs: null },
          { id: 'irq_four', requestedAtMs: T0 + 4 * H, dueAtMs: T0 + 30 * H, answeredAtMs: null },
        ],
      }),
      T0 + 9 * H,
    );
    const req = list.filter((o) => o.clause === '3.2(6)');
    expect(req).toHaveLength(4);
    const get = (src: string) => req.find((o) => o.sourceId === src) as Obligation;
    expect(get('irq_one')).toMatchObject({
      id: obligationId(INC, '3.2(6)', 'irq_one', 'B'),
      owedBy: 'B',
      owedTo: 'A',
      startsAtMs: T0 + 2 * H,
      dueAtMs: T0 + 10 * H,
      state: 'met',
      metBy: { type: 'item_request', id: 'irq_one', atMs: T0 + 5 * H },
    });
    expect(get('irq_two').state).toBe('met_late');
    expect(get('irq_three').state).toBe('breached');
    expect(get('irq_four').state).toBe('open');
    expect(new Set(req.map((o) => o.id)).size).toBe(4);
  });

  it('第3条第2項第6号 (Art 3.2(6)): no request, no obligation', () => {
    expect(deriveObligations(inputs(), T0).map((o) => o.clause)).toEqual(['3.1', '3.3']);
  });
});

describe('waivers and dismissal', () => {
  it('第3条 (Art 3): a waiver turns an open or breached duty into waived, with who, why and when', () => {
    const id31 = obligationId(INC, '3.1', INC, 'B');
    const w = { obligationId: id31, byUserId: 'usr_a', reason: '甲が直接把握済み', atMs: T0 + 30 * H };
    const list = deriveObligations(inputs({ waivers: [w] }), T0 + 40 * H);
    expect(byClause(list, '3.1')).toMatchObject({
      state: 'waived',
      waiver: { byUserId: 'usr_a', reason: '甲が直接把握済み', atMs: T0 + 30 * H },
    });
    // The waiver is for 3.1 only.
    expect(byClause(list, '3.3').state).toBe('open');
  });

  it('第3条 (Art 3): a duty already met stays met even if a waiver exists', () => {
    const id31 = obligationId(INC, '3.1', INC, 'B');
    const list = deriveObligations(
      inputs({
        notices: [{ id: 'ntc_1', fromParty: 'B', sentAtMs: T0 + H }],
        waivers: [{ obligationId: id31, byUserId: 'usr_a', reason: 'x', atMs: T0 + 2 * H }],
      }),
      T0 + 3 * H,
    );
    expect(byClause(list, '3.1')).toMatchObject({ state: 'met', waiver: null });
  });

  it('第3条第2項第6号 (Art 3.2(6)): a waiver of one request leaves the others', () => {
    const reqs = [
      { id: 'irq_a', requestedAtMs: T0, dueAtMs: T0 + H, answeredAtMs: null },
      { id: 'irq_b', requestedAtMs: T0, dueAtMs: T0 + H, answeredAtMs: null },
    ];
    const list = deriveObligations(
      inputs({
        itemRequests: reqs,
        waivers: [
          { obligationId: obligationId(INC, '3.2(6)', 'irq_a', 'B'), byUserId: null, reason: 'r', atMs: T0 },
        ],
      }),
      T0 + 2 * H,
    );
    const st = Object.fromEntries(
      list.filter((o) => o.clause === '3.2(6)').map((o) => [o.sourceId, o.state]),
    );
    expect(st).toEqual({ irq_a: 'waived', irq_b: 'breached' });
  });

  it('第3条 (Art 3): a dismissed incident lapses 3.3 and requests not yet due at dismissal, keeps breached what was past due', () => {
    // Art 3.1 due at T0+24h; Art 3.3 due at T0+48h. Dismissed at T0+30h: 3.1 was already past due.
    const dismissedAtMs = T0 + 30 * H;
    const list = deriveObligations(inputs({ incident: { dismissedAtMs } }), T0 + 100 * H);
    expect(byClause(list, '3.1')).toMatchObject({ state: 'breached', waiver: null });
    expect(byClause(list, '3.3')).toMatchObject({
      state: 'waived',
      waiver: { byUserId: null, reason: 'incident_dismissed', atMs: dismissedAtMs },
    });
  });

  it('第3条 (Art 3): dismissal before every due lapses the unmet 3.3 and 3.2(6) duties, but not a met one', () => {
    const list = deriveObligations(
      inputs({
        incident: { dismissedAtMs: T0 + 2 * H },
        notices: [{ id: 'ntc_1', fromParty: 'B', sentAtMs: T0 + H }],
        itemRequests: [{ id: 'irq_1', requestedAtMs: T0 + H, dueAtMs: T0 + 5 * H, answeredAtMs: null }],
      }),
      T0 + 200 * H,
    );
    expect(byClause(list, '3.1').state).toBe('met');
    expect(byClause(list, '3.3').state).toBe('waived');
    expect(byClause(list, '3.2(6)').state).toBe('waived');
  });

  it('第3条 (Art 3): dismissal exactly at the due instant (not yet past due) lapses the duty', () => {
    const due = T0 + 48 * H; // Art 3.3
    const list = deriveObligations(inputs({ incident: { dismissedAtMs: due } }), due + 10 * H);
    expect(byClause(list, '3.3').state).toBe('waived');
    const list2 = deriveObligations(inputs({ incident: { dismissedAtMs: due + 1 } }), due + 10 * H);
    expect(byClause(list2, '3.3').state).toBe('breached');
  });

  it('第3条第1項 (Art 3.1): dismissal (非該当) does not lapse the notice duty — a suspicion already triggers it', () => {
    const dismissedAtMs = T0 + H;
    const open = deriveObligations(inputs({ incident: { dismissedAtMs } }), T0 + 2 * H);
    expect(byClause(open, '3.1')).toMatchObject({ state: 'open', waiver: null });
    const breached = deriveObligations(inputs({ incident: { dismissedAtMs } }), T0 + 25 * H);
    expect(byClause(breached, '3.1').state).toBe('breached');
    // A short notice saying it was not an incident meets it.
    const met = deriveObligations(
      inputs({
        incident: { dismissedAtMs },
        notices: [{ id: 'ntc_1', fromParty: 'B', sentAtMs: T0 + 3 * H }],
      }),
      T0 + 25 * H,
    );
    expect(byClause(met, '3.1').state).toBe('met');
  });
});

describe('obligation ids', () => {
  it('ids are opaque, stable across recomputation, and differ by incident, clause, source and debtor', () => {
    const id = obligationId(INC, '3.1', INC, 'B');
    expect(id).toMatch(/^obl_[0-9a-z]{26}$/);
    // Nothing of the clause or the incident can be read back from it.
    expect(id).not.toContain('3-1');
    expect(id).not.toContain(INC.slice(4));
    const a = deriveObligations(inputs(), T0).map((o) => o.id);
    const b = deriveObligations(inputs(), T0 + 99 * H).map((o) => o.id);
    expect(a).toEqual(b);
    expect(a).toEqual([obligationId(INC, '3.1', INC, 'B'), obligationId(INC, '3.3', INC, 'B')]);
    const variants = new Set([
      id,
      obligationId('inc_aaaaaaaaaaaaaaaaaaaaaaaaaa', '3.1', 'inc_aaaaaaaaaaaaaaaaaaaaaaaaaa', 'B'),
      obligationId(INC, '3.3', INC, 'B'),
      obligationId(INC, '3.3', INC, 'A'),
      obligationId(INC, '3.2(6)', 'irq_a', 'B'),
      obligationId(INC, '3.2(6)', 'irq_b', 'B'),
    ]);
    expect(variants.size).toBe(6);
  });
});

describe('the registry', () => {
  it('every clause entry declares its article, citation, title, trigger and what fulfils it', () => {
    for (const entry of CLAUSES) {
      expect(entry.clause).toMatch(/\S/);
      expect(entry.article).toBeGreaterThan(0);
      for (const text of [entry.citation, entry.title, entry.trigger, entry.fulfilledBy]) {
        expect(text.ja).toMatch(/\S/);
        expect(text.en).toMatch(/\S/);
      }
      expect(clauseEntry(entry.clause)).toBe(entry);
    }
    expect(new Set(CLAUSES.map((c) => c.clause)).size).toBe(CLAUSES.length);
  });

  it('第3条第1項 (Art 3.1): every obligation carries its basis — article, parameter, value and the rule in words', () => {
    const list = deriveObligations(
      inputs({
        agreement: agr(36, 12),
        itemRequests: [{ id: 'irq_1', requestedAtMs: T0, dueAtMs: T0 + 30 * H, answeredAtMs: null }],
      }),
      T0,
    );
    expect(byClause(list, '3.1').basis).toEqual({
      article: '第3条第1項',
      parameter: 'noticeTargetHours',
      value: 36,
      rule: {
        ja: '発覚日時から36時間（第3条第1項「速やかに」の運用目安）',
        en: '36 hours from discovery (operating target for "promptly" in Art 3.1)',
      },
    });
    expect(byClause(list, '3.3').basis).toMatchObject({ article: '第3条第3項', value: 12 });
    expect(byClause(list, '3.2(6)').basis).toMatchObject({
      article: '第3条第2項第6号',
      parameter: 'itemRequestMinHours',
    });
    for (const o of list) expect(o.survives).toBe(false); // Art 3 is not in [5, 8, 9]
  });

  it('第11条第3項 (Art 11.3): a duty opened after the end exists only if its article survives', () => {
    const endsAtMs = T0 - H; // the incident was discovered after the agreement ended
    expect(deriveObligations(inputs({ agreement: agr(24, 24, { endsAtMs }) }), T0)).toEqual([]);
    const surviving = agr(24, 24, { endsAtMs });
    const kept = deriveObligations(
      inputs({
        agreement: { ...surviving, parameters: { ...surviving.parameters, survivingArticles: [3, 5] } },
      }),
      T0,
    );
    expect(kept.map((o) => [o.clause, o.survives])).toEqual([
      ['3.1', true],
      ['3.3', true],
    ]);
    // Discovered during the term (before the end): the duties exist even if the end has come since.
    expect(
      deriveObligations(inputs({ agreement: agr(24, 24, { endsAtMs: T0 + H }) }), T0 + 5 * H),
    ).toHaveLength(2);
  });
});

describe('Article 3 fixes (legal review)', () => {
  it('第3条第1項 (Art 3.1): a discovery before the memorandum took effect starts the clocks when it took effect', () => {
    const effectiveFromMs = T0 + 10 * H;
    const list = deriveObligations(inputs({ agreement: agr(24, 48, { effectiveFromMs }) }), T0 + 20 * H);
    const n = byClause(list, '3.1');
    expect(n).toMatchObject({
      startsAtMs: effectiveFromMs,
      dueAtMs: effectiveFromMs + 24 * H,
      state: 'open',
    });
    expect(n.basis.rule.ja).toContain('覚書の効力発生時');
    expect(byClause(list, '3.3')).toMatchObject({
      startsAtMs: effectiveFromMs,
      dueAtMs: effectiveFromMs + 48 * H,
    });
    // Before the fix the clock ran from discovery: breached at T0 + 24h + 1ms.
    expect(
      byClause(deriveObligations(inputs({ agreement: agr(24, 48, { effectiveFromMs }) }), T0 + 25 * H), '3.1')
        .state,
    ).toBe('open');
    // A discovery after the effect is unaffected.
    const later = byClause(
      deriveObligations(inputs({ agreement: agr(24, 48, { effectiveFromMs: T0 - H }) }), T0),
      '3.1',
    );
    expect(later.startsAtMs).toBe(T0);
  });

  it('第3条第3項 (Art 3.3): timeliness is judged on when the measure was recorded; takenAt is shown beside it', () => {
    const o = byClause(
      deriveObligations(
        inputs({
          containment: [{ id: 'cta_b', byParty: 'B', recordedAtMs: T0 + 60 * H, takenAtMs: T0 + H }],
        }),
        T0 + 61 * H,
      ),
      '3.3',
    );
    expect(o).toMatchObject({
      state: 'met_late',
      metBy: { type: 'containment', id: 'cta_b', atMs: T0 + 60 * H, takenAtMs: T0 + H },
    });
  });

  it('第3条第3項 (Art 3.3): binds both parties — the counterparty owes its own decision from the first notice', () => {
    const sent = T0 + 5 * H;
    const none = deriveObligations(inputs(), T0).filter((o) => o.clause === '3.3');
    expect(none.map((o) => o.owedBy)).toEqual(['B']);
    const list = deriveObligations(
      inputs({
        notices: [
          { id: 'ntc_2', fromParty: 'B', sentAtMs: sent + H },
          { id: 'ntc_1', fromParty: 'B', sentAtMs: sent },
        ],
        containment: [
          { id: 'cta_b', byParty: 'B', recordedAtMs: T0 + H, takenAtMs: T0 + H },
          { id: 'cta_a', byParty: 'A', recordedAtMs: sent + 50 * H, takenAtMs: sent + 2 * H },
        ],
      }),
      sent + 60 * H,
    );
    const counter = list.find((o) => o.clause === '3.3' && o.owedBy === 'A') as Obligation;
    expect(counter).toMatchObject({
      owedTo: 'B',
      sourceType: 'notice',
      sourceId: 'ntc_1',
      startsAtMs: sent,
      dueAtMs: sent + 48 * H,
      state: 'met_late',
      metBy: { id: 'cta_a' },
    });
    expect(counter.id).not.toBe(byClause(list, '3.3').id);
    expect(byClause(list, '3.3')).toMatchObject({ owedBy: 'B', state: 'met', metBy: { id: 'cta_b' } });
  });

  it('第3条第1項 (Art 3.1): notices of the counterparty do not meet the reporting party’s duty', () => {
    const o = byClause(
      deriveObligations(inputs({ notices: [{ id: 'ntc_a', fromParty: 'A', sentAtMs: T0 + H }] }), T0 + 2 * H),
      '3.1',
    );
    expect(o.state).toBe('open');
  });
});

describe('reminders at 50 %, 90 % and breach', () => {
  const o = { startsAtMs: T0, dueAtMs: T0 + 24 * H };

  it('第3条第1項 (Art 3.1): reminderTimes at 50 %, 90 % and one millisecond past due', () => {
    expect(reminderTimes(o)).toEqual({
      half: T0 + 12 * H,
      ninety: T0 + Math.round(24 * H * 0.9),
      breach: T0 + 24 * H + 1,
    });
    // A due in the past of its start never yields times before the start.
    const t = reminderTimes({ startsAtMs: T0, dueAtMs: T0 - H });
    expect(t.half).toBe(T0);
    expect(t.ninety).toBe(T0);
  });

  it('第3条第1項 (Art 3.1): nextReminder goes half → ninety → breach → nothing', () => {
    const t = reminderTimes(o);
    expect(nextReminder(o, null, T0)).toEqual({ stage: 'half', atMs: t.half });
    expect(nextReminder(o, 'half', t.half)).toEqual({ stage: 'ninety', atMs: t.ninety });
    expect(nextReminder(o, 'ninety', t.ninety)).toEqual({ stage: 'breach', atMs: t.breach });
    expect(nextReminder(o, 'breach', t.breach + H)).toBeNull();
  });

  it('第3条第1項 (Art 3.1): a missed sweep catches up with the current stage, skipping those whose successor is due; breach never is', () => {
    const t = reminderTimes(o);
    // The 50 % stage stays current until the 90 % moment …
    expect(nextReminder(o, null, T0 + 20 * H)).toEqual({ stage: 'half', atMs: t.half });
    expect(nextReminder(o, null, t.ninety - 1)?.stage).toBe('half');
    // … and is stale from it on.
    expect(nextReminder(o, null, t.ninety)).toEqual({ stage: 'ninety', atMs: t.ninety });
    // Past due: straight to breach.
    expect(nextReminder(o, null, t.breach)).toEqual({ stage: 'breach', atMs: t.breach });
    expect(nextReminder(o, 'half', T0 + 30 * H)).toEqual({ stage: 'breach', atMs: t.breach });
    expect(nextReminder(o, null, T0 + 1000 * H)?.stage).toBe('breach');
  });

  it('第3条第1項 (Art 3.1): firstReminder of a late report skips stages already passed (no stale 50 % mail)', () => {
    const t = reminderTimes(o);
    expect(firstReminder(o, T0)).toEqual({ stage: 'half', atMs: t.half });
    expect(firstReminder(o, t.half)).toEqual({ stage: 'half', atMs: t.half });
    // Discovered 20 h ago with a 24 h target: the 50 % moment is 8 h gone; next is 90 % (21.6 h).
    expect(firstReminder(o, T0 + 20 * H)).toEqual({ stage: 'ninety', atMs: t.ninety });
    expect(firstReminder(o, t.ninety + 1)).toEqual({ stage: 'breach', atMs: t.breach });
    // Reported after the due instant: the breach reminder is never skipped.
    expect(firstReminder(o, T0 + 100 * H)).toEqual({ stage: 'breach', atMs: t.breach });
  });
});

describe('sortBySoonest', () => {
  it('orders by due, then id, without touching its input', () => {
    const list = deriveObligations(
      inputs({
        itemRequests: [{ id: 'irq_1', requestedAtMs: T0, dueAtMs: T0 + 2 * H, answeredAtMs: null }],
      }),
      T0,
    );
    const copy = [...list];
    expect(sortBySoonest(list).map((o) => o.clause)).toEqual(['3.2(6)', '3.1', '3.3']);
    expect(list).toEqual(copy);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const BASE = Date.parse('2020-01-01T00:00:00Z');
const SPAN = 400 * 24 * H;
const instant = fc.integer({ min: BASE, max: BASE + SPAN });
const party = fc.constantFrom<PartyCode>('A', 'B');

const arbInputs: fc.Arbitrary<ObligationInputs> = fc
  .record({
    noticeTargetHours: fc.integer({ min: 1, max: 24 * 30 }),
    containmentTargetHours: fc.integer({ min: 1, max: 24 * 30 }),
    reportingParty: party,
    discoveredAtMs: instant,
    dismissedAtMs: fc.option(instant, { nil: null }),
    notices: fc.array(fc.record({ sentAtMs: instant }), { maxLength: 5 }),
    containment: fc.array(fc.record({ byParty: party, recordedAtMs: instant, takenAtMs: instant }), {
      maxLength: 5,
    }),
    itemRequests: fc.array(
      fc.record({
        requestedAtMs: instant,
        dueAfterHours: fc.integer({ min: 1, max: 500 }),
        answeredAtMs: fc.option(instant, { nil: null }),
      }),
      { maxLength: 4 },
    ),
    waive: fc.array(fc.nat({ max: 10 }), { maxLength: 3 }),
  })
  .map((r) => {
    const itemRequests = r.itemRequests.map((x, i) => ({
      id: `irq_${i}`,
      requestedAtMs: x.requestedAtMs,
      dueAtMs: x.requestedAtMs + x.dueAfterHours * H,
      answeredAtMs: x.answeredAtMs,
    }));
    const rp = r.reportingParty;
    const ids = [
      obligationId(INC, '3.1', INC, rp),
      obligationId(INC, '3.3', INC, rp),
      ...itemRequests.map((q) => obligationId(INC, '3.2(6)', q.id, rp)),
    ];
    return {
      agreement: agr(r.noticeTargetHours, r.containmentTargetHours),
      incident: {
        id: INC,
        reportingParty: r.reportingParty,
        discoveredAtMs: r.discoveredAtMs,
        dismissedAtMs: r.dismissedAtMs,
      },
      notices: r.notices.map((n, i) => ({ id: `ntc_${i}`, fromParty: rp, sentAtMs: n.sentAtMs })),
      containment: r.containment.map((c, i) => ({ id: `cta_${i}`, ...c })),
      itemRequests,
      waivers: [...new Set(r.waive.map((k) => ids[k % ids.length] as string))].map((obligationId) => ({
        obligationId,
        byUserId: 'usr_x',
        reason: 'r',
        atMs: BASE,
      })),
    };
  });

/** An independent oracle for the state of one obligation. */
function expectedState(
  metAtMs: number | null,
  dueAtMs: number,
  waived: boolean,
  dismissedAtMs: number | null,
  nowMs: number,
): ObligationState {
  if (metAtMs !== null) return metAtMs <= dueAtMs ? 'met' : 'met_late';
  if (waived) return 'waived';
  const stateAt = (t: number): ObligationState => (t > dueAtMs ? 'breached' : 'open');
  if (dismissedAtMs !== null && stateAt(dismissedAtMs) === 'open') return 'waived';
  return stateAt(nowMs);
}

const shuffle = <T>(xs: readonly T[], seed: number): T[] => {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
};

describe('properties (fast-check)', () => {
  it('第3条 (Art 3): every obligation’s state is a function of (metAt, dueAt, waiver, dismissal, now)', () => {
    fc.assert(
      fc.property(arbInputs, instant, (input, nowMs) => {
        const list = deriveObligations(input, nowMs);
        const waived = new Set(input.waivers.map((w) => w.obligationId));
        for (const o of list) {
          expect(o.state).toBe(
            expectedState(
              o.metBy?.atMs ?? null,
              o.dueAtMs,
              waived.has(o.id),
              // Art 3.1 is triggered by a suspicion already: dismissal does not lapse it.
              o.clause === '3.1' ? null : input.incident.dismissedAtMs,
              nowMs,
            ),
          );
        }
      }),
      { numRuns: 500 },
    );
  });

  it('第3条第1項 (Art 3.1): metBy is the earliest notice; 第3条第3項 (Art 3.3): the earliest containment of the reporting party', () => {
    fc.assert(
      fc.property(arbInputs, instant, (input, nowMs) => {
        const list = deriveObligations(input, nowMs);
        const n = byClause(list, '3.1');
        const minNotice = Math.min(...input.notices.map((x) => x.sentAtMs));
        expect(n.metBy?.atMs ?? null).toBe(input.notices.length ? minNotice : null);
        const own = input.containment.filter((c) => c.byParty === input.incident.reportingParty);
        const c = byClause(list, '3.3');
        expect(c.metBy?.atMs ?? null).toBe(own.length ? Math.min(...own.map((x) => x.recordedAtMs)) : null);
      }),
      { numRuns: 300 },
    );
  });

  it('第3条 (Art 3): recomputing gives equal results, in any order of the records', () => {
    fc.assert(
      fc.property(arbInputs, instant, fc.integer({ min: 1, max: 1_000_000 }), (input, nowMs, seed) => {
        const once = deriveObligations(input, nowMs);
        const twice = deriveObligations(input, nowMs);
        expect(twice).toEqual(once);
        const shuffled: ObligationInputs = {
          ...input,
          notices: shuffle(input.notices, seed),
          containment: shuffle(input.containment, seed + 1),
          waivers: shuffle(input.waivers, seed + 2),
        };
        // Same obligations (ids, states, metBy) regardless of record order. Ties between records
        // at the same instant may pick either record, so compare on the instant there.
        const norm = (l: Obligation[]) =>
          l.map((o) => ({ ...o, metBy: o.metBy ? { type: o.metBy.type, atMs: o.metBy.atMs } : null }));
        expect(norm(deriveObligations(shuffled, nowMs))).toEqual(norm(once));
      }),
      { numRuns: 300 },
    );
  });

  it('第3条第1項 (Art 3.1) / 第3条第3項 (Art 3.3): dueAt − startsAt equals the target hours exactly', () => {
    fc.assert(
      fc.property(arbInputs, instant, (input, nowMs) => {
        const list = deriveObligations(input, nowMs);
        expect(byClause(list, '3.1').dueAtMs - byClause(list, '3.1').startsAtMs).toBe(
          input.agreement.parameters.noticeTargetHours * H,
        );
        expect(byClause(list, '3.3').dueAtMs - byClause(list, '3.3').startsAtMs).toBe(
          input.agreement.parameters.containmentTargetHours * H,
        );
        for (const o of list) {
          // Only the counterparty's Art 3.3 duty (opened by the first notice) is owed by the other side.
          expect(o.owedBy === input.incident.reportingParty).toBe(o.sourceType !== 'notice');
          expect(o.owedTo).not.toBe(o.owedBy);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('第3条 (Art 3): states only move forward in time: open → breached, never back (without new records)', () => {
    fc.assert(
      fc.property(arbInputs, instant, instant, (input, t1, t2) => {
        const [early, late] = t1 <= t2 ? [t1, t2] : [t2, t1];
        const a = deriveObligations(input, early);
        const b = deriveObligations(input, late);
        a.forEach((o, i) => {
          const later = b[i] as Obligation;
          expect(later.id).toBe(o.id);
          if (o.state !== 'open') expect(later.state).toBe(o.state);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('reminders: times are ordered; a sweeper planning with nextReminder sends each stage at most once, never stale, ending with breach', () => {
    const PREV: Record<ReminderStage, ReminderStage | null> = {
      half: null,
      ninety: 'half',
      breach: 'ninety',
    };
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 0, max: 24 * 30 * H }),
        fc.integer({ min: 0, max: 24 * 30 * H }),
        fc.array(fc.integer({ min: 0, max: 60 * 24 * H }), { minLength: 1, maxLength: 12 }),
        (startsAtMs, spanMs, reportedAfter, offsets) => {
          const o = { startsAtMs, dueAtMs: startsAtMs + spanMs };
          const t = reminderTimes(o);
          expect(t.half).toBeGreaterThanOrEqual(startsAtMs);
          expect(t.ninety).toBeGreaterThanOrEqual(t.half);
          expect(t.breach).toBeGreaterThan(t.ninety);
          expect(t.breach).toBe(o.dueAtMs + 1);

          // The clock is planned when the incident is recorded (possibly late), then swept at
          // arbitrary increasing times; each due sweep sends the current stage and plans the next.
          const reportedAt = startsAtMs + reportedAfter;
          let clock: { stage: ReminderStage; atMs: number } | null = firstReminder(o, reportedAt);
          const sweeps = [...offsets.map((d) => reportedAt + d), t.breach + reportedAfter].sort(
            (x, y) => x - y,
          );
          const sent: ReminderStage[] = [];
          for (const now of sweeps) {
            if (!clock || clock.atMs > now) continue;
            const current = nextReminder(o, PREV[clock.stage], now) as { stage: ReminderStage; atMs: number };
            expect(current.atMs).toBeLessThanOrEqual(now); // never sent before its time
            const succ = REMINDER_STAGES[REMINDER_STAGES.indexOf(current.stage) + 1];
            if (succ) expect(t[succ]).toBeGreaterThan(now); // never stale
            sent.push(current.stage);
            clock = nextReminder(o, current.stage, now);
          }
          expect(new Set(sent).size).toBe(sent.length);
          expect(sent.at(-1)).toBe('breach');
          const idx = sent.map((s) => REMINDER_STAGES.indexOf(s));
          expect(idx).toEqual([...idx].sort((x, y) => x - y));
          // A report made after a stage's moment never gets that stage's reminder.
          if (reportedAt > t.half) expect(sent).not.toContain('half');
          if (reportedAt > t.ninety) expect(sent).not.toContain('ninety');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reminders: nextReminder never offers a stage whose successor is already due', () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 0, max: 24 * 30 * H }),
        fc.constantFrom<ReminderStage | null>(null, 'half', 'ninety'),
        fc.integer({ min: -H, max: 60 * 24 * H }),
        (startsAtMs, spanMs, after, d) => {
          const o = { startsAtMs, dueAtMs: startsAtMs + spanMs };
          const now = startsAtMs + d;
          const t = reminderTimes(o);
          const r = nextReminder(o, after, now);
          expect(r).not.toBeNull();
          const stage = (r as { stage: ReminderStage }).stage;
          const i = REMINDER_STAGES.indexOf(stage);
          expect(i).toBeGreaterThan(after === null ? -1 : REMINDER_STAGES.indexOf(after));
          const succ = REMINDER_STAGES[i + 1];
          if (succ) expect(t[succ]).toBeGreaterThan(now);
          expect((r as { atMs: number }).atMs).toBe(t[stage]);
        },
      ),
      { numRuns: 500 },
    );
  });
});
