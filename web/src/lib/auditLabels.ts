/**
 * How an audit event reads in the list: the notice it sent or acknowledged by name (第一報 /
 * 続報（第2報）, not 「通知を送信」 for all of them), and who acted with their company.
 */
import type { AuditEvent, Locale } from '../api/types';
import { en } from '../i18n/en';
import { ja } from '../i18n/ja';

type Texts = typeof ja;
const texts: Record<Locale, Texts> = { ja, en: en as Texts };

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => values[k] ?? '');
}

/** The server's name of notice `number` (src/domain/incident/notice.ts noticeLabel). */
export function noticeName(number: number, lang: Locale): string {
  if (lang === 'en') return number === 1 ? 'First notice' : `Follow-up notice #${number}`;
  return number === 1 ? '第一報' : `続報（第${number}報）`;
}

/** The notice number a notice event carries (absent in the administrator's redacted payloads). */
function noticeNumber(payload: unknown): number | null {
  if (!payload || typeof payload !== 'object') return null;
  const n = (payload as { number?: unknown }).number;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 ? n : null;
}

/** 「第一報を送信」 / 「続報（第2報）の受領を確認」 / 「事故を登録」 …, or the raw action if unknown. */
export function auditActionText(e: Pick<AuditEvent, 'action' | 'payload'>, lang: Locale): string {
  const a = texts[lang].audit;
  const n = noticeNumber(e.payload);
  if (n !== null && e.action === 'notice.sent') return fill(a.noticeSent, { label: noticeName(n, lang) });
  if (n !== null && e.action === 'notice.acknowledged')
    return fill(a.noticeAcknowledged, { label: noticeName(n, lang) });
  return (a.actions as Record<string, string>)[e.action] ?? e.action;
}

export interface PartyOrgs {
  partyA: { id: string; name: string };
  partyB: { id: string; name: string };
}

/**
 * 「乙山 次郎（乙システムズ株式会社）」: the actor and the company it acted for, which in a list
 * shared by two companies is the first thing a reader asks. The administrator (no company) is
 * named as such; the system as 「システム」.
 */
export function auditActorText(actor: AuditEvent['actor'], parties: PartyOrgs | null, lang: Locale): string {
  const a = texts[lang].audit;
  if (actor.userId === null && actor.name === null) return a.system;
  const name = actor.name ?? actor.userId ?? a.system;
  const org =
    actor.organizationId === null
      ? actor.userId !== null
        ? texts[lang].roles.admin
        : null
      : parties && actor.organizationId === parties.partyA.id
        ? parties.partyA.name
        : parties && actor.organizationId === parties.partyB.id
          ? parties.partyB.name
          : null;
  return org ? fill(a.actorWithOrg, { name, org }) : name;
}
