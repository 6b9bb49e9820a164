import type { Locale } from '../../persistence/repositories/users.js';
import type { MailMessage } from './templates.js';
import { formatDue, formatDueWithLeft } from '../../domain/shared/deadline.js';

/**
 * E-mails about incidents. They carry the incident's title, the clause and the clock, and a link:
 * no more detail than every recipient (a user of one of the two parties) may see anyway.
 */
export type IncidentMailKind =
  | 'notice_sent'
  | 'notice_acknowledged'
  | 'items_requested'
  | 'items_answered'
  | 'cooperation_requested'
  | 'cooperation_answered'
  | 'consultation_opened'
  | 'consultation_outcome_proposed'
  | 'consultation_agreed'
  | 'obligation_due_soon'
  | 'obligation_breached'
  | 'incident_dismissed'
  | 'incident_registered'
  | 'incident_dismissed_own'
  | 'incident_closed'
  | 'discovery_correction_requested'
  | 'discovery_correction_decided'
  | 'disclosure_consent_requested'
  | 'disclosure_excepted'
  | 'disclosure_decided'
  | 'disclosure_disclosed'
  | 'announcement_emergency_published';

export interface IncidentMailInput {
  kind: IncidentMailKind;
  to: string;
  name: string;
  locale: Locale;
  incidentTitle: string;
  link: string;
  fromOrganization: string;
  /** e.g. 第一報 / 続報（第2報） */
  noticeLabel?: { ja: string; en: string };
  clause?: { ja: string; en: string };
  dueAt?: string;
  percent?: number;
  /** Free text shown in the mail (a dismissal's reason, a correction's reason or decision). */
  detail?: string;
  /** When the mail is written (ISO instant): deadlines then carry the time left (「あと17時間」). */
  now?: string;
  /**
   * The recipient party's next duty on the incident (its soonest open or breached one) — what to do
   * next and by when; null when nothing is owed by it; absent when the sender did not compute it.
   */
  next?: { title: { ja: string; en: string }; fulfilledBy: { ja: string; en: string }; dueAt: string } | null;
}

/** The due time with its weekday, in Japan time (「2026年12月1日（火）4時48分」). */
const tokyo = (iso: string, locale: Locale) => formatDue(iso, locale === 'en' ? 'en' : 'ja');

