import {
  COOPERATION_CATEGORIES,
  COOPERATION_CATEGORY_LABELS,
  cooperationItem,
  type CooperationCategory,
} from '../../cooperation/categories.js';
import type { Basis, ClauseEntry } from '../types.js';

/**
 * Art 4.2 (第4条第2項第1号〜第8号), the promised cooperation: a requested party that accepts a
 * cooperation request and states by when it will deliver (`deliverBy`) owes the delivery by then.
 * Clause `4.2(n)-delivery`. Opened by the acceptance, met by the delivery (the answer, with any
 * evidence). An acceptance without a date opens no delivery duty. Lapses on dismissal like the
 * answer duty.
 */
function deliveryEntry(category: CooperationCategory): ClauseEntry {
  const n = cooperationItem(category);
  const label = COOPERATION_CATEGORY_LABELS[category];
  const basis: Basis = {
    article: `第4条第2項第${n}号`,
    rule: {
      ja: '協力を受諾した当事者が受諾の際に示した提供期限',
      en: 'the delivery date the requested party gave when it accepted',
    },
  };
  return {
    clause: `4.2(${n})-delivery`,
    article: 4,
    citation: { ja: `第4条第2項第${n}号`, en: `Art 4.2(${n})` },
    title: {
      ja: `第4条第2項第${n}号 受諾した協力の提供（${label.ja}）`,
      en: `Art 4.2(${n}) deliver the accepted cooperation (${label.en})`,
    },
    trigger: {
      ja: '提供期限を示した協力の受諾',
      en: 'an acceptance of a cooperation request that states a delivery date',
    },
    fulfilledBy: { ja: '協力結果の提供', en: 'the delivery' },
    lapsesOnDismissal: true,
    duties(input, emit) {
      for (const r of input.cooperationRequests ?? []) {
        if (r.category !== category || r.deliverByMs === null || r.respondedAtMs === null) continue;
        emit({
          sourceType: 'cooperation_request',
          sourceId: r.id,
          owedBy: r.toParty,
          owedTo: r.fromParty,
          // It arises from the request (made while Art 4 applied), so it outlives the end like the answer duty.
          openedAtMs: r.requestedAtMs,
          startsAtMs: r.respondedAtMs,
          dueAtMs: r.deliverByMs,
          metBy:
            r.deliveredAtMs !== null
              ? { type: 'cooperation_request', id: r.id, atMs: r.deliveredAtMs, takenAtMs: null }
              : null,
          basis,
        });
      }
    },
  };
}

/** One entry per Art 4.2 matter: 4.2(1)-delivery … 4.2(8)-delivery. */
export const art4_2_delivery: readonly ClauseEntry[] = COOPERATION_CATEGORIES.map(deliveryEntry);
