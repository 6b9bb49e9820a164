/**
 * Japanese calendar facts about a contractual date: whether it falls on a Saturday, a Sunday or a
 * national holiday (国民の祝日に関する法律; data from @holiday-jp/holiday_jp, legal-rules §6, through
 * 2050 — later dates only get their weekend flagged).
 *
 * These are notes, never moves: 民法第142条 extends a period ending on a Sunday or holiday only
 * where a custom of not trading on that day exists, and the memorandum's dates are not moved
 * (legal-rules §2). The UI shows the note so the parties can act a working day early.
 */
import holidayJp from '@holiday-jp/holiday_jp';
import type { Temporal } from './time.js';

export type WeekendDay = 'saturday' | 'sunday';
export type HolidayKind = 'national' | 'substitute' | 'citizens';

export interface Holiday {
  kind: HolidayKind;
  /** 元日, 振替休日, 国民の休日 */
  ja: string;
  /** New Year's Day, Substitute holiday, Citizens' holiday */
  en: string;
}

export interface DateNote {
  /** YYYY-MM-DD */
  date: string;
  weekend: WeekendDay | null;
  holiday: Holiday | null;
  /** Badge texts, one per fact: 土曜日 / 日曜日 / 祝日（元日） / 振替休日 / 国民の休日. */
  labels: Array<{ ja: string; en: string }>;
}

const HOLIDAYS: Readonly<Record<string, { name: string; name_en: string } | undefined>> = holidayJp.holidays;
const SUBSTITUTE_SUFFIX = ' 振替休日';

/** The national holiday on `iso` (YYYY-MM-DD), or null. */
export function holidayOn(iso: string): Holiday | null {
  const h = HOLIDAYS[iso];
  if (!h) return null;
  if (h.name.endsWith(SUBSTITUTE_SUFFIX)) {
    // 国民の祝日に関する法律 第3条第2項: the first weekday after a holiday falling on a Sunday. (The
    // data names it after the last holiday before it, not the one on the Sunday, so no name is given.)
    return { kind: 'substitute', ja: '振替休日', en: 'Substitute holiday' };
  }
  // 同法第3条第3項: a day between two holidays (国民の休日), listed as 休日.
  if (h.name === '休日') return { kind: 'citizens', ja: '国民の休日', en: "Citizens' holiday" };
  return { kind: 'national', ja: h.name, en: h.name_en };
}

/** Saturday, Sunday and holiday facts of `date`; null for an ordinary weekday. */
export function dateNote(date: Temporal.PlainDate): DateNote | null {
  const iso = date.toString();
  // Temporal: dayOfWeek 1 = Monday … 7 = Sunday.
  const weekend: WeekendDay | null =
    date.dayOfWeek === 6 ? 'saturday' : date.dayOfWeek === 7 ? 'sunday' : null;
  const holiday = holidayOn(iso);
  if (weekend === null && holiday === null) return null;
  const labels: Array<{ ja: string; en: string }> = [];
  if (weekend === 'saturday') labels.push({ ja: '土曜日', en: 'Saturday' });
  if (weekend === 'sunday') labels.push({ ja: '日曜日', en: 'Sunday' });
  if (holiday) {
    labels.push(
      holiday.kind === 'national'
        ? { ja: `祝日（${holiday.ja}）`, en: `Holiday (${holiday.en})` }
        : { ja: holiday.ja, en: holiday.en },
    );
  }
  return { date: iso, weekend, holiday, labels };
}