export function incidentMail(p: IncidentMailInput): MailMessage {
  const en = p.locale === 'en';
  const due = p.dueAt ? tokyo(p.dueAt, p.locale) : '';
  let subject: string;
  let lead: string;
  switch (p.kind) {
    case 'notice_sent':
      subject = en
        ? `[BreachPact] ${p.noticeLabel?.en ?? 'Notice'} from ${p.fromOrganization}: ${p.incidentTitle}`
        : `【BreachPact】${p.fromOrganization}から${p.noticeLabel?.ja ?? '通知'}：${p.incidentTitle}`;
      lead = en
        ? `${p.fromOrganization} has sent a notice under Art 3.1 of the memorandum. Please read it and acknowledge receipt.`
        : `${p.fromOrganization}から覚書第3条第1項に基づく通知が届きました。内容を確認し、受領確認をしてください。`;
      break;
    case 'notice_acknowledged':
      subject = en
        ? `[BreachPact] ${p.fromOrganization} acknowledged your ${p.noticeLabel?.en ?? 'notice'}: ${p.incidentTitle}`
        : `【BreachPact】${p.fromOrganization}が${p.noticeLabel?.ja ?? '通知'}の受領を確認しました：${p.incidentTitle}`;
      lead = en
        ? `${p.fromOrganization} confirmed receipt of the notice.`
        : `${p.fromOrganization}が通知の受領を確認しました。`;
      break;
    case 'items_requested':
      subject = en
        ? `[BreachPact] ${p.fromOrganization} asks for further items (Art 3.2(6)): ${p.incidentTitle}`
        : `【BreachPact】${p.fromOrganization}から追加事項の求め（第3条第2項第6号）：${p.incidentTitle}`;
      lead = en
        ? `${p.fromOrganization} asks for further information. Please answer by ${due}.`
        : `${p.fromOrganization}から追加の情報提供を求められています。${due}までに回答してください。`;
      break;
    case 'items_answered':
      subject = en
        ? `[BreachPact] ${p.fromOrganization} answered your request: ${p.incidentTitle}`
        : `【BreachPact】${p.fromOrganization}が追加事項の求めに回答しました：${p.incidentTitle}`;
      lead = en
        ? `${p.fromOrganization} answered the items you asked for.`
        : `${p.fromOrganization}から回答が届きました。`;
      break;
    // Art 4.2: a cooperation request, to the requested party; its answer, to the requester.
    case 'cooperation_requested':
      subject = en
        ? `[BreachPact] ${p.fromOrganization} asks for cooperation (${p.clause?.en ?? 'Art 4.2'}): ${p.incidentTitle}`
        : `【BreachPact】${p.fromOrganization}から協力の求め（${p.clause?.ja ?? '第4条第2項'}）：${p.incidentTitle}`;
      lead = en
        ? `${p.fromOrganization} asks for your cooperation under Art 4.2 of the memorandum: ${p.detail ?? ''}. Please answer by ${due} — accept, decline with your reason, or deliver.`
        : `${p.fromOrganization}から、覚書第4条第2項に基づく協力を求められています：${p.detail ?? ''}。${due}までに回答（受諾、理由を付して協力しない旨、または協力結果の提供）をしてください。`;
      break;
    case 'cooperation_answered':
      subject = en
        ? `[BreachPact] ${p.fromOrganization} answered your cooperation request (${p.clause?.en ?? 'Art 4.2'}): ${p.incidentTitle}`
        : `【BreachPact】${p.fromOrganization}が協力の求め（${p.clause?.ja ?? '第4条第2項'}）に回答しました：${p.incidentTitle}`;
      lead = en ? `Answer: ${p.detail ?? ''}` : `回答：${p.detail ?? ''}`;
      break;
    // Art 12: a consultation opened by the other party, an outcome it asks you to confirm, and the agreement.
    case 'consultation_opened':
      subject = en
        ? `[BreachPact] ${p.fromOrganization} opened a consultation (Art 12): ${p.incidentTitle}`
        : `【BreachPact】${p.fromOrganization}から協議の申入れ（第12条）：${p.incidentTitle}`;
      lead = en
        ? `${p.fromOrganization} opened a consultation under Art 12 of the memorandum. Topic: ${p.detail ?? ''}`
        : `${p.fromOrganization}から覚書第12条に基づく協議の申入れがありました。議題：${p.detail ?? ''}`;
      break;
    case 'consultation_outcome_proposed':
      subject = en
        ? `[BreachPact] ${p.fromOrganization} proposes the outcome of a consultation: ${p.incidentTitle}`
        : `【BreachPact】${p.fromOrganization}から協議結果の合意案：${p.incidentTitle}`;
      lead = en
        ? `${p.fromOrganization} proposes the agreed outcome below. It becomes agreed when your owner or legal confirms it.\n\n${p.detail ?? ''}`
        : `${p.fromOrganization}から次の合意案が示されました。貴社のオーナーまたは法務担当が確認すると合意となります。\n\n${p.detail ?? ''}`;
      break;
    case 'consultation_agreed':
      subject = en
        ? `[BreachPact] ${p.fromOrganization} confirmed the outcome of the consultation: ${p.incidentTitle}`
        : `【BreachPact】${p.fromOrganization}が協議結果の合意案を確認しました（合意）：${p.incidentTitle}`;
      lead = en ? `Agreed outcome: ${p.detail ?? ''}` : `合意した内容：${p.detail ?? ''}`;
      break;
    case 'obligation_due_soon':
      subject = en
        ? `[BreachPact] Due ${due}: ${p.clause?.en ?? ''} — ${p.incidentTitle}`
        : `【BreachPact】期限 ${due}：${p.clause?.ja ?? ''}（${p.incidentTitle}）`;
      lead = en
        ? `${p.percent ?? 0} % of the time for this duty has passed. It is due ${due}.`
        : `この義務の期限までの時間の${p.percent ?? 0}%が経過しました。期限は${due}です。`;
      break;
    case 'obligation_breached':
      subject = en
        ? `[BreachPact] OVERDUE: ${p.clause?.en ?? ''} — ${p.incidentTitle}`
        : `【BreachPact】期限超過：${p.clause?.ja ?? ''}（${p.incidentTitle}）`;
      lead = en
        ? `This duty was due ${due} and has not been met. Please act now and record it in BreachPact.`
        : `この義務の期限（${due}）を過ぎていますが、まだ履行されていません。至急対応し、BreachPact に記録してください。`;
      break;
    case 'incident_dismissed':
      subject = en
        ? `[BreachPact] ${p.fromOrganization} found it was not an incident: ${p.incidentTitle}`
        : `【BreachPact】${p.fromOrganization}が非該当（情報漏えい事故に当たらない）と判断しました：${p.incidentTitle}`;
      lead = en
        ? `${p.fromOrganization} marked this incident as not an incident (dismissed).${p.detail ? ` Reason: ${p.detail}` : ''} Its Art 3.1 notice stays owed until sent or waived.`
        : `${p.fromOrganization}がこの事故を非該当（情報漏えい事故に当たらない）と判断しました。${p.detail ? `理由：${p.detail}` : ''}第3条第1項の通知義務は、通知または免除まで残ります。`;
      break;
    case 'incident_registered':
      subject = en
        ? `[BreachPact] Incident registered on your side — notify ${p.fromOrganization} by ${due}: ${p.incidentTitle}`
        : `【BreachPact】当社側で事故が登録されました（第一報の期限 ${due}）：${p.incidentTitle}`;
      lead = en
        ? `An incident (or the risk of one) was registered on your organisation's side. Under Art 3.1, send the first notice to ${p.fromOrganization} by ${due}; the clock runs from the discovery time. Until then ${p.fromOrganization} does not see it.`
        : `当社側で情報漏えい事故（発生のおそれを含む）が登録されました。第3条第1項により、${due}までに${p.fromOrganization}へ第一報を送信してください（期限は発覚日時から進行します）。第一報を送るまで、相手方にはこの事故は表示されません。`;
      break;
    case 'incident_dismissed_own':
      subject = en
        ? `[BreachPact] Marked as not an incident: ${p.incidentTitle}`
        : `【BreachPact】非該当（情報漏えい事故に当たらない）と判断されました：${p.incidentTitle}`;
      lead = en
        ? `This incident was marked as not an incident.${p.detail ? ` Reason: ${p.detail}` : ''}${due ? ` The Art 3.1 notice is still owed: send a short first notice saying it was not an incident by ${due}, or have ${p.fromOrganization} waive it.` : ''}`
        : `この事故は非該当（情報漏えい事故に当たらない）と判断されました。${p.detail ? `理由：${p.detail}` : ''}${due ? `第3条第1項の通知義務は残ります。${due}までに非該当であった旨の第一報を送信するか、${p.fromOrganization}に免除を求めてください。` : ''}`;
      break;
    case 'incident_closed':
      subject = en
        ? `[BreachPact] Incident closed: ${p.incidentTitle}`
        : `【BreachPact】事故が終結しました：${p.incidentTitle}`;
      lead = en
        ? `The incident was closed. Nothing more can be sent under Art 3; duties still open stay owed until met or waived — check the incident page.`
        : `この事故は終結しました。第3条の通知等は今後送信できません。未履行の義務が残っている場合、その義務は履行または免除まで残ります。事故のページで確認してください。`;
      break;
    case 'discovery_correction_requested':
      subject = en
        ? `[BreachPact] ${p.fromOrganization} asks to correct the discovery time: ${p.incidentTitle}`
        : `【BreachPact】${p.fromOrganization}から発覚日時の訂正申請：${p.incidentTitle}`;
      lead = en
        ? `${p.fromOrganization} asks to move the discovery time later. The clocks change only if you accept.${p.detail ? ` Reason: ${p.detail}` : ''}`
        : `${p.fromOrganization}から発覚日時を後ろにずらす訂正の申請がありました。承認するまで期限は変わりません。${p.detail ? `理由：${p.detail}` : ''}`;
      break;
    case 'discovery_correction_decided':
      subject = en
        ? `[BreachPact] ${p.fromOrganization} decided on your discovery-time correction: ${p.incidentTitle}`
        : `【BreachPact】${p.fromOrganization}が発覚日時の訂正申請を判断しました：${p.incidentTitle}`;
      lead = en ? `Decision: ${p.detail ?? ''}` : `判断：${p.detail ?? ''}`;
      break;
    // Art 5.1: the counterparty's prior consent to a third-party disclosure.
    case 'disclosure_consent_requested':
      subject = en
        ? `[BreachPact] ${p.fromOrganization} asks for your consent to a third-party disclosure (Art 5.1): ${p.incidentTitle}`
        : `【BreachPact】${p.fromOrganization}から第三者開示の事前承諾の依頼（第5条第1項）：${p.incidentTitle}`;
      lead = en
        ? `${p.fromOrganization} asks for your prior consent to disclose information on this incident to a third party. Nothing may be disclosed until your legal or owner consents.\n\n${p.detail ?? ''}`
        : `${p.fromOrganization}から、この事故に関する情報を第三者へ開示することについて事前承諾を求められています。貴社の法務担当またはオーナーが承諾するまで開示はできません。\n\n${p.detail ?? ''}`;
      break;
    // Art 5.2: the prior notice of a disclosure under the Art 5.1 proviso (law, court, authority).
    case 'disclosure_excepted':
      subject = en
        ? `[BreachPact] Prior notice: ${p.fromOrganization} will disclose to a third party under the Art 5.1 proviso: ${p.incidentTitle}`
        : `【BreachPact】事前通知：${p.fromOrganization}が第5条第1項ただし書により第三者へ開示します：${p.incidentTitle}`;
      lead = en
        ? `${p.fromOrganization} notifies you (Art 5.2) that it will disclose information on this incident to a third party on a legal basis that needs no consent.\n\n${p.detail ?? ''}`
        : `${p.fromOrganization}から、法令等に基づき承諾を要しない第三者開示を行う旨の通知です（第5条第2項）。\n\n${p.detail ?? ''}`;
      break;
    case 'disclosure_decided':
      subject = en
        ? `[BreachPact] ${p.fromOrganization} decided on your third-party disclosure: ${p.incidentTitle}`
        : `【BreachPact】${p.fromOrganization}が第三者開示の申請を判断しました：${p.incidentTitle}`;
      lead = en ? `Decision: ${p.detail ?? ''}` : `判断：${p.detail ?? ''}`;
      break;
    // Art 6.2: an announcement made in an emergency without consultation; the other party is told at once.
    case 'announcement_emergency_published':
      subject = en
        ? `[BreachPact] ${p.fromOrganization} made an emergency announcement without consultation (Art 6.2): ${p.incidentTitle}`
        : `【BreachPact】${p.fromOrganization}が協議を経ずに緊急の公表を行いました（第6条第2項）：${p.incidentTitle}`;
      lead = en
        ? `${p.fromOrganization} published an announcement on this incident without your approval, as an emergency under Art 6.2. It must consult you afterwards.\n\n${p.detail ?? ''}`
        : `${p.fromOrganization}が、第6条第2項の緊急の場合として、貴社の承認を経ずにこの事故について公表しました。公表後、貴社との協議が必要です。\n\n${p.detail ?? ''}`;
      break;
    case 'disclosure_disclosed':
      subject = en
        ? `[BreachPact] ${p.fromOrganization} disclosed to a third party: ${p.incidentTitle}`
        : `【BreachPact】${p.fromOrganization}が第三者への開示を実施しました：${p.incidentTitle}`;
      lead = en
        ? `${p.fromOrganization} recorded a disclosure of information on this incident to a third party (Art 5).\n\n${p.detail ?? ''}`
        : `${p.fromOrganization}が、この事故に関する情報の第三者への開示を記録しました（第5条）。\n\n${p.detail ?? ''}`;
      break;
  }
  // Every deadline in the footer with its weekday and the time left when the mail was written.
  const nowMs = p.now ? Date.parse(p.now) : NaN;
  const lang = en ? 'en' : 'ja';
  const dueLine = (iso: string) =>
    Number.isNaN(nowMs) ? tokyo(iso, p.locale) : formatDueWithLeft(iso, nowMs, lang);
  const nextText = nextLines(p, dueLine, en);
  const text = en
    ? `${p.name},\n\n${lead}\n\nIncident: ${p.incidentTitle}\n${p.clause ? `Duty: ${p.clause.en}\n` : ''}${
        p.dueAt ? `Due: ${dueLine(p.dueAt)}\n` : ''
      }${nextText}\nOpen it in BreachPact:\n${p.link}\n`
    : `${p.name} 様\n\n${lead}\n\n事故：${p.incidentTitle}\n${p.clause ? `義務：${p.clause.ja}\n` : ''}${
        p.dueAt ? `期限：${dueLine(p.dueAt)}\n` : ''
      }${nextText}\nBreachPact で開く：\n${p.link}\n`;
  return { to: p.to, subject, text, locale: p.locale };
}

/** 「次にやること」: the recipient party's soonest unmet duty on the incident and its deadline. */
function nextLines(p: IncidentMailInput, dueLine: (iso: string) => string, en: boolean): string {
  if (p.next === undefined) return '';
  if (p.next === null)
    return en
      ? `\nNext: nothing is due from your organisation on this incident now.\n`
      : `\n次にやること：この事故で貴社が期限までに行うべき義務は、現在ありません。\n`;
  // A reminder about that very duty already says it above.
  if (
    p.clause &&
    p.dueAt &&
    p.clause.ja === p.next.title.ja &&
    Date.parse(p.dueAt) === Date.parse(p.next.dueAt)
  )
    return en
      ? `\nNext: record ${p.next.fulfilledBy.en} in BreachPact.\n`
      : `\n次にやること：${p.next.fulfilledBy.ja}を BreachPact に記録してください。\n`;
  return en
    ? `\nNext: ${p.next.title.en} — record ${p.next.fulfilledBy.en} in BreachPact, ${dueLine(p.next.dueAt)}.\n`
    : `\n次にやること：${p.next.title.ja}（${p.next.fulfilledBy.ja}を BreachPact に記録）\n期限：${dueLine(p.next.dueAt)}\n`;
}
