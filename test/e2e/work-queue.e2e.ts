/**
 * Issue 8 "Done when": the work queue (対応状況) is the first screen after login. Set up through the
 * API: 甲 and 乙 with a responder each, an agreement signed a month ago (Art 3.1 notice 24 h, Art 3.3
 * containment 48 h), and two incidents on 乙's side —
 *   X: discovered 40 h ago, 第一報 sent and 乙's containment recorded; 甲 asked for further items
 *      (乙 owes the Art 3.2(6) answer) and owes its own Art 3.3 decision (48 h from the notice);
 *   Y: discovered 20 h ago and not yet notified: 乙's Art 3.1 notice is due in about 4 hours.
 * 乙's responder (phone) and 甲's responder (desktop) each log in, see their soonest duty on the
 * first screen with its weekday and the button that settles it, settle it from there and see it
 * leave the open groups; each one's .ics feed, parsed with ical.js, lists the same open duties as
 * the queue. The last test saves the screenshots named in docs/screenshots/ (with UPDATE_SCREENSHOTS=1).
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { formatDue } from '../../src/domain/shared/deadline.js';
import {
  ADMIN,
  ApiClient,
  checkPrerequisites,
  eventually,
  launchChromium,
  ROOT,
  screenshotWholePage,
  startServer,
  type RunningServer,
} from './harness.js';

const ORG_A = {
  name: '株式会社甲データ',
  address: '東京都千代田区丸の内一丁目1番1号',
  representative: '代表取締役 甲野 一郎',
};
const ORG_B = {
  name: '乙システムズ株式会社',
  address: '大阪府大阪市北区梅田二丁目2番2号',
  representative: '代表取締役 乙川 花子',
};
const RESPONDER_A = { email: 'csirt@kou.example.jp', password: 'kou-csirt-password-1', name: '甲田 三郎' };
const RESPONDER_B = { email: 'csirt@otsu.example.jp', password: 'otsu-csirt-password-1', name: '乙山 次郎' };
const TITLE_X = '委託先の作業端末のマルウェア感染';
const TITLE_Y = '配送ラベルの誤印字による宛先漏えいのおそれ';
/**
 * The committed screenshots are refreshed only on purpose (`UPDATE_SCREENSHOTS=1`), so an ordinary
 * run leaves the tree clean; otherwise they go to a temporary folder (the pages are still drawn).
 */
const SHOTS = process.env.UPDATE_SCREENSHOTS
  ? join(ROOT, 'docs/screenshots')
  : mkdtempSync(join(tmpdir(), 'breachpact-shots-'));
const HOUR = 3_600_000;

interface QueueRow {
  id: string;
  clause: string;
  dueAt: string;
  owedByUs: boolean;
  state: string;
  incident: { id: string; title: string };
}

let server: RunningServer;
let browser: Browser | undefined;
let apiA: ApiClient;
let apiB: ApiClient;
let incidentX = '';
let incidentY = '';

/** iCalendar DATE-TIME has whole seconds: the feed's DTSTART is the due instant to the second. */
const toSecond = (iso: string) => Math.floor(Date.parse(iso) / 1000) * 1000;

function tokyoDaysAgo(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(Date.now() - days * 86_400_000);
}

async function login(p: Page, who: { email: string; password: string }): Promise<void> {
  await p.getByLabel('メールアドレス').fill(who.email);
  await p.getByLabel('パスワード').fill(who.password);
  await p.getByRole('button', { name: 'ログイン' }).click();
}

async function openRows(api: ApiClient): Promise<QueueRow[]> {
  return (await api.call<{ items: QueueRow[] }>('GET', '/api/v1/obligations?state=open,breached')).items;
}

