import type { Basis, ClauseEntry } from '../types.js';
import { clockStart, HOUR_MS, memoBasis, other } from './common.js';

/**
 * Art 3.1 (第3条第1項): the party on whose side an incident — or the risk of one (発生のおそれ) —
 * arose notifies the other party 速やかに; the agreement's `noticeTargetHours` is the operating
 * target for 「速やかに」. Because a suspicion already triggers it, dismissing the incident (非該当)
 * does not lapse it: a short notice saying it was not an incident meets it, or the party owed
 * waives it. Met by the first notice of the reporting party (its sending time).
 */
export const art3_1: ClauseEntry = {
  clause: '3.1',
  article: 3,
  citation: { ja: '第3条第1項', en: 'Art 3.1' },
  title: { ja: '第3条第1項 相手方への通知', en: 'Art 3.1 notify the counterparty' },
  trigger: {
    ja: '情報漏えい事故（発生のおそれを含む）の発覚',
    en: 'discovery of an incident (or of the risk of one)',
  },
  fulfilledBy: { ja: '発生側当事者の第一報', en: 'the first notice of the party where it arose' },
  lapsesOnDismissal: false,
  duties(input, emit) {
    const { agreement, incident } = input;
    const owedBy = incident.reportingParty;
    let first: { id: string; sentAtMs: number } | null = null;
    for (const n of input.notices) {
      if (n.fromParty === owedBy && (!first || n.sentAtMs < first.sentAtMs)) first = n;
    }
    const hours = agreement.parameters.noticeTargetHours;
    const start = clockStart(incident.discoveredAtMs, agreement.effectiveFromMs);
    emit({
      sourceType: 'incident',
      sourceId: incident.id,
      owedBy,
      owedTo: other(owedBy),
      openedAtMs: incident.discoveredAtMs,
      startsAtMs: start.ms,
      dueAtMs: start.ms + hours * HOUR_MS,
      metBy: first ? { type: 'notice', id: first.id, atMs: first.sentAtMs, takenAtMs: null } : null,
      basis: basisOf(start.fromEffect ? -hours : hours),
    });
  },
};

/** Keyed by the hours, negative when the clock runs from the memorandum's effect. */
const basisOf = memoBasis((key: number): Basis => {
  const hours = Math.abs(key);
  return {
    article: '第3条第1項',
    parameter: 'noticeTargetHours',
    value: hours,
    rule:
      key < 0
        ? {
            ja: `覚書の効力発生時（締結日の午前0時、日本時間）から${hours}時間（発覚日時が効力発生前のため。第3条第1項「速やかに」の運用目安）`,
            en: `${hours} hours from when the memorandum took effect (0:00 JST on the signing day), since the discovery preceded it (operating target for "promptly" in Art 3.1)`,
          }
        : {
            ja: `発覚日時から${hours}時間（第3条第1項「速やかに」の運用目安）`,
            en: `${hours} hours from discovery (operating target for "promptly" in Art 3.1)`,
          },
  };
});
