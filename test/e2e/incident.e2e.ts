/**
 * The Art 3 journey in a real browser, across the company boundary. Set up through the API: the
 * administrator registers 甲 and 乙, an owner of 甲 and a responder of 乙, and an agreement signed
 * a month ago (active today). Then 乙's responder, on a phone (390×844), reports a suspected
 * incident with the short form, finds it on the agreement page with its open obligations, opens
 * it and sends the 第一報 with two of the six Art 3.2 items left 調査中, then fills in what it has
 * learnt since (categories, cause, persons affected). 甲's owner follows the
 * e-mail link (/incidents/<id>), logs in, reads the 第一報, acknowledges it (受領確認), and sees
 * the Art 3.1 clock met (履行済み); the reporter then sees the acknowledgement too, and closes the
 * incident once the Art 3.3 decision is recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  ADMIN,
  ApiClient,
  checkPrerequisites,
  eventually,
  launchChromium,
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
const OWNER_A = { email: 'owner@kou.example.jp', password: 'owner-password-123', name: '甲野 太郎' };
const RESPONDER_B = { email: 'csirt@otsu.example.jp', password: 'csirt-password-123', name: '乙山 次郎' };
const TITLE = '委託先の作業端末のマルウェア感染';

let server: RunningServer;
let browser: Browser | undefined;
let phone: BrowserContext;
let reporter: Page;
let incidentUrl = '';

/** A Japan-time calendar date `days` before today, as YYYY-MM-DD. */
function tokyoDaysAgo(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(Date.now() - days * 86_400_000);
}

async function login(p: Page, who: { email: string; password: string }): Promise<void> {
  await p.getByLabel('メールアドレス').fill(who.email);
  await p.getByLabel('パスワード').fill(who.password);
  await p.getByRole('button', { name: 'ログイン' }).click();
}

/** The text of one clock (第3条第1項 = 3.1, 3.3, 3.2(6)) and its obligation state. */
/** The clock of `clause` owed by 乙 (the reporting party here; Art 3.3 also binds 甲 from the 第一報). */
async function clock(p: Page, clause: string, owedBy = 'B'): Promise<{ text: string; state: string | null }> {
  const c = p.locator(`[data-testid="obligation-clock"][data-clause="${clause}"][data-owed-by="${owedBy}"]`);
  await c.waitFor({ state: 'attached' });
  // Met and waived clocks are folded away below the unmet ones: unfold them to read one.
  if (!(await c.isVisible())) {
    const toggle = p.locator('[data-testid="settled-toggle"][aria-expanded="false"]');
    if (await toggle.count()) await toggle.click();
  }
  await c.waitFor();
  return { text: (await c.innerText()).replace(/\s+/g, ' '), state: await c.getAttribute('data-state') };
}

