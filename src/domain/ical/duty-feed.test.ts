import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { reminderTimes } from '../obligation/engine.js';
import { FEED_PRODID, renderDutyFeed, type FeedDuty } from './duty-feed.js';
import { escapeText, foldLine } from './ics.js';

const ms = (iso: string) => Date.parse(iso);
const octets = (s: string) => new TextEncoder().encode(s).length;

const duty = (over: Partial<FeedDuty> = {}): FeedDuty => ({
  id: 'obl_0123456789abcdefghjkmnpqrstvwxy',
  clause: '3.1',
  incidentId: 'inc_01',
  owedBy: 'B',
  startsAtMs: ms('2026-11-27T14:40:00Z'),
  dueAtMs: ms('2026-11-28T14:40:00Z'),
  state: 'open',
  basis: {
    article: '第3条第1項',
    rule: { ja: '発見から24時間以内に、相手方へ通知する', en: 'Notify within 24 hours' },
  },
  incidentTitle: '再委託先でのマルウェア感染',
  owedByUs: true,
  owedByName: '乙システム株式会社',
  ...over,
});

const parse = (text: string) => new ICAL.Component(ICAL.parse(text));

describe('iCalendar writer', () => {
  it('escapes backslash, semicolon, comma and line breaks in TEXT', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });

  it('folds at 75 octets without cutting a multi-byte character', () => {
    const line = `SUMMARY:${'期限'.repeat(60)}`;
    const folded = foldLine(line);
    const physical = folded.split('\r\n');
    expect(physical.length).toBeGreaterThan(1);
    for (const p of physical) expect(octets(p)).toBeLessThanOrEqual(75);
    expect(physical.slice(1).every((p) => p.startsWith(' '))).toBe(true);
    expect(physical.map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(line);
    expect(foldLine('SHORT:x')).toBe('SHORT:x');
  });
});

describe('duty feed', () => {
  const open = duty();
  const theirs = duty({
    id: 'obl_zzzz',
    clause: '3.3',
    owedBy: 'A',
    owedByUs: false,
    owedByName: '甲商事株式会社',
    incidentTitle: 'タイトル, セミコロン; バックスラッシュ \\ 改行\nあり',
    state: 'breached',
    dueAtMs: ms('2026-11-26T00:00:00Z'),
    startsAtMs: ms('2026-11-25T00:00:00Z'),
  });
  const text = renderDutyFeed({
    locale: 'ja',
    publicUrl: 'https://bp.example.jp/',
    organizationName: '乙システム株式会社',
    nowMs: ms('2026-11-28T01:00:00Z'),
    duties: [open, theirs],
  });

  it('is CRLF-terminated, every physical line at most 75 octets', () => {
    expect(text.endsWith('\r\n')).toBe(true);
    const lines = text.split('\r\n').slice(0, -1);
    for (const l of lines) expect(octets(l), l).toBeLessThanOrEqual(75);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('parses as one VCALENDAR with the calendar properties', () => {
    const cal = parse(text);
    expect(cal.name).toBe('vcalendar');
    expect(cal.getFirstPropertyValue('prodid')).toBe(FEED_PRODID);
    expect(cal.getFirstPropertyValue('version')).toBe('2.0');
    expect(cal.getFirstPropertyValue('calscale')).toBe('GREGORIAN');
    expect(cal.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(cal.getFirstPropertyValue('x-wr-calname')).toBe('BreachPact 期限（乙システム株式会社）');
  });

  it('has one VEVENT per duty: UID, DTSTART at the due time (UTC), 15 minutes, summary, link, alarms at 50 % and 90 %', () => {
    const events = parse(text).getAllSubcomponents('vevent');
    expect(events).toHaveLength(2);
    for (const [i, d] of [open, theirs].entries()) {
      const ev = new ICAL.Event(events[i] as ICAL.Component);
      expect(ev.uid).toBe(`${d.id}@bp.example.jp`);
      expect(ev.startDate.toJSDate().getTime()).toBe(d.dueAtMs);
      expect(ev.startDate.zone?.tzid).toBe('UTC');
      expect(ev.endDate.toJSDate().getTime()).toBe(d.dueAtMs + 15 * 60_000);
      expect(events[i]?.getFirstPropertyValue('url')).toBe(`https://bp.example.jp/incidents/${d.incidentId}`);
      const alarms = (events[i] as ICAL.Component).getAllSubcomponents('valarm');
      const triggers = alarms.map((a) =>
        (a.getFirstPropertyValue('trigger') as ICAL.Time).toJSDate().getTime(),
      );
      const t = reminderTimes(d);
      expect(triggers).toEqual([t.half, t.ninety]);
      expect(alarms.every((a) => a.getFirstPropertyValue('action') === 'DISPLAY')).toBe(true);
    }
    const first = new ICAL.Event(events[0] as ICAL.Component);
    expect(first.summary).toBe('【期限】第3条第1項 相手方への通知 — 再委託先でのマルウェア感染');
    expect(first.description).toContain('義務を負う当事者：当社（乙システム株式会社）');
    expect(first.description).toContain('根拠：第3条第1項 — 発見から24時間以内に、相手方へ通知する');
    expect(first.description).toContain('期限：2026年11月28日（土）23時40分');
    expect(first.description).toContain('https://bp.example.jp/incidents/inc_01');
  });

  it('round-trips escaped text and marks an overdue duty and the other party', () => {
    const ev = new ICAL.Event(parse(text).getAllSubcomponents('vevent')[1] as ICAL.Component);
    expect(ev.summary).toMatch(/^【期限超過】第3条第3項 /);
    expect(ev.summary).toContain('タイトル, セミコロン; バックスラッシュ \\ 改行\nあり');
    expect(ev.description).toContain('義務を負う当事者：相手方（甲商事株式会社）');
  });

  it('speaks English for an en user', () => {
    const en = renderDutyFeed({
      locale: 'en',
      publicUrl: 'http://localhost:3000',
      organizationName: 'Otsu Systems',
      nowMs: ms('2026-11-28T01:00:00Z'),
      duties: [open],
    });
    const ev = new ICAL.Event(parse(en).getFirstSubcomponent('vevent') as ICAL.Component);
    expect(ev.summary).toMatch(/^\[Due\] Art 3\.1 notify the counterparty — /);
    expect(ev.uid).toBe(`${open.id}@localhost`);
    expect(ev.description).toContain('Owed by: us (乙システム株式会社)');
    expect(ev.description).toContain('Due: Sat 28 Nov 2026, 23:40 JST');
  });

  it('an empty feed is still a valid calendar', () => {
    const cal = parse(
      renderDutyFeed({ locale: 'ja', publicUrl: 'http://x', organizationName: 'X', nowMs: 0, duties: [] }),
    );
    expect(cal.getAllSubcomponents('vevent')).toEqual([]);
  });
});
