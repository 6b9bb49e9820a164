import {
  COOPERATION_CATEGORIES,
  COOPERATION_CATEGORY_LABELS,
  cooperationItem,
  type CooperationCategory,
} from '../../cooperation/categories.js';
import type { Basis, ClauseEntry } from '../types.js';

/**
 * Art 4.2 (第4条第2項第1号〜第8号): the parties cooperate 「合理的な範囲で」 on eight matters. Each
 * cooperation request opens one duty of the requested party to answer it — accept, decline with
 * its reason (recorded, not judged: what is reasonable is for the parties), or deliver — by the
 * request's due time (the requester's, or `cooperationResponseHours` after the request). Clause
 * `4.2(n)`, n the matter's item. Met by the first answer. Lapses if the incident is dismissed
 * before it is due (the cooperation is about an incident that did not happen).
 */
function responseEntry(category: CooperationCategory): ClauseEntry {
  const n = cooperationItem(category);
  const label = COOPERATION_CATEGORY_LABELS[category];
  const basis: Basis = {
    article: `第4条第2項第${n}号`,
    parameter: 'cooperationResponseHours',
    rule: {
      ja: `協力を求めた当事者が定めた回答期限（定めがないときは、求めの時から運用細則の回答期限の時間）`,
      en: `the answer time the requesting party set (if none, the annex's answer time after the request)`,
    },
  };
  return {
    clause: `4.2(${n})`,
    article: 4,
    citation: { ja: `第4条第2項第${n}号`, en: `Art 4.2(${n})` },
    title: {
      ja: `第4条第2項第${n}号 協力の求めへの回答（${label.ja}）`,
      en: `Art 4.2(${n}) answer the cooperation request (${label.en})`,
    },
    trigger: { ja: '相手方からの協力の求め', en: 'a cooperation request by the other party' },
    fulfilledBy: {
      ja: '求めに対する回答（受諾、理由を付した拒否、または協力結果の提供）',
      en: 'the answer to the request (acceptance, a reasoned refusal, or the delivery)',
    },
    lapsesOnDismissal: true,
    duties(input, emit) {
      for (const r of input.cooperationRequests ?? []) {
        if (r.category !== category) continue;
        emit({
          sourceType: 'cooperation_request',
          sourceId: r.id,
          owedBy: r.toParty,
          owedTo: r.fromParty,
          openedAtMs: r.requestedAtMs,
          startsAtMs: r.requestedAtMs,
          dueAtMs: r.dueAtMs,
          metBy:
            r.respondedAtMs !== null
              ? { type: 'cooperation_request', id: r.id, atMs: r.respondedAtMs, takenAtMs: null }
              : null,
          basis,
        });
      }
    },
  };
}

/** One entry per Art 4.2 matter, in the memorandum's order: 4.2(1) … 4.2(8). */
export const art4_2_response: readonly ClauseEntry[] = COOPERATION_CATEGORIES.map(responseEntry);