/** The user's .ics feed, fetched at its secret URL without a session and parsed with ical.js. */
async function feedEvents(api: ApiClient): Promise<Array<{ uid: string; due: number; summary: string }>> {
  const feed = await api.call<{ id: string; url: string }>('POST', '/api/v1/calendar-feeds', {});
  const path = new URL(feed.url).pathname;
  expect(path).toMatch(/^\/api\/v1\/calendar\/[^/]+\.ics$/);
  const res = await fetch(`${server.baseUrl}${path}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/calendar');
  const calendar = new ICAL.Component(ICAL.parse(await res.text()));
  return calendar.getAllSubcomponents('vevent').map((c) => {
    const ev = new ICAL.Event(c);
    return { uid: ev.uid, due: ev.startDate.toJSDate().getTime(), summary: ev.summary };
  });
}

async function newContext(kind: 'desktop' | 'phone', lang: 'ja' | 'en' = 'ja'): Promise<BrowserContext> {
  const ctx = await browser!.newContext({
    viewport: kind === 'phone' ? { width: 390, height: 844 } : { width: 1280, height: 800 },
    ...(kind === 'phone' ? { isMobile: true, hasTouch: true } : {}),
    locale: lang === 'ja' ? 'ja-JP' : 'en-GB',
    timezoneId: 'Asia/Tokyo',
  });
  await ctx.addInitScript(`localStorage.setItem('bp.lang', '${lang}')`);
  return ctx;
}

/**
 * The first screen after login: the soonest of our own duties is there without scrolling, with its
 * weekday and its settling button. Returns its row (from the API) and its button.
 */
async function soonestOnFirstScreen(p: Page, api: ApiClient, height: number) {
  const rows = await openRows(api);
  const ours = rows.filter((r) => r.owedByUs).sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
  const soonest = ours[0]!;
  expect(soonest).toBeDefined();
  const queue = p.getByTestId('work-queue');
  await queue.getByRole('heading', { name: '対応状況' }).waitFor();
  // The page lists exactly what the API lists (ours and theirs).
  await eventually(async () => expect(await queue.getByTestId('work-item').count()).toBe(rows.length));
  // It leads the page (次にやること) and is listed in its group below.
  const item = queue.getByTestId('work-next').getByTestId('work-next-item');
  expect(await item.getAttribute('data-obligation-id')).toBe(soonest.id);
  expect(await queue.locator(`[data-testid="work-item"][data-obligation-id="${soonest.id}"]`).count()).toBe(
    1,
  );
  const text = (await item.innerText()).replace(/\s+/g, ' ');
  const due = formatDue(soonest.dueAt, 'ja');
  expect(due).toMatch(/（[日月火水木金土]）/);
  expect(text).toContain(due);
  expect(text).toMatch(/残り \d/);
  expect(text).toContain(soonest.incident.title);
  expect(text).toContain('当社（');
  const button = item.getByTestId('work-item-action');
  for (const el of [item, button]) {
    const box = await el.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height).toBeLessThanOrEqual(height);
  }
  expect(await p.evaluate<number>('window.scrollY')).toBe(0);
  return { soonest, rows, button };
}

/** The navigation's count of our overdue and due-within-24h duties, as a screen reader reads it. */
async function dutyCount(p: Page): Promise<string> {
  const badge = p.getByTestId('duty-count').first();
  await badge.waitFor({ state: 'attached' });
  return (await badge.textContent()) ?? '';
}

beforeAll(async () => {
  checkPrerequisites();
  server = await startServer();
  const admin = new ApiClient(server.baseUrl);
  await admin.login(ADMIN.email, ADMIN.password);
  const a = await admin.call<{ id: string }>('POST', '/api/v1/organizations', ORG_A);
  const b = await admin.call<{ id: string }>('POST', '/api/v1/organizations', ORG_B);
  await admin.call('POST', `/api/v1/organizations/${a.id}/users`, { ...RESPONDER_A, role: 'responder' });
  await admin.call('POST', `/api/v1/organizations/${b.id}/users`, { ...RESPONDER_B, role: 'responder' });
  const agreement = await admin.call<{ id: string; term: { status: string } }>('POST', '/api/v1/agreements', {
    partyA: a.id,
    partyB: b.id,
    signedOn: tokyoDaysAgo(30),
    parameters: { noticeTargetHours: 24, containmentTargetHours: 48, itemRequestMinHours: 24 },
  });
  expect(agreement.term.status).toBe('active');
  apiA = new ApiClient(server.baseUrl);
  await apiA.login(RESPONDER_A.email, RESPONDER_A.password);
  apiB = new ApiClient(server.baseUrl);
  await apiB.login(RESPONDER_B.email, RESPONDER_B.password);

  const report = async (title: string, hoursAgo: number) =>
    (
      await apiB.call<{ id: string }>('POST', `/api/v1/agreements/${agreement.id}/incidents`, {
        reportingParty: 'B',
        title,
        suspected: true,
        discoveredAt: new Date(Date.now() - hoursAgo * HOUR).toISOString(),
      })
    ).id;
  incidentX = await report(TITLE_X, 40);
  await apiB.call('POST', `/api/v1/incidents/${incidentX}/notices`, {
    items: {
      occurredOn: tokyoDaysAgo(2),
      summary: '作業端末でマルウェアを検知。顧客リストへの不審な通信あり。',
      informationScope: null,
      expectedImpact: null,
      measures: '当該端末をネットワークから遮断しました。',
      otherMatters: '続報は本日中にお送りします。',
    },
  });
  await apiB.call('POST', `/api/v1/incidents/${incidentX}/containment-actions`, {
    kind: 'access_cutoff',
    description: '当該端末をネットワークから遮断',
  });
  await apiA.call('POST', `/api/v1/incidents/${incidentX}/item-requests`, {
    question: '流出したおそれのある顧客リストの件数と項目を教えてください。',
  });
  incidentY = await report(TITLE_Y, 20);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the work queue is the first screen (issue 8, Done when)', () => {
  it("乙's responder (phone) sees its soonest duty — Y's 第一報 — on the first screen, sends it from there, and it leaves the queue", async () => {
    const ctx = await newContext('phone');
    try {
      const p = await ctx.newPage();
      p.setDefaultTimeout(20_000);
      await p.goto(`${server.baseUrl}/`);
      await p.waitForURL(/\/login$/);
      await login(p, RESPONDER_B);
      await p.waitForURL(/\/work$/);
      const { soonest, rows, button } = await soonestOnFirstScreen(p, apiB, 844);
      expect([soonest.incident.id, soonest.clause]).toEqual([incidentY, '3.1']);
      expect(await p.locator('[data-group="day"]').innerText()).toContain(TITLE_Y);
      expect((await button.innerText()).trim()).toBe('第一報を作成する');
      // The count in the header (the navigation is folded away on a phone): Y's 3.1 and X's 3.2(6)
      // answer (asked just now, due 24 hours after the request) fall due within 24 hours.
      expect(await apiB.call('GET', '/api/v1/obligations/summary')).toEqual({ overdue: 0, dueWithin24h: 2 });
      expect(await dutyCount(p)).toBe('2期限超過0件・24時間以内2件');

      // The .ics feed lists the same open duties: same count, same due instants.
      const events = await feedEvents(apiB);
      expect(events.length).toBe(rows.length);
      expect(events.map((e) => e.due).sort()).toEqual(rows.map((r) => toSecond(r.dueAt)).sort());
      expect(events.some((e) => e.summary.includes(TITLE_Y))).toBe(true);

      await button.click();
      await p.waitForURL(
        (u) => u.pathname === `/incidents/${incidentY}` && u.searchParams.get('act') === soonest.id,
      );
      const form = p.getByTestId('notice-form');
      await eventually(async () =>
        expect(
          await p.evaluate<boolean>(
            `document.activeElement?.closest('[data-testid="notice-form"]') !== null`,
          ),
        ).toBe(true),
      );
      const formBox = await form.boundingBox();
      expect(formBox!.y).toBeLessThan(844);
      await form
        .locator('[data-item="summary"] textarea')
        .fill('配送ラベルの宛名が別の顧客のものと入れ替わって印字されたおそれがあります。');
      await form.locator('[data-item="measures"] textarea').fill('該当ロットの出荷を停止しました。');
      await form.locator('[data-item="otherMatters"] textarea').fill('続報は明日お送りします。');
      await form.locator('[data-item="informationScope"]').getByLabel('調査中').check();
      await form.locator('[data-item="expectedImpact"]').getByLabel('調査中').check();
      await p.getByRole('button', { name: '第一報を送信' }).click();
      await p.getByTestId('notice-sent').waitFor();

      // Back on 対応状況: the notice duty has left the open groups, and the count followed.
      await p.getByRole('link', { name: '対応状況' }).first().click();
      await p.waitForURL(/\/work$/);
      const queue = p.getByTestId('work-queue');
      await eventually(async () =>
        expect(await queue.locator(`[data-obligation-id="${soonest.id}"]`).count()).toBe(0),
      );
      const after = await openRows(apiB);
      expect(after.find((r) => r.id === soonest.id)).toBeUndefined();
      await eventually(async () => expect(await queue.getByTestId('work-item').count()).toBe(after.length));
      expect(await apiB.call('GET', '/api/v1/obligations/summary')).toEqual({ overdue: 0, dueWithin24h: 1 });
      await eventually(async () => expect(await dutyCount(p)).toBe('1期限超過0件・24時間以内1件'));
    } finally {
      await ctx.close();
    }
  });

  it("甲's responder (desktop) sees its soonest duty — its own Art 3.3 decision on X — records it from there, and it leaves the queue", async () => {
    const ctx = await newContext('desktop');
    try {
      const p = await ctx.newPage();
      p.setDefaultTimeout(20_000);
      await p.goto(`${server.baseUrl}/`);
      await p.waitForURL(/\/login$/);
      await login(p, RESPONDER_A);
      await p.waitForURL(/\/work$/);
      const { soonest, rows, button } = await soonestOnFirstScreen(p, apiA, 800);
      expect([soonest.incident.id, soonest.clause]).toEqual([incidentX, '3.3']);
      expect((await button.innerText()).trim()).toBe('措置を記録する');
      // 乙's answer to 甲's request is listed too, as the other party's.
      const theirs = p.locator('[data-testid="work-item"][data-clause="3.2(6)"]');
      expect(await theirs.getAttribute('data-owed-by-us')).toBe('no');
      expect(await theirs.getByTestId('owed-by').innerText()).toBe('相手方（乙）の義務');

      const events = await feedEvents(apiA);
      expect(events.length).toBe(rows.length);
      expect(events.map((e) => e.due).sort()).toEqual(rows.map((r) => toSecond(r.dueAt)).sort());

      await button.click();
      await p.waitForURL(
        (u) => u.pathname === `/incidents/${incidentX}` && u.searchParams.get('act') === soonest.id,
      );
      const form = p.getByTestId('containment-form');
      await eventually(async () =>
        expect(
          await p.evaluate<boolean>(
            `document.activeElement?.closest('[data-testid="containment-form"]') !== null`,
          ),
        ).toBe(true),
      );
      const box = await form.boundingBox();
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.y).toBeLessThan(800);
      await form.getByLabel('措置').selectOption('none_needed');
      await form
        .getByLabel('措置が不要と判断した理由')
        .fill('当社側のシステムには該当データの複製がないため');
      await form.getByRole('button', { name: '措置を記録' }).click();
      await form.getByText('記録しました。').waitFor();

      await p.getByRole('link', { name: /^対応状況/ }).click();
      await p.waitForURL(/\/work$/);
      const queue = p.getByTestId('work-queue');
      await eventually(async () =>
        expect(await queue.locator(`[data-obligation-id="${soonest.id}"]`).count()).toBe(0),
      );
      const after = await openRows(apiA);
      expect(after.find((r) => r.id === soonest.id)).toBeUndefined();
      await eventually(async () => expect(await queue.getByTestId('work-item').count()).toBe(after.length));
    } finally {
      await ctx.close();
    }
  });

  it('filters by owed by, agreement and clause in the URL; the view survives a reload', async () => {
    const ctx = await newContext('desktop');
    try {
      const p = await ctx.newPage();
      p.setDefaultTimeout(20_000);
      await p.goto(`${server.baseUrl}/login`);
      await login(p, RESPONDER_B);
      await p.waitForURL(/\/work$/);
      const queue = p.getByTestId('work-queue');
      const all = await openRows(apiB);
      await eventually(async () => expect(await queue.getByTestId('work-item').count()).toBe(all.length));
      await p.getByTestId('work-filters').getByText('当社の義務', { exact: true }).click();
      await p.waitForURL(/owedBy=us/);
      await p.getByLabel('条項').selectOption('3.2(6)');
      await p.waitForURL(/clause=3\.2%286%29|clause=3\.2\(6\)/);
      const wanted = all.filter((r) => r.owedByUs && r.clause === '3.2(6)');
      expect(wanted.length).toBe(1);
      await eventually(async () => expect(await queue.getByTestId('work-item').count()).toBe(wanted.length));
      await p.reload();
      await eventually(async () => expect(await queue.getByTestId('work-item').count()).toBe(wanted.length));
      expect(await p.getByLabel('条項').inputValue()).toBe('3.2(6)');
      expect(await queue.getByTestId('work-item').first().getAttribute('data-obligation-id')).toBe(
        wanted[0]!.id,
      );
      // The agreement filter: one agreement here, so the same rows; then clear everything.
      const options = await p.getByLabel('覚書', { exact: true }).locator('option').allInnerTexts();
      expect(options[1]).toContain(`${ORG_A.name}との覚書`);
      await p.getByLabel('覚書', { exact: true }).selectOption({ index: 1 });
      await p.waitForURL(/agreementId=agr_/);
      await eventually(async () => expect(await queue.getByTestId('work-item').count()).toBe(wanted.length));
      await p.getByRole('button', { name: '絞り込みを解除' }).click();
      await p.waitForURL(/\/work$/);
      await eventually(async () => expect(await queue.getByTestId('work-item').count()).toBe(all.length));

      // The agreement page leads with our next incident duty, above the term dates.
      await p.getByRole('link', { name: '覚書', exact: true }).click();
      await p.getByTestId('agreement-card').first().click();
      const next = p.getByTestId('agreement-next-duty');
      await next.waitFor();
      const ours = all
        .filter((r) => r.owedByUs)
        .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))[0]!;
      const text = (await next.innerText()).replace(/\s+/g, ' ');
      expect(text).toContain(formatDue(ours.dueAt, 'ja'));
      expect(text).toContain(ours.incident.title);
      const termBox = await p.getByTestId('term-block').boundingBox();
      const nextBox = await next.boundingBox();
      expect(nextBox!.y).toBeLessThan(termBox!.y);
    } finally {
      await ctx.close();
    }
  });

  it('saves the screenshots of the work queue and the incident page: desktop and phone, Japanese and English', async () => {
    mkdirSync(SHOTS, { recursive: true });
    for (const lang of ['ja', 'en'] as const) {
      for (const kind of ['desktop', 'phone'] as const) {
        const ctx = await newContext(kind, lang);
        try {
          const p = await ctx.newPage();
          p.setDefaultTimeout(20_000);
          // Log in through the API in the browser's own cookie jar (the form is tested above).
          const res = await p.request.post(`${server.baseUrl}/api/v1/session`, {
            data: { email: RESPONDER_B.email, password: RESPONDER_B.password },
            headers: { Origin: server.baseUrl },
          });
          expect(res.ok()).toBe(true);
          await p.goto(`${server.baseUrl}/`);
          await p.waitForURL(/\/work$/);
          const count = (await openRows(apiB)).length;
          await eventually(async () => expect(await p.getByTestId('work-item').count()).toBe(count));
          expect(await p.getAttribute('html', 'lang')).toBe(lang);
          await screenshotWholePage(p, join(SHOTS, `work-queue-${kind}-${lang}.png`));
          await p.goto(`${server.baseUrl}/incidents/${incidentX}`);
          await p.getByTestId('next-action').waitFor();
          await p.getByTestId('incident-header').waitFor();
          await p.getByTestId('audit-events').waitFor();
          await p.screenshot({ path: join(SHOTS, `incident-first-screen-${kind}-${lang}.png`) });
        } finally {
          await ctx.close();
        }
      }
    }
  });
});
