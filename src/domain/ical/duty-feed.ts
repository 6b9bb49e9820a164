import { clauseEntry, reminderTimes } from '../obligation/engine.js';
import type { Basis, Clause, ObligationState, PartyCode } from '../obligation/types.js';
import { renderIcs, utcDateTime, type IcsComponent, type IcsProperty } from './ics.js';

/**
 * The per-user calendar feed of an organisation's open duties (issue 8, item 4), as iCalendar text.
 *
 * Times are written in UTC (`DTSTART:20261201T194800Z`), not as `TZID=Asia/Tokyo` with a VTIMEZONE:
 * a UTC instant is exact and needs no time-zone definition, Outlook and Google Calendar both show it
 * in the viewer's own zone, and it avoids the known trouble spots of TZID (Outlook matches TZIDs
 * against Windows zone names and may ignore or mis-map an embedded VTIMEZONE; Google ignores
 * VTIMEZONE and resolves only IANA names). Japan has no DST, so nothing is lost.
 */

export type FeedLocale = 'ja' | 'en';

export interface FeedDuty {
  id: string;
  clause: Clause;
  incidentId: string;
  owedBy: PartyCode;
  startsAtMs: number;
  dueAtMs: number;
  state: ObligationState;
  basis: Basis;
  incidentTitle: string;
  /** Whether the feed owner's organisation owes it (当社) or the other party (相手方). */
  owedByUs: boolean;
  /** The name of the organisation that owes it. */
  owedByName: string;
}

export interface DutyFeedInput {
  locale: FeedLocale;
  /** The app's public URL (no trailing slash needed): links and the UID's host come from it. */
  publicUrl: string;
  organizationName: string;
  /** When the feed is generated (DTSTAMP). */
  nowMs: number;
  duties: readonly FeedDuty[];
  /** Length of each event; 15 minutes unless told. */
  durationMinutes?: number;
}

export const FEED_PRODID = '-//BreachPact//Obligation deadlines 1.0//EN';

const WEEKDAYS = {
  ja: ['日', '月', '火', '水', '木', '金', '土'],
  en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
};
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Japan Standard Time (UTC+9, no DST since 1951). */
const JST_OFFSET_MS = 9 * 3600 * 1000;

/** 「2026年12月1日（火）4時48分」 / "Tue 1 Dec 2026, 04:48 JST". */
export function japanTime(ms: number, locale: FeedLocale): string {
  const d = new Date(ms + JST_OFFSET_MS);
  const [y, mo, day, wd, h, mi] = [
    d.getUTCFullYear(),
    d.getUTCMonth(),
    d.getUTCDate(),
    d.getUTCDay(),
    d.getUTCHours(),
    d.getUTCMinutes(),
  ];
  if (locale === 'ja')
    return `${y}年${mo + 1}月${day}日（${WEEKDAYS.ja[wd]}）${h}時${String(mi).padStart(2, '0')}分`;
  const hh = String(h).padStart(2, '0');
  const mm = String(mi).padStart(2, '0');
  return `${WEEKDAYS.en[wd]} ${day} ${MONTHS_EN[mo]} ${y}, ${hh}:${mm} JST`;
}

function base(publicUrl: string): string {
  return publicUrl.replace(/\/+$/, '');
}

/** The host part of UIDs: stable for an installation (the public URL's host). */
export function uidHost(publicUrl: string): string {
  try {
    return new URL(publicUrl).hostname || 'breachpact';
  } catch {
    return 'breachpact';
  }
}

export function dutySummary(d: FeedDuty, locale: FeedLocale): string {
  const entry = clauseEntry(d.clause);
  const citation = entry?.citation[locale] ?? d.clause;
  const title = entry?.title[locale] ?? '';
  // Registry titles already start with the citation (「第3条第1項 相手方への通知」).
  const clause = !title ? citation : title.startsWith(citation) ? title : `${citation} ${title}`;
  if (locale === 'ja') {
    return `${d.state === 'breached' ? '【期限超過】' : '【期限】'}${clause} — ${d.incidentTitle}`;
  }
  return `${d.state === 'breached' ? '[Overdue]' : '[Due]'} ${clause} — ${d.incidentTitle}`;
}

