/**
 * The agreement journey in a real browser: the owner of 甲 logs in, drafts an agreement with 乙,
 * signs it for 甲 stating 2026-04-01 (still a draft: 乙 has not signed), 乙's owner signs it too (by
 * the API), and the owner reads the Art 11 term the server computed (民法第140条: the term starts
 * 2026-04-02, expires 2027-04-01, notice deadline 2027-03-01), records a termination notice,
 * checks the audit trail, then switches to English and finds the choice still there after a reload.
 * Dates are read on the reference date 2026-06-01 (?on=) so the test does not depend on today.
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

const OWNER = { email: 'owner@kou.example.jp', password: 'owner-password-123', name: '甲野 太郎' };
const ORG_A = {
  name: '株式会社甲データ',
  address: '東京都千代田区丸の内一丁目1番1号',
  representative: '代表取締役 甲野 一郎',
};
const OTSU_OWNER = { email: 'owner@otsu.example.jp', password: 'otsu-password-123', name: '乙川 花子' };
const ORG_B = {
  name: '乙システムズ株式会社',
  address: '大阪府大阪市北区梅田二丁目2番2号',
  representative: '代表取締役 乙川 花子',
};

let server: RunningServer;
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;
let agreementUrl = '';
let otsu: ApiClient;

/** The text of one row of the term block (label, date and the rule lines beside it). */
async function termRow(field: string): Promise<string> {
  const row = page.locator(`[data-testid="term-block"] [data-field="${field}"]`);
  await row.waitFor();
  return (await row.innerText()).replace(/\s+/g, ' ');
}

