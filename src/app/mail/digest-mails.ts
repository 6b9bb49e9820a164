import {
  DUE_GROUP_LABELS,
  DUE_GROUPS,
  dueGroup,
  formatDateWithWeekday,
  formatDueWithLeft,
  type DueGroup,
} from '../../domain/shared/deadline.js';
import type { Locale } from '../../persistence/repositories/users.js';
import type { MailMessage } from './templates.js';

interface Bilingual {
  ja: string;
  en: string;
}

/** One open or breached duty of the digest, as the work queue lists it. */
export interface DigestRow {
  /** The clause's plain-language title with its article (「第3条第1項 相手方への通知」). */
  title: Bilingual;
  /** What settles it, in words (the clause registry's `fulfilledBy`). */
  fulfilledBy: Bilingual;
  incidentTitle: string;
  /** The organisation that owes it, and whether that is the recipient's own. */
  owedByUs: boolean;
  debtorName: string;
  counterpartyName: string;
  dueAt: string;
  link: string;
}

export interface DigestMailInput {
  to: string;
  name: string;
  locale: Locale;
  organizationName: string;
  /** The Japan date of the digest (YYYY-MM-DD). */
  on: string;
  nowMs: number;
  /** Sorted by due time (the work queue's order). */
  rows: readonly DigestRow[];
  workQueueLink: string;
  settingsLink: string;
  /** False for a viewer: it reads, never records, so its next step is to tell who can. */
  canRecord: boolean;
}

/**
 * The daily digest (9:00 Japan time): the recipient organisation's open and breached duties,
 * grouped as the work queue groups them (期限超過 / 24時間以内 / 7日以内 / それ以降), each with its
 * clause, incident, who owes it, the due time with weekday and time left, what to do next and a
 * link. Incident titles only — no more than every recipient may see in the app.
 */
export function dailyDigestMail(p: DigestMailInput): MailMessage {
  const lang = p.locale === 'en' ? 'en' : 'ja';
  const grouped = new Map<DueGroup, DigestRow[]>();
  for (const r of p.rows) {
    const g = dueGroup(Date.parse(r.dueAt), p.nowMs);
    grouped.set(g, [...(grouped.get(g) ?? []), r]);
  }
  const count = (g: DueGroup) => grouped.get(g)?.length ?? 0;
  const day = formatDateWithWeekday(p.on, lang);
  const sections: string[] = [];
  for (const g of DUE_GROUPS) {
    const rows = grouped.get(g);
    if (!rows) continue;
    const head =
      lang === 'ja'
        ? `■ ${DUE_GROUP_LABELS[g].ja}（${rows.length}件）`
        : `■ ${DUE_GROUP_LABELS[g].en} (${rows.length})`;
    sections.push([head, ...rows.map((r) => rowText(r, p.nowMs, lang, p.canRecord))].join('\n\n'));
  }
  if (lang === 'en') {
    const urgent = [
      count('overdue') > 0 ? `${count('overdue')} overdue` : '',
      count('day') > 0 ? `${count('day')} due within 24 hours` : '',
    ].filter(Boolean);
    return {
      to: p.to,
      locale: p.locale,
      subject: `[BreachPact] Open duties on ${day}: ${p.rows.length}${urgent.length ? ` (${urgent.join(', ')})` : ''}`,
      text:
        `${p.name},\n\nThese duties under the memorandum are open for ${p.organizationName} or owed to it ` +
        `(as of 09:00 JST, ${day}). Times are Japan time.\n\n${sections.join('\n\n')}\n\n` +
        `All of them in the work queue:\n${p.workQueueLink}\n\n` +
        `You get this mail each morning while duties are open. To stop it, switch off the daily digest in your settings:\n${p.settingsLink}\n`,
    };
  }
  const urgent = [
    count('overdue') > 0 ? `期限超過${count('overdue')}件` : '',
    count('day') > 0 ? `24時間以内${count('day')}件` : '',
  ].filter(Boolean);
  return {
    to: p.to,
    locale: p.locale,
    subject: `【BreachPact】${day}の対応状況：未履行の義務${p.rows.length}件${urgent.length ? `（${urgent.join('・')}）` : ''}`,
    text:
      `${p.name} 様\n\n${p.organizationName}が負う義務、または${p.organizationName}に対して負われている義務のうち、` +
      `未履行のものは次のとおりです（${day}9時00分現在。時刻は日本時間）。\n\n${sections.join('\n\n')}\n\n` +
      `対応状況の一覧：\n${p.workQueueLink}\n\n` +
      `未履行の義務がある日の朝にこのメールをお送りしています。停止するには、設定で「毎朝の対応状況メール」をオフにしてください：\n${p.settingsLink}\n`,
  };
}

function rowText(r: DigestRow, nowMs: number, lang: 'ja' | 'en', canRecord: boolean): string {
  const due = formatDueWithLeft(r.dueAt, nowMs, lang);
  if (lang === 'en') {
    const who = r.owedByUs ? `us (${r.debtorName})` : `the other party (${r.debtorName})`;
    const next = r.owedByUs
      ? canRecord
        ? `Next: record ${r.fulfilledBy.en} in BreachPact.`
        : `Next: make sure your owner, legal or responder records ${r.fulfilledBy.en} (viewers do not record).`
      : `Next: nothing for you to record — ${r.debtorName} owes ${r.fulfilledBy.en}; follow up with them if it is late.`;
    return (
      `・${r.title.en}\n  Incident: ${r.incidentTitle} (with ${r.counterpartyName})\n  Owed by: ${who}\n` +
      `  Due: ${due}\n  ${next}\n  ${r.link}`
    );
  }
  const who = r.owedByUs ? `当社（${r.debtorName}）` : `相手方（${r.debtorName}）`;
  const next = r.owedByUs
    ? canRecord
      ? `次にやること：${r.fulfilledBy.ja}を BreachPact に記録してください。`
      : `次にやること：${r.fulfilledBy.ja}が記録されるよう、当社のオーナー・法務・対応担当者に確認してください（閲覧者は記録できません）。`
    : `次にやること：当社が記録するものはありません（${r.debtorName}の${r.fulfilledBy.ja}を待っています。遅れている場合は相手方に確認してください）。`;
  return (
    `・${r.title.ja}\n  事故：${r.incidentTitle}（相手方：${r.counterpartyName}）\n  義務者：${who}\n` +
    `  期限：${due}\n  ${next}\n  ${r.link}`
  );
}
