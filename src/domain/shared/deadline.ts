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