beforeAll(async () => {
  checkPrerequisites();
  server = await startServer();
  const admin = new ApiClient(server.baseUrl);
  await admin.login(ADMIN.email, ADMIN.password);
  const a = await admin.call<{ id: string }>('POST', '/api/v1/organizations', ORG_A);
  const b = await admin.call<{ id: string }>('POST', '/api/v1/organizations', ORG_B);
  await admin.call('POST', `/api/v1/organizations/${b.id}/users`, { ...OTSU_OWNER, role: 'owner' });
  otsu = new ApiClient(server.baseUrl);
  await otsu.login(OTSU_OWNER.email, OTSU_OWNER.password);
  const added = await admin.call<{ user: { role: string } }>('POST', `/api/v1/organizations/${a.id}/users`, {
    email: OWNER.email,
    name: OWNER.name,
    role: 'owner',
    password: OWNER.password,
  });
  expect(added.user.role).toBe('owner');
  browser = await launchChromium();
  context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
  });
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('agreement journey in the browser', () => {
  it('logs in as the owner of 甲 (Japanese by default)', async () => {
    await page.goto(`${server.baseUrl}/`);
    await page.waitForURL(/\/login$/);
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    await page.getByLabel('メールアドレス').fill(OWNER.email);
    // A wrong password shows the API's problem+json message in Japanese.
    await page.getByLabel('パスワード').fill('wrong-password');
    await page.getByRole('button', { name: 'ログイン' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('メールアドレスまたはパスワードが正しくありません');
    await page.getByLabel('パスワード').fill(OWNER.password);
    await page.getByRole('button', { name: 'ログイン' }).click();
    // Every organisation role lands on the work queue (対応状況); the agreements are one click away.
    await page.getByTestId('work-queue').getByRole('heading', { name: '対応状況' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/work');
    await page.getByRole('link', { name: '覚書', exact: true }).click();
    await page.getByRole('heading', { name: '覚書一覧' }).waitFor();
    const header = await page.getByTestId('current-user').first().innerText();
    expect(header).toContain(OWNER.name);
    expect(header).toContain(ORG_A.name);
  });

  it('creates a draft through the form, signs it for 甲 stating 締結日 2026-04-01; it takes effect when 乙 signs too', async () => {
    await page.getByRole('link', { name: '覚書を作成' }).click();
    await page.getByRole('heading', { name: '覚書を作成' }).waitFor();
    // 甲 is prefilled with the owner's own organisation; choose 乙.
    await eventually(async () =>
      expect(await page.getByRole('combobox', { name: '甲（当事者A）' }).inputValue()).toBe(ORG_A.name),
    );
    await page.getByRole('combobox', { name: '乙（当事者B）' }).click();
    await page.getByRole('option', { name: ORG_B.name }).click();
    const [create] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/agreements')),
      page.getByRole('button', { name: '下書きとして保存' }).click(),
    ]);
    const headers = await create.allHeaders();
    expect(headers['content-type']).toBe('application/json');
    expect(headers['idempotency-key']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(create.postDataJSON()).not.toHaveProperty('signedOn');

    await page.waitForURL(/\/agreements\/[^/]+$/);
    await page.getByTestId('sign-form').waitFor();
    expect(await page.locator('[data-status]').first().innerText()).toBe('下書き');
    expect(await page.getByTestId('signature-A').innerText()).toContain('未署名');
    // Until both sign, 甲 sees 乙's name only.
    expect(await page.getByTestId('party-B').innerText()).not.toContain(ORG_B.address);
    await page.getByTestId('sign-form').getByLabel('締結日（任意）').fill('2026-04-01');
    await page.getByRole('button', { name: '署名する' }).click();
    await eventually(async () =>
      expect(await page.getByTestId('signature-A').getAttribute('data-signed')).toBe('yes'),
    );
    expect(await page.getByTestId('signature-A').innerText()).toContain('署名済み');
    expect(await page.getByTestId('signature-B').innerText()).toContain('未署名');
    expect(await page.getByTestId('signatures').innerText()).toContain('双方が署名した時点で発効');
    expect(await page.getByTestId('sign-form').count()).toBe(0);
    expect(await page.locator('[data-status]').first().innerText()).toBe('下書き');

    const id = page.url().split('/').pop() as string;
    const signed = await otsu.call<{ status: string; signedOn: string }>(
      'POST',
      `/api/v1/agreements/${id}/sign`,
      {},
    );
    expect(signed).toMatchObject({ status: 'active', signedOn: '2026-04-01' });
    await page.reload();
    await page.getByTestId('term-block').waitFor();
    expect(await page.getByTestId('signature-B').innerText()).toContain('署名済み');
    agreementUrl = page.url();
  });

  it('shows the term computed under the Civil Code, with the rules beside the dates', async () => {
    await page.getByLabel('基準日').fill('2026-06-01');
    await page.waitForURL(/\?on=2026-06-01$/);
    await page.getByText('第1期').waitFor();

    expect(await termRow('start')).toContain('2026年4月2日');
    expect(await termRow('start')).toContain('期間の初日');
    expect(await termRow('start')).toContain('民法第140条');
    expect(await termRow('initialEnd')).toContain('2027年4月1日');
    expect(await termRow('currentTermEnd')).toContain('第1期');
    const deadline = await termRow('terminationNoticeDeadline');
    expect(deadline).toContain('2027年3月1日');
    // The open notice deadline is the next deadline: 2026-06-01 → 2027-03-01 is 273 days.
    expect(deadline).toContain('あと273日');
    expect(await termRow('endsOn')).toContain('自動更新中');
    expect(await page.getByTestId('party-A').innerText()).toContain(ORG_A.address);
    expect(await page.getByTestId('party-B').innerText()).toContain(ORG_B.representative);
  });

  it('records a termination notice and shows the answer (期限内 → 今期で終了)', async () => {
    // A notice is recorded once received: a past date (the server refuses a future one).
    await page.getByLabel('受領日').fill('2026-11-01');
    await page.getByRole('button', { name: '終了通知を記録' }).click();
    const result = page.getByTestId('notice-result');
    await result.waitFor();
    const text = await result.innerText();
    expect(text).toContain('期限内');
    expect(text).toContain('今期で終了');
    expect(text).toContain('2027年4月1日');
    await page.getByTestId('termination-notices').waitFor();
  });

  it('shows the audit trail in Japan time, verified', async () => {
    const events = page.getByTestId('audit-events');
    await events.getByText('終了通知を記録').waitFor();
    const text = await events.innerText();
    expect(text).toContain('覚書を作成');
    expect(text).toContain('覚書に署名');
    expect(text).toContain('JST');
    expect(await page.getByTestId('audit-verification').innerText()).toContain('検証済み ✓');
    await screenshotWholePage(page, '/tmp/e2e-agreement.png');
  });

  it('fits a phone screen (390×844) without sideways scrolling', async () => {
    const phone = await browser!.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'ja-JP',
      timezoneId: 'Asia/Tokyo',
      storageState: await context.storageState(),
    });
    try {
      const p = await phone.newPage();
      await p.goto(agreementUrl);
      await p.getByTestId('term-block').waitFor();
      const width = await p.evaluate<number>('document.documentElement.scrollWidth');
      expect(width).toBeLessThanOrEqual(390);
      await screenshotWholePage(p, '/tmp/e2e-agreement-phone.png');
    } finally {
      await phone.close();
    }
  });

  it('switches to English, and the choice sticks after a reload', async () => {
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { name: 'Term (Art 11)' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await termRow('terminationNoticeDeadline')).toContain('Deadline for notice of non-renewal');
    expect(await termRow('start')).toContain('2 Apr 2026');

    await page.reload();
    await page.getByRole('heading', { name: 'Term (Art 11)' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.evaluate<string | null>("localStorage.getItem('bp.lang')")).toBe('en');
    // The account remembers it too (PATCH /api/v1/me).
    const session = await page.request.get(`${server.baseUrl}/api/v1/session`);
    expect(((await session.json()) as { user: { locale: string } }).user.locale).toBe('en');
    await page.screenshot({ path: '/tmp/e2e-agreement-en.png', fullPage: false });
  });
});
