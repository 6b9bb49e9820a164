import type { Basis, ClauseEntry } from '../types.js';
import { HOUR_MS, other } from './common.js';

/** Art 6.2: how long after an emergency publication the publisher has to consult the other party. */
export const EMERGENCY_CONSULTATION_HOURS = 24;

const basis: Basis = {
  article: '第6条第2項',
  value: EMERGENCY_CONSULTATION_HOURS,
  rule: {
    ja: `協議を経ずに緊急で公表した当事者は、公表後速やかに相手方と協議する（本システムの目安：公表から${EMERGENCY_CONSULTATION_HOURS}時間以内）`,
    en: `a party that announced in an emergency without consultation consults the other party promptly afterwards (this system's target: within ${EMERGENCY_CONSULTATION_HOURS} hours of the publication)`,
  },
};

/**
 * Art 6.2 (第6条第2項): in an emergency — to comply with law, or to prevent harm from spreading — a
 * party may make the minimum necessary announcement without the prior consultation of 6.1; it
 * then owes the other party a consultation afterwards. Clause `6.2`: opened by the emergency
 * publication, owed by the publisher to the other party, due 24 h after the publication, met when
 * a consultation (Art 12) on that announcement reaches an agreed outcome. It does not lapse on
 * dismissal: the announcement was made either way.
 */
export const art6_2: ClauseEntry = {
  clause: '6.2',
  article: 6,
  citation: { ja: '第6条第2項', en: 'Art 6.2' },
  title: {
    ja: '第6条第2項 緊急公表後の協議',
    en: 'Art 6.2 consult after an emergency announcement',
  },
  trigger: {
    ja: '協議を経ない緊急の公表（法令遵守・被害拡大防止）',
    en: 'an emergency announcement without consultation (law compliance or preventing harm)',
  },
  fulfilledBy: {
    ja: 'その公表についての協議で合意に至ったこと',
    en: 'a consultation on the announcement reaching an agreed outcome',
  },
  lapsesOnDismissal: false,
  duties(input, emit) {
    for (const a of input.emergencyAnnouncements ?? []) {
      let met: { id: string; agreedAtMs: number } | null = null;
      for (const c of input.agreedConsultations ?? []) {
        if (c.subjectType !== 'announcement' || c.subjectId !== a.id) continue;
        if (met === null || c.agreedAtMs < met.agreedAtMs) met = c;
      }
      emit({
        sourceType: 'announcement',
        sourceId: a.id,
        owedBy: a.byParty,
        owedTo: other(a.byParty),
        openedAtMs: a.publishedAtMs,
        startsAtMs: a.publishedAtMs,
        dueAtMs: a.publishedAtMs + EMERGENCY_CONSULTATION_HOURS * HOUR_MS,
        metBy: met ? { type: 'consultation', id: met.id, atMs: met.agreedAtMs, takenAtMs: null } : null,
        basis,
      });
    }
  },
};