export function dutyDescription(d: FeedDuty, locale: FeedLocale, link: string): string {
  const rule = `${d.basis.article} — ${d.basis.rule[locale]}`;
  if (locale === 'ja') {
    return [
      `義務を負う当事者：${d.owedByUs ? '当社' : '相手方'}（${d.owedByName}）`,
      `期限：${japanTime(d.dueAtMs, 'ja')}${d.state === 'breached' ? '（期限超過）' : ''}`,
      `根拠：${rule}`,
      `事故：${d.incidentTitle}`,
      `対応する：${link}`,
    ].join('\n');
  }
  return [
    `Owed by: ${d.owedByUs ? 'us' : 'the other party'} (${d.owedByName})`,
    `Due: ${japanTime(d.dueAtMs, 'en')}${d.state === 'breached' ? ' (overdue)' : ''}`,
    `Basis: ${rule}`,
    `Incident: ${d.incidentTitle}`,
    `Open: ${link}`,
  ].join('\n');
}

function alarm(atMs: number, text: string): IcsComponent {
  return {
    name: 'VALARM',
    properties: [
      { name: 'ACTION', value: 'DISPLAY', kind: 'raw' },
      { name: 'DESCRIPTION', value: text },
      { name: 'TRIGGER', params: { VALUE: 'DATE-TIME' }, value: utcDateTime(atMs), kind: 'raw' },
    ],
  };
}

export function dutyEvent(d: FeedDuty, input: DutyFeedInput): IcsComponent {
  const { locale } = input;
  const link = `${base(input.publicUrl)}/incidents/${encodeURIComponent(d.incidentId)}`;
  const summary = dutySummary(d, locale);
  const times = reminderTimes(d);
  const minutes = input.durationMinutes ?? 15;
  const properties: IcsProperty[] = [
    { name: 'UID', value: `${d.id}@${uidHost(input.publicUrl)}` },
    { name: 'DTSTAMP', value: utcDateTime(input.nowMs), kind: 'raw' },
    { name: 'DTSTART', value: utcDateTime(d.dueAtMs), kind: 'raw' },
    { name: 'DURATION', value: `PT${minutes}M`, kind: 'raw' },
    { name: 'SUMMARY', value: summary },
    { name: 'DESCRIPTION', value: dutyDescription(d, locale, link) },
    { name: 'URL', params: { VALUE: 'URI' }, value: link, kind: 'raw' },
    { name: 'CATEGORIES', value: 'BreachPact' },
    { name: 'STATUS', value: 'CONFIRMED', kind: 'raw' },
    // A deadline, not a meeting: it does not make the user busy.
    { name: 'TRANSP', value: 'TRANSPARENT', kind: 'raw' },
    { name: 'CLASS', value: 'PRIVATE', kind: 'raw' },
  ];
  const half = locale === 'ja' ? `期限まで残り半分：${summary}` : `Half the time left: ${summary}`;
  const ninety = locale === 'ja' ? `期限まで残り1割：${summary}` : `10 % of the time left: ${summary}`;
  return { name: 'VEVENT', properties, components: [alarm(times.half, half), alarm(times.ninety, ninety)] };
}

/** The whole VCALENDAR: one VEVENT per duty, in the given order. */
export function renderDutyFeed(input: DutyFeedInput): string {
  const calName =
    input.locale === 'ja'
      ? `BreachPact 期限（${input.organizationName}）`
      : `BreachPact deadlines (${input.organizationName})`;
  const calDesc =
    input.locale === 'ja'
      ? '覚書に基づく当社・相手方の未了の義務（期限超過を含む）'
      : 'Open and overdue duties under the memorandum, ours and the other party’s';
  return renderIcs({
    name: 'VCALENDAR',
    properties: [
      { name: 'PRODID', value: FEED_PRODID, kind: 'raw' },
      { name: 'VERSION', value: '2.0', kind: 'raw' },
      { name: 'CALSCALE', value: 'GREGORIAN', kind: 'raw' },
      { name: 'METHOD', value: 'PUBLISH', kind: 'raw' },
      { name: 'X-WR-CALNAME', value: calName },
      { name: 'X-WR-CALDESC', value: calDesc },
      // Refresh hints (RFC 7986 and Outlook's): deadlines move, so ask for a refresh every 15 minutes.
      { name: 'REFRESH-INTERVAL', params: { VALUE: 'DURATION' }, value: 'PT15M', kind: 'raw' },
      { name: 'X-PUBLISHED-TTL', value: 'PT15M', kind: 'raw' },
    ],
    components: input.duties.map((d) => dutyEvent(d, input)),
  });
}