async function noPageOverflow(p: Page, width: number): Promise<void> {
  expect(await p.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
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
  const agreement = await admin.call<{ term: { status: string } }>('POST', '/api/v1/agreements', {
    partyA: a.id,
    partyB: b.id,
    signedOn: tokyoDaysAgo(30),
  });
  expect(agreement.term.status).toBe('active');

  browser = await launchChromium();
  phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
  });
  reporter = await phone.newPage();
  reporter.setDefaultTimeout(20_000);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('incident journey in the browser (Art 3)', () => {
  it("乙's responder reports a suspected incident on a phone with the short form", async () => {
    const p = reporter;
    await p.goto(`${server.baseUrl}/`);
    await p.waitForURL(/\/login$/);
    await login(p, RESPONDER_B);
    // The work queue is the home page; with nothing owed yet it says so calmly.
    await p.getByTestId('work-queue').getByRole('heading', { name: '対応状況' }).waitFor();
    expect(new URL(p.url()).pathname).toBe('/work');
    await p.getByTestId('work-empty').waitFor();
    // On a phone the navigation sits behind the menu button.
    await p.getByRole('button', { name: 'メニュー' }).click();
    await p.getByRole('link', { name: '覚書', exact: true }).click();
    await p.getByRole('heading', { name: '覚書一覧' }).waitFor();
    await p.getByTestId('agreement-card').first().click();
    await p.getByTestId('agreement-incidents').getByText('この覚書で登録された事故はありません。').waitFor();
    await p.getByRole('link', { name: '事故を登録' }).click();

    await p.getByRole('heading', { name: '事故を登録（第3条第1項）' }).waitFor();
    await p.getByTestId('report-incident-form').waitFor();
    const reportForm = await p.getByTestId('report-incident-form').innerText();
    expect(reportForm).toContain('登録する当事者: 乙');
    // The clocks run from the discovery, not from the registration: the form says so beside 発覚日時.
    expect(reportForm).toContain('第3条の期限は登録日時ではなく発覚日時から進行します。');
    // 発覚日時 defaults to now in Japan time.
    const discovered = await p.getByLabel('発覚日時（日本時間）').inputValue();
    expect(discovered).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    const skewMs = Math.abs(Date.parse(`${discovered}:00+09:00`) - Date.now());
    expect(skewMs).toBeLessThan(5 * 60_000);
    await p.getByLabel('件名（何が起きたか）').fill(TITLE);
    await p.getByText('発生のおそれ', { exact: true }).click();
    await noPageOverflow(p, 390);

    const [post] = await Promise.all([
      p.waitForRequest(
        (r) => r.method() === 'POST' && /\/api\/v1\/agreements\/[^/]+\/incidents$/.test(r.url()),
      ),
      p.getByRole('button', { name: '登録する' }).click(),
    ]);
    expect((await post.allHeaders())['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(post.postDataJSON()).toMatchObject({
      reportingParty: 'B',
      title: TITLE,
      suspected: true,
      discoveredAt: `${discovered}:00+09:00`,
    });

    await p.waitForURL(/\/incidents\/inc_[0-9a-z]+$/);
    incidentUrl = p.url();
    const header = await p.getByTestId('incident-header').innerText();
    expect(header).toContain(TITLE);
    expect(header).toContain('発生のおそれ');
    expect(header).toContain('登録した当事者：乙');
    expect(header).toContain('側の事故（あなたの組織）');
    const notice = await clock(p, '3.1');
    expect(notice.state).toBe('open');
    expect(notice.text).toContain('第3条第1項');
    expect(notice.text).toMatch(/残り 2[34]時間/);
    expect(notice.text).toContain('あなたの組織の義務');
    // 次にやること leads the page: on a phone it is on the first screen, with the button to the form.
    const next = p.getByTestId('next-action');
    expect(await next.innerText()).toContain('第3条第1項 相手方への通知');
    const box = await next.boundingBox();
    expect(box && box.y + box.height).toBeLessThan(844);
    await next.getByRole('button', { name: '第一報を作成する' }).click();
    await eventually(async () =>
      expect(
        await p.evaluate<boolean>(`document.activeElement?.closest('[data-testid="notice-form"]') !== null`),
      ).toBe(true),
    );
    // Every clock says why its due time is what it is (the article and the rule).
    expect(notice.text).toContain(
      '根拠：第3条第1項 — 発覚日時から24時間（第3条第1項「速やかに」の運用目安）',
    );
    await noPageOverflow(p, 390);
  });

  it('lists the incident and its open obligations on the agreement page, and opens it', async () => {
    const p = reporter;
    await p.getByRole('link', { name: '覚書に戻る' }).click();
    const card = p.getByTestId('incident-card').filter({ hasText: TITLE });
    await card.waitFor();
    expect(await card.innerText()).toContain('発生のおそれ');
    const obligations = p.getByTestId('agreement-obligations');
    await obligations.getByText('第3条第1項 相手方への通知').waitFor();
    expect(await obligations.innerText()).toMatch(/残り/);
    await card.click();
    await p.waitForURL(incidentUrl);
    await p.getByTestId('notice-form').waitFor();
  });

  it('sends the 第一報 with two items left 調査中', async () => {
    const p = reporter;
    const form = p.getByTestId('notice-form');
    expect(await form.innerText()).toContain('第一報を送る');
    // (1) is prefilled with the discovery date (Japan time).
    expect(await form.locator('[data-item="occurredOn"] textarea').inputValue()).toMatch(
      /^\d{4}-\d{2}-\d{2}$/,
    );
    await form
      .locator('[data-item="summary"] textarea')
      .fill('作業端末でマルウェアを検知。顧客リストへの不審な通信あり。');
    await form.locator('[data-item="measures"] textarea').fill('当該端末をネットワークから遮断しました。');
    await form.locator('[data-item="otherMatters"] textarea').fill('続報は本日中にお送りします。');
    await form.locator('[data-item="informationScope"]').getByLabel('調査中').check();
    await form.locator('[data-item="expectedImpact"]').getByLabel('調査中').check();
    expect(await form.locator('[data-item="expectedImpact"] textarea').isDisabled()).toBe(true);

    const [post] = await Promise.all([
      p.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/notices')),
      p.getByRole('button', { name: '第一報を送信' }).click(),
    ]);
    const body = post.postDataJSON() as { items: Record<string, string | null> };
    expect(body.items.informationScope).toBeNull();
    expect(body.items.expectedImpact).toBeNull();
    expect(body.items.measures).toBe('当該端末をネットワークから遮断しました。');

    const first = p.locator('[data-testid="notice"][data-number="1"]');
    await first.waitFor();
    const text = await first.innerText();
    expect(text).toContain('第一報');
    expect(text).toContain(`${RESPONDER_B.name}が送信`);
    expect(text).toContain('調査中の事項: 2件');
    expect(await first.locator('[data-item="informationScope"]').innerText()).toContain('調査中');
    expect(await first.locator('[data-item="expectedImpact"]').innerText()).toContain('調査中');
    expect(text).toContain('相手方の受領確認待ち');
    // The next one would be a 続報, and the Art 3.1 clock stopped when the notice went out.
    expect(await p.getByTestId('notice-sent').innerText()).toContain('第一報を送信しました。');
    // The 続報 form opens on purpose, so a second notice is never sent by accident.
    await p.getByRole('button', { name: '続報（第2報）を作成する' }).click();
    await p.getByRole('button', { name: '続報（第2報）を送信' }).waitFor();
    await eventually(async () => expect((await clock(p, '3.1')).state).toBe('met'));
    await noPageOverflow(p, 390);
    await screenshotWholePage(p, '/tmp/e2e-incident-phone.png');
  });

  it('対応状況 lists the open duties across agreements, ours first in time, and leads to the incident', async () => {
    const p = reporter;
    // On a phone the navigation sits behind the menu button: open the page directly.
    await p.goto(new URL('/work', p.url()).toString());
    const queue = p.getByTestId('work-queue');
    await queue.getByRole('heading', { name: '対応状況' }).waitFor();
    const item = queue.locator('[data-testid="work-item"][data-clause="3.3"]').first();
    await item.waitFor();
    const text = await item.innerText();
    expect(text).toContain('第3条第3項');
    expect(text).toContain(TITLE);
    expect(text).toMatch(/残り/);
    await queue.getByText('24時間以内', { exact: false }).first().waitFor();
    // 乙's own Art 3.3 decision: the button names the form that settles it and opens the page there.
    expect(await item.getAttribute('data-owed-by-us')).toBe('yes');
    await item.getByRole('link', { name: '措置を記録する' }).click();
    await p.waitForURL((u) => `${u.origin}${u.pathname}` === incidentUrl && u.searchParams.has('act'));
    await eventually(async () =>
      expect(
        await p.evaluate<boolean>(
          `document.activeElement?.closest('[data-testid="containment-form"]') !== null`,
        ),
      ).toBe(true),
    );
  });

  it('fills in the facts as they become known (the short report grows; only changes are sent)', async () => {
    const p = reporter;
    const panel = p.getByTestId('edit-facts');
    await panel.getByRole('button', { name: '事実を補足・訂正する' }).click();
    const form = p.getByTestId('edit-facts-form');
    await form.getByLabel('件名（何が起きたか）').waitFor();
    expect(await form.getByLabel('件名（何が起きたか）').inputValue()).toBe(TITLE);
    await form.getByLabel('個人情報', { exact: true }).check();
    await form.getByLabel('影響を受ける本人の数', { exact: true }).fill('1500');
    await form.getByLabel('影響を受ける本人の数（推定）').check();
    await form.getByLabel('原因（誰の行為によるか）').selectOption('subcontractor');
    await noPageOverflow(p, 390);

    const [patch] = await Promise.all([
      p.waitForRequest((r) => r.method() === 'PATCH' && /\/api\/v1\/incidents\/inc_/.test(r.url())),
      form.getByRole('button', { name: '変更を保存' }).click(),
    ]);
    expect((await patch.allHeaders())['if-match']).toMatch(/^"\d+"$/);
    expect(patch.postDataJSON()).toEqual({
      infoCategories: ['personal'],
      causeEntity: 'subcontractor',
      affectedPersons: 1500,
      affectedPersonsEstimated: true,
    });
    await panel.getByText('保存しました。').waitFor();
    const header = await p.getByTestId('incident-header').innerText();
    expect(header).toContain('本人 1,500人（推定）');
    expect(header).toContain('再委託先');
    expect(header).toContain('個人情報');
    await p.getByTestId('audit-events').getByText('事故の内容を更新').waitFor();
  });

  it("甲's owner follows the link, acknowledges the 第一報, and the Art 3.1 clock shows 履行済み", async () => {
    const desk = await browser!.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'ja-JP',
      timezoneId: 'Asia/Tokyo',
    });
    try {
      const p = await desk.newPage();
      p.setDefaultTimeout(20_000);
      await p.goto(incidentUrl);
      await p.waitForURL(/\/login$/);
      await login(p, OWNER_A);
      await p.waitForURL(incidentUrl);

      // The party's company name arrives with the agreement, just after the incident.
      await eventually(async () => {
        const header = await p.getByTestId('incident-header').innerText();
        expect(header).toContain(TITLE);
        expect(header).toContain(`乙（${ORG_B.name}）側の事故（相手方）`);
      });
      const first = p.locator('[data-testid="notice"][data-number="1"]');
      await first.waitFor();
      expect(await first.innerText()).toContain('第一報');
      expect(await first.locator('[data-item="informationScope"]').innerText()).toContain('調査中');
      expect(await first.locator('[data-item="expectedImpact"]').innerText()).toContain('調査中');
      // The counterparty does not send notices or edit the facts; it reads and acknowledges them.
      expect(await p.getByTestId('incident-header').innerText()).toContain('本人 1,500人（推定）');
      expect(await p.getByTestId('notice-form').count()).toBe(0);
      expect(await p.getByTestId('edit-facts').count()).toBe(0);

      await first.getByRole('button', { name: '受領確認' }).click();
      await first.getByTestId('notice-acknowledged').waitFor();
      expect(await first.getByTestId('notice-acknowledged').innerText()).toContain(
        `受領確認済み: ${OWNER_A.name}`,
      );
      const notice = await clock(p, '3.1');
      expect(notice.state).toBe('met');
      expect(notice.text).toContain('履行済み');
      expect(notice.text).toContain('相手方の義務');

      await p.getByTestId('audit-events').getByText('第一報の受領を確認').waitFor();
      expect(await p.getByTestId('incident-timeline').locator('svg').innerHTML()).toContain(
        '第一報 受領確認',
      );
      await screenshotWholePage(p, '/tmp/e2e-incident.png');
    } finally {
      await desk.close();
    }
  });

  it('the reporter sees the acknowledgement', async () => {
    await reporter.reload();
    const ack = reporter
      .locator('[data-testid="notice"][data-number="1"]')
      .getByTestId('notice-acknowledged');
    await ack.waitFor();
    expect(await ack.innerText()).toContain(OWNER_A.name);
  });

  it('before 終結 the page names the unmet Art 3.3 duties; after 乙’s containment decision it closes, 甲’s own duty staying owed', async () => {
    const p = reporter;
    const state = p.getByTestId('state-actions');
    for (const to of ['発生確認', '被害拡大防止措置済み', '復旧中']) {
      await state.getByRole('button', { name: `「${to}」にする` }).click();
      await state.getByText(to, { exact: true }).first().waitFor();
    }
    // The Art 3.3 decision is still open: said before any click.
    const unmet = state.getByTestId('close-unmet');
    await unmet.waitFor();
    expect(await unmet.innerText()).toContain('第3条第3項');

    const form = p.getByTestId('containment-form');
    await form.getByLabel('措置').selectOption('none_needed');
    await form
      .getByLabel('措置が不要と判断した理由')
      .fill('外部への送信は確認されず、端末は既に遮断済みのため');
    await form.getByRole('button', { name: '措置を記録' }).click();
    await form.getByText('記録しました。').waitFor();
    await eventually(async () => expect((await clock(p, '3.3', 'B')).state).toBe('met'));
    // Art 3.3 binds 甲 too (from the 第一報): its own decision is still open, and closing says so.
    expect((await clock(p, '3.3', 'A')).state).toBe('open');
    expect(await state.getByTestId('close-unmet').innerText()).toContain('第3条第3項');

    await state.getByRole('button', { name: '「終結」にする' }).click();
    const confirm = state.getByTestId('close-confirm');
    expect(await confirm.innerText()).toContain('終結しますか');
    await confirm.getByRole('button', { name: '終結する' }).click();
    await state.getByText('この事故は終了しています。').waitFor();
    // Nothing more can be recorded under Art 3; the facts stay correctable.
    expect(await p.getByTestId('containment-form').count()).toBe(0);
    expect(await p.getByTestId('notice-form').count()).toBe(0);
    expect(await p.getByTestId('edit-facts').count()).toBe(1);
    await noPageOverflow(p, 390);
  });
});
