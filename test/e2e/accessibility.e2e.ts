/**
 * Accessibility and phone layout (issue 8, items 7 and 8), in a real Chromium.
 *
 * axe-core's WCAG 2 A/AA rules (wcag2a, wcag2aa, wcag21a, wcag21aa) run on the login page, the
 * work queue (対応状況), an agreement page, an incident page and the report form, on a desktop
 * (1280×800) and a phone (390×844), in Japanese and in English, and must find nothing. A failure
 * prints each violation's rule id, the elements' selectors and axe's summary of what is wrong.
 *
 * The same pages are then checked for what a newcomer hit on a phone and a desktop: the state
 * badge is never cut, the timeline's labels stay inside the picture and off the deadline bars, a
 * viewer opening the report form is told it is the role, the incident card labels the cause, the
 * audit list names the notice (第一報 / 続報) and the actor's company, and English never joins with 「・」.
 *
 * Seeded through the API: 甲 and 乙, an agreement signed a month ago, 乙's responder reports two
 * incidents (one notified with a 第一報 that 甲 acknowledged and then asked for more; one discovered
 * 30 hours ago and never notified, so its Art 3.1 duty is breached and drawn in red).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  ADMIN,
  ApiClient,
  ROOT,
  checkPrerequisites,
  eventually,
  launchChromium,
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
const OWNER_A = { email: 'owner@kou.example.jp', password: 'owner-password-123', name: '甲野 太郎' };
const RESPONDER_B = { email: 'csirt@otsu.example.jp', password: 'csirt-password-123', name: '乙山 次郎' };
const VIEWER_B = { email: 'viewer@otsu.example.jp', password: 'viewer-password-123', name: '乙原 三郎' };
const TITLE = '委託先の作業端末のマルウェア感染';
const LATE_TITLE = '営業部の共有フォルダの誤公開';
const FIRST_ITEMS = {
  occurredOn: null,
  summary: '作業端末でマルウェアを検知。顧客リストへの不審な通信あり。',
  informationScope: null,
  expectedImpact: null,
  measures: '当該端末をネットワークから遮断しました。',
  otherMatters: '続報は本日中にお送りします。',
};
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const AXE_SOURCE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
  html: string;
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: AxeNode[];
}

let server: RunningServer;
let browser: Browser | undefined;
let agreementId = '';
let incidentId = '';
let lateIncidentId = '';

function tokyoDaysAgo(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(Date.now() - days * 86_400_000);
}

async function newContext(size: { width: number; height: number }, locale: 'ja-JP' | 'en-GB') {
  const phone = size.width < 500;
  return browser!.newContext({
    viewport: size,
    isMobile: phone,
    hasTouch: phone,
    locale,
    timezoneId: 'Asia/Tokyo',
  });
}

async function login(p: Page, who: { email: string; password: string }): Promise<void> {
  await p.goto(`${server.baseUrl}/login`);
  await p.locator('input[type="email"]').fill(who.email);
  await p.locator('input[type="password"]').fill(who.password);
  await p.locator('form button[type="submit"]').click();
  await p.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** Switches the UI language the way a user does (the language switch stores the choice). */
async function useLanguage(p: Page, lang: 'ja' | 'en'): Promise<void> {
  await p.evaluate(`localStorage.setItem('bp.lang', ${JSON.stringify(lang)})`);
}

/** Waits until no request is in flight and animations have ended, so axe sees the settled page. */
async function settle(p: Page): Promise<void> {
  await p.waitForLoadState('networkidle');
  await p.evaluate(`Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)))`);
  await p.waitForTimeout(300);
}

/** axe-core's WCAG 2 A/AA violations on the page as it is now. */
async function axe(p: Page): Promise<AxeViolation[]> {
  if (!(await p.evaluate<boolean>(`typeof window.axe === 'object'`))) await p.evaluate(AXE_SOURCE);
  return p.evaluate<AxeViolation[]>(
    `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_TAGS)} }, resultTypes: ['violations'] })
       .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
         nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary, html: n.html.slice(0, 160) })) })))`,
  );
}

/** One line per element: rule id, selector, what axe says is wrong (so a failure is actionable). */
function describeViolations(where: string, violations: AxeViolation[]): string {
  return violations
    .flatMap((v) =>
      v.nodes.map(
        (n) =>
          `${where} [${v.id}, ${v.impact ?? '?'}] ${v.help}\n    target: ${JSON.stringify(n.target)}\n    ${(
            n.failureSummary ?? ''
          ).replace(/\s+/g, ' ')}\n    ${n.html}`,
      ),
    )
    .join('\n');
}

