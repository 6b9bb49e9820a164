import type { Basis, ClauseEntry } from '../types.js';
import { memoBasis, other } from './common.js';

/**
 * Art 3.2(6) (第3条第2項第6号): besides the five items, the notice covers 「その他相手方が合理的に
 * 求める事項」. Each request of the counterparty opens one duty of the reporting party to answer by
 * the time the request set (at least `itemRequestMinHours` after the request — checked when the
 * request is made). Met by the answer. Lapses if the incident is dismissed before it is due.
 */
export const art3_2_6: ClauseEntry = {
  clause: '3.2(6)',
  article: 3,
  citation: { ja: '第3条第2項第6号', en: 'Art 3.2(6)' },
  title: {
    ja: '第3条第2項第6号 相手方が求める事項への回答',
    en: 'Art 3.2(6) answer the further items asked for',
  },
  trigger: {
    ja: '相手方からの追加事項の求め',
    en: 'a request for further items by the counterparty',
  },
  fulfilledBy: { ja: '求めに対する回答', en: 'the answer to the request' },
  lapsesOnDismissal: true,
  duties(input, emit) {
    const { agreement, incident } = input;
    const owedBy = incident.reportingParty;
    const min = agreement.parameters.itemRequestMinHours;
    for (const r of input.itemRequests) {
      emit({
        sourceType: 'item_request',
        sourceId: r.id,
        owedBy,
        owedTo: other(owedBy),
        openedAtMs: incident.discoveredAtMs,
        startsAtMs: r.requestedAtMs,
        dueAtMs: r.dueAtMs,
        metBy:
          r.answeredAtMs !== null
            ? { type: 'item_request', id: r.id, atMs: r.answeredAtMs, takenAtMs: null }
            : null,
        basis: basisOf(min),
      });
    }
  },
};

const basisOf = memoBasis((min: number): Basis => ({
  article: '第3条第2項第6号',
  parameter: 'itemRequestMinHours',
  value: min,
  rule: {
    ja: `相手方が求めの際に指定した回答期限（求めの時から最短${min}時間）`,
    en: `the answer time the counterparty set in its request (at least ${min} hours after the request)`,
  },
}));
