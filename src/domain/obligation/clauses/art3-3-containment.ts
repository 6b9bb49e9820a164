import type { Basis, ClauseEntry, PartyCode } from '../types.js';
import { clockStart, HOUR_MS, memoBasis, other } from './common.js';

/**
 * Art 3.3 (第3条第3項): 「甲及び乙は」 — both parties take measures to prevent the damage from
 * spreading 速やかに. Each party owes its own decision: a measure, or a recorded decision that none
 * is needed (with the reason). The reporting party's clock runs from discovery; the counterparty's
 * from the moment the first notice reached it (it cannot act on what it does not know). Timeliness
 * is judged on when the record was made in BreachPact; the user-entered `takenAt` is shown beside
 * it. Lapses if the incident is dismissed before it is due (only an actual incident triggers it).
 */
export const art3_3: ClauseEntry = {
  clause: '3.3',
  article: 3,
  citation: { ja: '第3条第3項', en: 'Art 3.3' },
  title: { ja: '第3条第3項 被害拡大防止措置（初動対応）', en: 'Art 3.3 containment measures' },
  trigger: {
    ja: '発生側は事故の発覚、相手方は第一報の受領',
    en: 'discovery (the party where it arose); receipt of the first notice (the other party)',
  },
  fulfilledBy: {
    ja: 'その当事者の措置の記録、または措置不要の判断（理由付き）',
    en: "the party's record of a measure, or of its decision that none is needed (with the reason)",
  },
  lapsesOnDismissal: true,
  duties(input, emit) {
    const { agreement, incident } = input;
    const hours = agreement.parameters.containmentTargetHours;
    const firstOf = (party: PartyCode) => {
      let first: ObligationContainment | null = null;
      for (const c of input.containment) {
        if (c.byParty === party && (!first || c.recordedAtMs < first.recordedAtMs)) first = c;
      }
      return first
        ? { type: 'containment', id: first.id, atMs: first.recordedAtMs, takenAtMs: first.takenAtMs }
        : null;
    };
    const reporting = incident.reportingParty;
    const start = clockStart(incident.discoveredAtMs, agreement.effectiveFromMs);
    emit({
      sourceType: 'incident',
      sourceId: incident.id,
      owedBy: reporting,
      owedTo: other(reporting),
      openedAtMs: incident.discoveredAtMs,
      startsAtMs: start.ms,
      dueAtMs: start.ms + hours * HOUR_MS,
      metBy: firstOf(reporting),
      basis: reportingBasis(start.fromEffect ? -hours : hours),
    });
    // The counterparty's duty starts when the first notice of the reporting party reaches it.
    let firstNotice: { id: string; sentAtMs: number } | null = null;
    for (const n of input.notices) {
      if (n.fromParty === reporting && (!firstNotice || n.sentAtMs < firstNotice.sentAtMs)) firstNotice = n;
    }
    if (!firstNotice) return;
    const counterparty = other(reporting);
    const from = Math.max(firstNotice.sentAtMs, start.ms);
    emit({
      sourceType: 'notice',
      sourceId: firstNotice.id,
      owedBy: counterparty,
      owedTo: reporting,
      openedAtMs: incident.discoveredAtMs,
      startsAtMs: from,
      dueAtMs: from + hours * HOUR_MS,
      metBy: firstOf(counterparty),
      basis: counterpartyBasis(hours),
    });
  },
};

type ObligationContainment = { id: string; byParty: PartyCode; recordedAtMs: number; takenAtMs: number };

/** Keyed by the hours, negative when the clock runs from the memorandum's effect. */
const reportingBasis = memoBasis((key: number): Basis => {
  const hours = Math.abs(key);
  return {
    article: '第3条第3項',
    parameter: 'containmentTargetHours',
    value: hours,
    rule:
      key < 0
        ? {
            ja: `覚書の効力発生時（締結日の午前0時、日本時間）から${hours}時間（発覚日時が効力発生前のため。第3条第3項「速やかに」の運用目安）`,
            en: `${hours} hours from when the memorandum took effect, since the discovery preceded it (operating target for "promptly" in Art 3.3)`,
          }
        : {
            ja: `発覚日時から${hours}時間（第3条第3項「速やかに」の運用目安）`,
            en: `${hours} hours from discovery (operating target for "promptly" in Art 3.3)`,
          },
  };
});

const counterpartyBasis = memoBasis((hours: number): Basis => ({
  article: '第3条第3項',
  parameter: 'containmentTargetHours',
  value: hours,
  rule: {
    ja: `第一報の受領時から${hours}時間（第3条第3項「甲及び乙は」「速やかに」の運用目安）`,
    en: `${hours} hours from receipt of the first notice (Art 3.3 binds both parties; operating target for "promptly")`,
  },
}));