/** Runs axe on the settled page and adds what it finds to `found` (checked once every page ran). */
async function check(p: Page, where: string, found: string[]): Promise<void> {
  await settle(p);
  const report = describeViolations(where, await axe(p));
  if (report) found.push(report);
}

function expectNone(found: string[]): void {
  const report = found.join('\n');
  if (report) console.log(report);
  expect(report, 'axe-core found WCAG 2 A/AA violations').toBe('');
}

beforeAll(async () => {
  checkPrerequisites();
  server = await startServer();
  const admin = new ApiClient(server.baseUrl);
  await admin.login(ADMIN.email, ADMIN.password);
  const a = await admin.call<{ id: string }>('POST', '/api/v1/organizations', ORG_A);
  const b = await admin.call<{ id: string }>('POST', '/api/v1/organizations', ORG_B);
  await admin.call('POST', `/api/v1/organizations/${a.id}/users`, { ...OWNER_A, role: 'owner' });
  await admin.call('POST', `/api/v1/organizations/${b.id}/users`, { ...RESPONDER_B, role: 'responder' });
  await admin.call('POST', `/api/v1/organizations/${b.id}/users`, { ...VIEWER_B, role: 'viewer' });
  const agreement = await admin.call<{ id: string; term: { status: string } }>('POST', '/api/v1/agreements', {
    partyA: a.id,
    partyB: b.id,
    signedOn: tokyoDaysAgo(30),
  });
  expect(agreement.term.status).toBe('active');
  agreementId = agreement.id;

  const responder = new ApiClient(server.baseUrl);
  await responder.login(RESPONDER_B.email, RESPONDER_B.password);
  const owner = new ApiClient(server.baseUrl);
  await owner.login(OWNER_A.email, OWNER_A.password);
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
  const incident = await responder.call<{ id: string }>(
    'POST',
    `/api/v1/agreements/${agreementId}/incidents`,
    {
      reportingParty: 'B',
      title: TITLE,
      suspected: true,
      discoveredAt: hoursAgo(5),
    },
  );
  incidentId = incident.id;
  const notice = await responder.call<{ id: string }>('POST', `/api/v1/incidents/${incidentId}/notices`, {
    items: FIRST_ITEMS,
  });
  await owner.call('POST', `/api/v1/notices/${notice.id}/acknowledgement`, {});
  await owner.call('POST', `/api/v1/incidents/${incidentId}/item-requests`, { question: '件数の見込みは？' });
  const late = await responder.call<{ id: string }>('POST', `/api/v1/agreements/${agreementId}/incidents`, {
    reportingParty: 'B',
    title: LATE_TITLE,
    suspected: false,
    discoveredAt: hoursAgo(30),
  });
  lateIncidentId = late.id;

  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('axe-core WCAG 2 A/AA: no violations', () => {
  const cases: { name: string; size: { width: number; height: number }; lang: 'ja' | 'en' }[] = [
    { name: 'desktop ja', size: DESKTOP, lang: 'ja' },
    { name: 'phone ja', size: PHONE, lang: 'ja' },
    { name: 'desktop en', size: DESKTOP, lang: 'en' },
    { name: 'phone en', size: PHONE, lang: 'en' },
  ];
  for (const c of cases) {
    it(`login, work queue, agreement, incident and report form (${c.name})`, async () => {
      const ctx: BrowserContext = await newContext(c.size, c.lang === 'ja' ? 'ja-JP' : 'en-GB');
      try {
        const p = await ctx.newPage();
        p.setDefaultTimeout(20_000);
        const found: string[] = [];
        await p.goto(`${server.baseUrl}/login`);
        await useLanguage(p, c.lang);
        await p.reload();
        await p.locator('input[type="password"]').waitFor();
        await check(p, `${c.name} /login`, found);

        await login(p, RESPONDER_B);
        await p.goto(`${server.baseUrl}/work`);
        await p.getByTestId('work-queue').locator('[data-testid="work-item"]').first().waitFor();
        await check(p, `${c.name} /work`, found);

        await p.goto(`${server.baseUrl}/agreements/${agreementId}`);
        await p.getByTestId('incident-card').first().waitFor();
        await p.getByTestId('audit-events').waitFor();
        await check(p, `${c.name} /agreements/:id`, found);

        await p.goto(`${server.baseUrl}/incidents/${incidentId}`);
        await p.locator('[data-testid="notice"][data-number="1"]').waitFor();
        await p.getByTestId('incident-timeline').waitFor();
        await p.getByTestId('audit-events').waitFor();
        await check(p, `${c.name} /incidents/:id`, found);

        await p.goto(`${server.baseUrl}/incidents/${lateIncidentId}`);
        await p.getByTestId('incident-timeline').waitFor();
        await check(p, `${c.name} /incidents/:id (breached)`, found);

        await p.goto(`${server.baseUrl}/agreements/${agreementId}/incidents/new`);
        await p.getByTestId('report-incident-form').waitFor();
        await check(p, `${c.name} /agreements/:id/incidents/new`, found);
        expectNone(found);
      } finally {
        await ctx.close();
      }
    });
  }
});

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The timeline's geometry as drawn: its box, the picture, every label and every deadline bar. */
async function timelineGeometry(p: Page) {
  return p.evaluate<{
    boxWidth: number;
    svgWidth: number;
    labels: (Box & { text: string })[];
    due: { label: Box & { text: string }; marks: Box[] }[];
  }>(`(() => {
    const root = document.querySelector('[data-testid="incident-timeline"]');
    const svg = root.querySelector('svg');
    const box = (el) => { const b = el.getBBox(); return { x: b.x, y: b.y, width: b.width, height: b.height }; };
    return {
      boxWidth: svg.parentElement.clientWidth,
      svgWidth: svg.width.baseVal.value,
      labels: [...svg.querySelectorAll('text')].filter((t) => t.textContent).map((t) => ({ ...box(t), text: t.textContent })),
      due: [...svg.querySelectorAll('g[data-row="due"]')].map((g) => ({
        label: { ...box(g.querySelector('text')), text: g.querySelector('text').textContent },
        marks: [...g.querySelectorAll('rect, path, circle')].map(box),
      })),
    };
  })()`);
}

async function noPageOverflow(p: Page, width: number): Promise<void> {
  expect(await p.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
}

describe('phone and wording (issue 8 item 7)', () => {
  for (const [size, tag] of [
    [PHONE, 'phone 390×844'],
    [DESKTOP, 'desktop 1280×800'],
  ] as const) {
    it(`${tag}: the state badge is whole beside a long title; the card labels the party and the cause apart`, async () => {
      const ctx = await newContext(size, 'ja-JP');
      try {
        const p = await ctx.newPage();
        p.setDefaultTimeout(20_000);
        await login(p, RESPONDER_B);
        await p.goto(`${server.baseUrl}/agreements/${agreementId}`);
        const card = p.getByTestId('incident-card').filter({ hasText: TITLE });
        await card.waitFor();
        await settle(p);
        const badge = await card.locator('[data-incident-state] .mantine-Badge-label').evaluate((el) => ({
          text: el.textContent,
          scroll: el.scrollWidth,
          client: el.clientWidth,
        }));
        expect(badge.text).toBe('発生のおそれ');
        expect(badge.scroll, 'the badge label is cut (text-overflow: ellipsis)').toBeLessThanOrEqual(
          badge.client,
        );
        expect(await card.getByTestId('incident-card-party').innerText()).toBe('登録した当事者：乙');
        expect(await card.getByTestId('incident-card-cause').innerText()).toBe('原因：不明');
        expect(await card.innerText()).not.toContain('乙・');
        await noPageOverflow(p, size.width);
        await p.screenshot({ path: `/tmp/a2-agreement-${size.width}.png`, fullPage: true });
      } finally {
        await ctx.close();
      }
    });

    it(`${tag}: the timeline fits, no label is cut at an edge, and deadline labels stay off the bars`, async () => {
      const ctx = await newContext(size, 'ja-JP');
      try {
        const p = await ctx.newPage();
        p.setDefaultTimeout(20_000);
        await login(p, RESPONDER_B);
        for (const id of [incidentId, lateIncidentId]) {
          await p.goto(`${server.baseUrl}/incidents/${id}`);
          await p.getByTestId('incident-timeline').locator('g[data-row="due"]').first().waitFor();
          await settle(p);
          const g = await timelineGeometry(p);
          // On a phone the picture is as wide as its box: nothing hides behind a sideways scroll.
          expect(g.svgWidth).toBeLessThanOrEqual(g.boxWidth);
          expect(g.labels.length).toBeGreaterThan(4);
          for (const l of g.labels) {
            expect(l.x, `「${l.text}」 starts left of the picture`).toBeGreaterThanOrEqual(0);
            expect(l.x + l.width, `「${l.text}」 runs past the picture`).toBeLessThanOrEqual(g.svgWidth);
          }
          expect(g.due.length).toBeGreaterThanOrEqual(2);
          const marks = g.due.flatMap((d) => d.marks);
          for (const d of g.due) {
            expect(d.label.text).toMatch(/^期限: /);
            for (const m of marks)
              expect(overlaps(d.label, m), `「${d.label.text}」 is drawn over a bar`).toBe(false);
          }
          await noPageOverflow(p, size.width);
          await p.getByTestId('incident-timeline').screenshot({
            path: `/tmp/a2-timeline-${size.width}-${id === incidentId ? 'notified' : 'breached'}.png`,
          });
        }
      } finally {
        await ctx.close();
      }
    });

    it(`${tag}: the audit list names the notice (第一報) and shows each actor with the company`, async () => {
      const ctx = await newContext(size, 'ja-JP');
      try {
        const p = await ctx.newPage();
        p.setDefaultTimeout(20_000);
        await login(p, RESPONDER_B);
        await p.goto(`${server.baseUrl}/incidents/${incidentId}`);
        const events = p.getByTestId('audit-events');
        await events.getByText('第一報を送信').waitFor();
        await eventually(async () => {
          const text = await events.innerText();
          expect(text).toContain('第一報の受領を確認');
          expect(text).not.toContain('通知を送信');
          expect(text).toContain(`${RESPONDER_B.name}（${ORG_B.name}）`);
          expect(text).toContain(`${OWNER_A.name}（${ORG_A.name}）`);
        });
        await noPageOverflow(p, size.width);
      } finally {
        await ctx.close();
      }
    });
  }

  it('a viewer opening the report form is told it is the role, and which roles may report (desktop and phone, ja and en)', async () => {
    const ja = ['あなたの権限（閲覧のみ）では事故を登録できません。', 'オーナー、法務及び対応担当'];
    for (const [size, locale, lang, expected, wrong] of [
      [DESKTOP, 'ja-JP', 'ja', ja, '有効な覚書'],
      [PHONE, 'ja-JP', 'ja', ja, '有効な覚書'],
      [PHONE, 'en-GB', 'en', ['Your role (Viewer', 'Owners, legal and responders'], 'active agreement'],
    ] as const) {
      const ctx = await newContext(size, locale);
      try {
        const p = await ctx.newPage();
        p.setDefaultTimeout(20_000);
        await p.goto(`${server.baseUrl}/login`);
        await useLanguage(p, lang);
        await login(p, VIEWER_B);
        await p.goto(`${server.baseUrl}/agreements/${agreementId}/incidents/new`);
        const blocked = p.getByTestId('report-blocked');
        await blocked.waitFor();
        expect(await blocked.getAttribute('data-reason')).toBe('role');
        const text = await blocked.innerText();
        for (const e of expected) expect(text).toContain(e);
        expect(text).not.toContain(wrong);
        expect(await p.getByTestId('report-incident-form').count()).toBe(0);
      } finally {
        await ctx.close();
      }
    }
  });

  it('the English UI never joins with a Japanese 「・」 (work queue, agreement, incident)', async () => {
    const ctx = await newContext(DESKTOP, 'en-GB');
    try {
      const p = await ctx.newPage();
      p.setDefaultTimeout(20_000);
      await p.goto(`${server.baseUrl}/login`);
      await useLanguage(p, 'en');
      await login(p, RESPONDER_B);
      const pages: [string, string][] = [
        ['/work', 'work-queue'],
        [`/agreements/${agreementId}`, 'incident-card'],
        [`/incidents/${incidentId}`, 'audit-events'],
        [`/incidents/${lateIncidentId}`, 'incident-timeline'],
      ];
      for (const [path, testId] of pages) {
        await p.goto(`${server.baseUrl}${path}`);
        await p.getByTestId(testId).first().waitFor();
        await settle(p);
        const text = await p.evaluate<string>('document.body.innerText');
        expect(text, `${path} in English`).toMatch(/[A-Za-z]{4,}/);
        expect(
          text.split('\n').filter((l) => l.includes('・')),
          `${path} in English`,
        ).toEqual([]);
      }
      // The facts on one line are joined with the English separator instead.
      await p.goto(`${server.baseUrl}/incidents/${incidentId}`);
      const first = p.locator('[data-testid="notice"][data-number="1"]');
      await first.waitFor();
      expect(await first.innerText()).toContain(' · ');
    } finally {
      await ctx.close();
    }
  });
});
