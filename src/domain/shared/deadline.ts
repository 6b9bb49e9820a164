const TOKYO = 'Asia/Tokyo';
const dueParts = new Intl.DateTimeFormat('en-US', {
  timeZone: TOKYO,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const JA_WEEKDAY: Record<string, string> = {
  Sun: '日',
  Mon: '月',
  Tue: '火',
  Wed: '水',
  Thu: '木',
  Fri: '金',
  Sat: '土',
};
const EN_MONTH = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A deadline as people read it, in Japan time with its weekday: 「2026年12月1日（火）4時48分」 /
 * "Tue 1 Dec 2026, 04:48 JST" — a Friday-night responder must see at once that it is Monday's.
 */
export function formatDue(instant: string | null | undefined, lang: 'ja' | 'en'): string {
  if (!instant) return '—';
  const d = new Date(instant);
  if (Number.isNaN(d.getTime())) return instant;
  const p = Object.fromEntries(dueParts.formatToParts(d).map((x) => [x.type, x.value]));
  const hour = Number(p.hour);
  return lang === 'ja'
    ? `${p.year}年${p.month}月${p.day}日（${JA_WEEKDAY[p.weekday ?? ''] ?? ''}）${hour}時${p.minute}分`
    : `${p.weekday} ${p.day} ${EN_MONTH[Number(p.month) - 1]} ${p.year}, ${String(hour).padStart(2, '0')}:${p.minute} JST`;
}

const UNITS: Record<'ja' | 'en', { d: string; h: string; m: string; sep: string }> = {
  ja: { d: '日', h: '時間', m: '分', sep: '' },
  en: { d: ' d', h: ' h', m: ' min', sep: ' ' },
};

/**
 * A span for a clock: `3時間12分`, `1日4時間`, `2時間`, `25分` (ja) / `3 h 12 min` (en). Days drop
 * the minutes; zero parts are left out; under a minute reads as `0分`. Exact hours and minutes of
 * elapsed time (Civil Code 139: a period in hours runs from the moment).
 */
export function formatDuration(ms: number, lang: 'ja' | 'en'): string {
  const u = UNITS[lang];
  const totalMin = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(totalMin / 1440);
  const hours = Math.floor((totalMin % 1440) / 60);
  const minutes = totalMin % 60;
  const parts: string[] = [];
  if (days > 0) parts.push(`${days}${u.d}`);
  if (hours > 0) parts.push(`${hours}${u.h}`);
  if (days === 0 && (minutes > 0 || parts.length === 0)) parts.push(`${minutes}${u.m}`);
  return parts.join(u.sep);
}

/** The time left until `dueAtMs` at `nowMs`: 「あと17時間」 / '17 h left'; once past, 「2時間超過」 / '2 h overdue'. */
export function timeLeft(dueAtMs: number, nowMs: number, lang: 'ja' | 'en'): string {
  const left = dueAtMs - nowMs;
  const span = formatDuration(left, lang);
  if (left < 0) return lang === 'ja' ? `${span}超過` : `${span} overdue`;
  return lang === 'ja' ? `あと${span}` : `${span} left`;
}

/**
 * A deadline with its weekday and the time left, as mail and documents say it:
 * 「2026年12月1日（火）4時48分まで（あと17時間）」 / 'by Tue 1 Dec 2026, 04:48 JST (17 h left)'.
 */
export function formatDueWithLeft(instant: string, nowMs: number, lang: 'ja' | 'en'): string {
  const due = formatDue(instant, lang);
  const dueMs = Date.parse(instant);
  if (Number.isNaN(dueMs)) return due;
  const left = timeLeft(dueMs, nowMs, lang);
  return lang === 'ja' ? `${due}まで（${left}）` : `by ${due} (${left})`;
}

/** The work queue's groups: 期限超過 / 24時間以内 / 7日以内 / それ以降 (exact hours from `nowMs`). */
export type DueGroup = 'overdue' | 'day' | 'week' | 'later';
export const DUE_GROUPS: readonly DueGroup[] = ['overdue', 'day', 'week', 'later'];
export const DUE_GROUP_LABELS: Readonly<Record<DueGroup, { ja: string; en: string }>> = {
  overdue: { ja: '期限超過', en: 'Overdue' },
  day: { ja: '24時間以内', en: 'Within 24 hours' },
  week: { ja: '7日以内', en: 'Within 7 days' },
  later: { ja: 'それ以降', en: 'Later' },
};

const HOUR_MS = 3_600_000;

export function dueGroup(dueAtMs: number, nowMs: number): DueGroup {
  const left = dueAtMs - nowMs;
  if (left < 0) return 'overdue';
  if (left <= 24 * HOUR_MS) return 'day';
  if (left <= 7 * 24 * HOUR_MS) return 'week';
  return 'later';
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const EN_WEEKDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const JA_WEEKDAY_BY_INDEX = ['日', '月', '火', '水', '木', '金', '土'];

/**
 * A contractual date (a Japan calendar date, `YYYY-MM-DD`) with its weekday: 「2027年3月31日（水）」 /
 * 'Wed 31 Mar 2027'. The weekday is computed on the calendar date itself (no time zone involved).
 */
export function formatDateWithWeekday(iso: string | null | undefined, lang: 'ja' | 'en'): string {
  if (!iso) return '—';
  const m = ISO_DATE.exec(iso);
  if (!m) return iso;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return iso;
  const wd = date.getUTCDay();
  return lang === 'ja'
    ? `${y}年${mo}月${d}日（${JA_WEEKDAY_BY_INDEX[wd]}）`
    : `${EN_WEEKDAY[wd]} ${d} ${EN_MONTH[mo - 1]} ${y}`;
}
