/**
 * Arts 5 and 6 in a real browser, in Japanese, across the company boundary. Set up through the
 * API: 甲 and 乙 with a legal member each, an agreement signed a month ago (containment target
 * 72 h, so the Art 6.2 duty is each side's soonest), and an incident reported by 乙 with its 第一報.
 *
 * Consent path (Art 5.1): 乙's legal files a third-party disclosure on the incident page; 甲's legal
 * sees exactly what is asked (recipient, purpose, scope, basis) on the consent screen and
 * consents; 乙 then downloads the package and every SHA-256 in its manifest.json is checked
 * against the ZIP's files (unzipped with fflate).
 *
 * Emergency path (Art 6.2): 乙's legal drafts an announcement and publishes it without 甲's
 * approval, giving the reason; 甲 sees it published with the reason; 乙 now owes the 6.2
 * consultation, shown in 次にやること and among the clocks.
 *
 * Cooperation (Art 4.2(7)): 甲 asks for logs; 乙 uploads an 8 MiB evidence file (the progress bar
 * reaches 100 %, the SHA-256 shown is the file's), shares it and delivers; 甲 sees both.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
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
const LEGAL_A = { email: 'legal@kou.example.jp', password: 'legal-a-password-123', name: '甲田 法子' };
const LEGAL_B = { email: 'legal@otsu.example.jp', password: 'legal-b-password-123', name: '乙野 法男' };
const FIRST_ITEMS = {
  occurredOn: null,
  summary: '作業端末でマルウェアを検知。顧客リストへの不審な通信あり。',
  informationScope: null,
  expectedImpact: null,
  measures: '当該端末をネットワークから遮断しました。',
  otherMatters: '続報は本日中にお送りします。',
};
const DISCLOSURE = {
  recipient: '東京海上サイバー保険株式会社（保険会社）',
  purpose: 'サイバー保険の保険金請求のため',
  scope: '事故の概要、影響件数、発見日時及び封じ込め措置の記録',
};
const ANNOUNCEMENT = {
  title: '不正アクセスによる個人情報漏えいのおそれに関するお知らせ',
  body: '当社の委託先において、不正アクセスによりお客様の個人情報が漏えいしたおそれがあることが判明しました。\n現在、被害の拡大防止に努めております。',
  explanation: '不正利用の被害が拡大しており、お客様への注意喚起を直ちに行う必要があるため。',
};

let server: RunningServer;
let browser: Browser | undefined;
let ctxA: BrowserContext;
let ctxB: BrowserContext;
let pageA: Page;
let pageB: Page;
let incidentId = '';
let apiB: ApiClient;
const AXE_SOURCE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** axe-core's WCAG 2 A/AA violations on the page as it is now, one line per element. */
async function axe(p: Page): Promise<string[]> {
  if (!(await p.evaluate<boolean>(`typeof window.axe === 'object'`))) await p.evaluate(AXE_SOURCE);
  return p.evaluate<string[]>(
    `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_TAGS)} }, resultTypes: ['violations'] })
       .then((r) => r.violations.flatMap((v) => v.nodes.map((n) => v.id + ' ' + JSON.stringify(n.target) + ' ' + n.html.slice(0, 160))))`,
  );
}

function tokyoDaysAgo(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(Date.now() - days * 86_400_000);
}

async function login(p: Page, who: { email: string; password: string }): Promise<void> {
  await p.goto(`${server.baseUrl}/login`);
  await p.getByLabel('メールアドレス').fill(who.email);
  await p.getByLabel('パスワード').fill(who.password);
  await p.getByRole('button', { name: 'ログイン' }).click();
  await p.getByTestId('work-queue').waitFor();
}

async function openIncident(p: Page): Promise<void> {
  await p.goto(`${server.baseUrl}/incidents/${incidentId}`);
  await p.locator(`[data-incident-id="${incidentId}"]`).waitFor();
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  checkPrerequisites();
  server = await startServer();
  const admin = new ApiClient(server.baseUrl);
  await admin.login(ADMIN.email, ADMIN.password);
  const a = await admin.call<{ id: string }>('POST', '/api/v1/organizations', ORG_A);
  const b = await admin.call<{ id: string }>('POST', '/api/v1/organizations', ORG_B);
  await admin.call('POST', `/api/v1/organizations/${a.id}/users`, { ...LEGAL_A, role: 'legal' });
  await admin.call('POST', `/api/v1/organizations/${b.id}/users`, { ...LEGAL_B, role: 'legal' });
  const agreement = await admin.call<{ id: string; term: { status: string } }>('POST', '/api/v1/agreements', {
    partyA: a.id,
    partyB: b.id,
    signedOn: tokyoDaysAgo(30),
    parameters: { noticeTargetHours: 24, containmentTargetHours: 72, itemRequestMinHours: 24 },
  });
  expect(agreement.term.status).toBe('active');
  apiB = new ApiClient(server.baseUrl);
  await apiB.login(LEGAL_B.email, LEGAL_B.password);
  const incident = await apiB.call<{ id: string }>('POST', `/api/v1/agreements/${agreement.id}/incidents`, {
    reportingParty: 'B',
    title: '委託先の作業端末のマルウェア感染',
    suspected: true,
    discoveredAt: new Date(Date.now() - 60 * 60_000).toISOString(),
  });
  incidentId = incident.id;
  await apiB.call('POST', `/api/v1/incidents/${incidentId}/notices`, { items: FIRST_ITEMS });

  browser = await launchChromium();
  const options = {
    viewport: { width: 1280, height: 900 },
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    acceptDownloads: true,
  };
  ctxA = await browser.newContext(options);
  ctxB = await browser.newContext(options);
  pageA = await ctxA.newPage();
  pageB = await ctxB.newPage();
  pageA.setDefaultTimeout(20_000);
  pageB.setDefaultTimeout(20_000);
  await login(pageA, LEGAL_A);
  await login(pageB, LEGAL_B);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('third-party disclosure with consent (Art 5) and emergency announcement (Art 6.2)', () => {
  it("乙's legal files a disclosure on the consent path; it waits for 甲's consent", async () => {
    const p = pageB;
    await openIncident(p);
    const panel = p.getByTestId('disclosures');
    await panel.getByRole('heading', { name: '第三者提供（第5条）' }).waitFor();
    await panel.getByText('第三者提供の申請はありません。').waitFor();
    await panel.getByRole('button', { name: '第三者提供を申請する' }).click();
    const form = p.getByTestId('disclosure-form');
    await form.getByLabel('提供先').fill(DISCLOSURE.recipient);
    await form.getByLabel('目的').fill(DISCLOSURE.purpose);
    await form.getByLabel('提供する情報の範囲').fill(DISCLOSURE.scope);
    // The consent path is the default basis; no reference is asked for.
    expect(await form.getByLabel('根拠').inputValue()).toBe('相手方の承諾（第5条第1項）');
    await form.getByRole('button', { name: '申請する' }).click();
    const row = panel.locator('[data-testid="disclosure"][data-state="pending_consent"]');
    await row.waitFor();
    expect(await row.innerText()).toContain('承諾待ち');
    expect(await row.innerText()).toContain('相手方の承諾を待っています。');
    // No package before consent, and 乙 cannot decide its own request.
    expect(await row.getByTestId('disclosure-package').count()).toBe(0);
    expect(await row.getByTestId('disclosure-consent').count()).toBe(0);
  });

  it("甲's legal sees exactly what is asked on the consent screen and consents", async () => {
    const p = pageA;
    await openIncident(p);
    const consent = p.getByTestId('disclosure-consent');
    await consent.waitFor();
    expect(await consent.getByRole('heading').innerText()).toBe('第三者提供への承諾（第5条第1項）');
    expect(await consent.locator('[data-field="recipient"]').innerText()).toBe(DISCLOSURE.recipient);
    expect(await consent.locator('[data-field="purpose"]').innerText()).toBe(DISCLOSURE.purpose);
    expect(await consent.locator('[data-field="scope"]').innerText()).toBe(DISCLOSURE.scope);
    expect(await consent.locator('[data-field="basis"]').innerText()).toContain('承諾');
    // A refusal needs its reason: refusing without one asks for it and changes nothing.
    await consent.getByRole('button', { name: '拒否する' }).click();
    await consent.getByText('拒否する場合は理由を入力してください。').waitFor();
    expect(await p.locator('[data-testid="disclosure"][data-state="pending_consent"]').count()).toBe(1);
    await consent.getByRole('button', { name: '同意する' }).click();
    const row = p.locator('[data-testid="disclosure"][data-state="consented"]');
    await row.waitFor();
    expect(await row.innerText()).toContain('承諾済み');
    expect(await p.getByTestId('disclosure-consent').count()).toBe(0);
    // Only the filing party builds the package.
    expect(await row.getByTestId('disclosure-package').count()).toBe(0);
  });

  it('乙 downloads the package; every manifest SHA-256 matches the ZIP’s files', async () => {
    const p = pageB;
    await openIncident(p);
    const row = p.locator('[data-testid="disclosure"][data-state="consented"]');
    await row.waitFor();
    const [download] = await Promise.all([
      p.waitForEvent('download'),
      row.getByRole('button', { name: '提供用パッケージを作成してダウンロード' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.zip$/);
    const path = await download.path();
    const entries = unzipSync(new Uint8Array(readFileSync(path)));
    const manifestBytes = entries['manifest.json'];
    expect(manifestBytes).toBeDefined();
    const manifest = JSON.parse(new TextDecoder().decode(manifestBytes)) as {
      disclosure: { id: string; recipient: string; purpose: string; scope: string; state: string };
      incidentId: string;
      files: { path: string; sha256: string; size: number }[];
    };
    expect(manifest.incidentId).toBe(incidentId);
    expect(manifest.disclosure).toMatchObject({ ...DISCLOSURE, state: 'consented' });
    expect(manifest.files.length).toBeGreaterThan(0);
    for (const f of manifest.files) {
      const bytes = entries[f.path];
      expect(bytes, f.path).toBeDefined();
      expect(sha256(bytes!), f.path).toBe(f.sha256);
      expect(bytes!.length, f.path).toBe(f.size);
    }
    // Nothing in the ZIP escapes the manifest.
    const listed = new Set(manifest.files.map((f) => f.path));
    for (const name of Object.keys(entries)) {
      if (name !== 'manifest.json' && !name.endsWith('/')) expect(listed.has(name), name).toBe(true);
    }
    await row.getByText('ダウンロードしました。', { exact: false }).waitFor();
    await eventually(async () => {
      expect(await row.innerText()).toContain('作成済みパッケージ：1件');
    });
    // The filing party then records when it actually disclosed (after consent: allowed).
    await row.getByTestId('disclosure-record').getByRole('button', { name: '提供を記録する' }).click();
    await row.getByTestId('disclosed-at').waitFor();
    expect(await row.getByTestId('disclosure-record').count()).toBe(0);
  });

  it("乙's legal drafts an announcement and publishes it in an emergency with the reason", async () => {
    const p = pageB;
    const panel = p.getByTestId('announcements');
    await panel.getByRole('heading', { name: '公表（第6条）' }).waitFor();
    await panel.getByRole('button', { name: '公表案を作成する' }).click();
    const form = p.getByTestId('announcement-form');
    await form.getByLabel('見出し').fill(ANNOUNCEMENT.title);
    await form.getByLabel('本文').fill(ANNOUNCEMENT.body);
    await form.getByRole('button', { name: '作成する' }).click();
    const card = panel.locator('[data-testid="announcement"][data-state="draft"]');
    await card.waitFor();
    expect(await card.innerText()).toContain('協議中（未公表）');
    expect(await card.innerText()).toContain(ANNOUNCEMENT.title);

    await card.getByRole('button', { name: '相手方の承認なしに緊急公表する' }).click();
    const emergency = card.getByTestId('announcement-emergency');
    const warning = await emergency.getByRole('alert').innerText();
    expect(warning).toContain('第6条第2項');
    expect(warning).toContain('速やかに相手方と協議する義務');
    await emergency.getByLabel('被害拡大防止のため').check();
    await emergency.getByLabel('相手方の承認を待てない事情').fill(ANNOUNCEMENT.explanation);
    await emergency.getByRole('button', { name: '第1版を緊急公表する' }).click();
    const published = panel.locator('[data-testid="announcement"][data-state="published"]');
    await published.waitFor();
    const text = await published.getByTestId('announcement-publication').innerText();
    expect(text).toContain('第1版を公表（乙）');
    expect(text).toContain('緊急公表（第6条第2項）');
    expect(text).toContain(ANNOUNCEMENT.explanation);
  });

  it('甲 sees it published with its reason', async () => {
    const p = pageA;
    await openIncident(p);
    const published = p.locator('[data-testid="announcement"][data-state="published"]');
    await published.waitFor();
    const all = await published.innerText();
    expect(all).toContain('公表済み');
    expect(all).toContain(ANNOUNCEMENT.title);
    expect(all).toContain('緊急公表（第6条第2項）');
    expect(all).toContain(ANNOUNCEMENT.explanation);
    // Published: nothing left to approve or publish.
    expect(await published.getByRole('button').count()).toBe(0);
  });

  it('乙 owes the Art 6.2 consultation: in 次にやること and among the clocks', async () => {
    const p = pageB;
    await openIncident(p);
    await eventually(async () => {
      expect(await p.getByTestId('next-action').innerText()).toContain('第6条第2項 緊急公表後の協議');
    });
    const clock = p.locator('[data-testid="obligation-clock"][data-clause="6.2"][data-owed-by="B"]');
    await clock.waitFor();
    expect(await clock.getAttribute('data-state')).toBe('open');
    expect((await clock.innerText()).replace(/\s+/g, ' ')).toContain('乙');
    // 甲 is told the other party's duty, not given it.
    await openIncident(pageA);
    expect(
      await pageA.locator('[data-testid="obligation-clock"][data-clause="6.2"][data-owed-by="A"]').count(),
    ).toBe(0);
    await pageA.locator('[data-testid="obligation-clock"][data-clause="6.2"][data-owed-by="B"]').waitFor();
  });

  it('甲 asks for logs (Art 4.2(7)); 乙 uploads evidence with a progress bar and delivers', async () => {
    await openIncident(pageA);
    const panelA = pageA.getByTestId('cooperation-requests');
    await panelA.getByRole('heading', { name: '協力の求め（第4条第2項）' }).waitFor();
    await panelA.getByRole('button', { name: '協力を求める' }).click();
    const ask = pageA.getByTestId('cooperation-form');
    await ask.getByLabel('求める事項').click();
    await pageA.getByRole('option', { name: '(7) 証拠保全及びログ解析' }).click();
    await ask.getByLabel('求める内容').fill('侵入された端末のプロキシログ（11月分）を提供してください。');
    await ask.getByRole('button', { name: '求める' }).click();
    const requestA = panelA.locator('[data-testid="cooperation-request"][data-state="requested"]');
    await requestA.waitFor();
    expect(await requestA.innerText()).toContain('甲から乙へ');
    // The asking party cannot answer its own request.
    expect(await requestA.getByTestId('cooperation-response').count()).toBe(0);

    const p = pageB;
    // The duty's button (work queue, 次にやること) opens the incident at this request's answer form.
    const inc = await apiB.call<{ obligations: { id: string; clause: string }[] }>(
      'GET',
      `/api/v1/incidents/${incidentId}`,
    );
    const duty = inc.obligations.find((o) => o.clause === '4.2(7)');
    expect(duty).toBeDefined();
    await p.goto(`${server.baseUrl}/incidents/${incidentId}?act=${duty?.id ?? ''}`);
    await eventually(async () =>
      expect(
        await p.evaluate(
          `document.activeElement?.closest('[data-testid="cooperation-request"]')?.getAttribute('data-state') ?? null`,
        ),
      ).toBe('requested'),
    );
    const evidence = p.getByTestId('evidence');
    await evidence.getByRole('heading', { name: '証拠資料（第4条第2項第7号）' }).waitFor();
    const bytes = Buffer.alloc(8 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 10)) & 0xff;
    await evidence.locator('input[type="file"]').setInputFiles({
      name: 'proxy-2026-11.log',
      mimeType: 'text/plain',
      buffer: bytes,
    });
    await evidence.getByLabel('説明（何を、どのように収集したか）').fill('プロキシサーバーから取得');
    await evidence.getByRole('button', { name: 'アップロード' }).click();
    const progress = evidence.getByTestId('evidence-progress');
    await progress.waitFor();
    await eventually(async () => expect(await progress.getAttribute('data-percent')).toBe('100'));
    const file = evidence.locator('[data-testid="evidence-file"][data-visibility="party"]');
    await file.waitFor();
    expect(await file.innerText()).toContain(`SHA-256 ${sha256(bytes)}`);
    await file.getByRole('button', { name: '相手方と共有する' }).click();
    await evidence.locator('[data-testid="evidence-file"][data-visibility="shared"]').waitFor();

    const request = p.locator('[data-testid="cooperation-request"][data-state="requested"]');
    const form = request.getByTestId('cooperation-response');
    await form.getByLabel('提供する').check();
    await form.getByLabel('提供する内容').fill('証拠資料 proxy-2026-11.log を共有しました。');
    await form.getByRole('button', { name: '回答を送る' }).click();
    await p.locator('[data-testid="cooperation-request"][data-state="delivered"]').waitFor();

    await openIncident(pageA);
    await pageA.locator('[data-testid="cooperation-request"][data-state="delivered"]').waitFor();
    const shared = pageA.locator('[data-testid="evidence-file"][data-visibility="shared"]');
    await shared.waitFor();
    expect(await shared.innerText()).toContain('proxy-2026-11.log');
  });

  it('the filled panels pass axe-core (WCAG 2 A/AA) in Japanese and English: consent screen, diff, emergency form', async () => {
    await apiB.call('POST', `/api/v1/incidents/${incidentId}/disclosures`, {
      recipient: '弁護士法人乙川総合法律事務所',
      purpose: '法的助言を受けるため',
      scope: '事故の概要',
      basis: 'consent',
    });
    const draft = await apiB.call<{ id: string }>('POST', `/api/v1/incidents/${incidentId}/announcements`, {
      channel: 'website',
      title: '続報',
      body: '対象者は約1,000名です。\nお問い合わせ窓口を設置しました。',
    });
    await apiB.call('POST', `/api/v1/announcements/${draft.id}/versions`, {
      title: '続報',
      body: '対象者は約1,200名です。\nお問い合わせ窓口を設置しました。',
    });
    const p = pageA;
    for (const lang of ['ja', 'en'] as const) {
      await p.evaluate(`localStorage.setItem('bp.lang', ${JSON.stringify(lang)})`);
      await openIncident(p);
      await p.getByTestId('disclosure-consent').waitFor();
      const card = p.locator('[data-testid="announcement"][data-state="draft"]');
      await card.getByTestId('announcement-diff').waitFor();
      await card
        .getByRole('button', {
          name:
            lang === 'ja'
              ? '相手方の承認なしに緊急公表する'
              : "Publish now without the other party's approval",
        })
        .click();
      await card.getByTestId('announcement-emergency').getByRole('alert').waitFor();
      if (lang === 'ja') {
        const diff = await card.getByTestId('announcement-diff').innerText();
        expect(diff).toContain('第1版からの変更（追加1行・削除1行）');
        expect(diff).toContain('対象者は約1,200名です。');
        expect(await card.getByTestId('announcement-version').count()).toBe(2);
      }
      await new Promise((r) => setTimeout(r, 400)); // the collapse's transition
      expect(await axe(p), `axe-core (${lang})`).toEqual([]);
    }
    // On a phone the filled panels fit without sideways scrolling (the diff wraps).
    await p.setViewportSize({ width: 390, height: 844 });
    await openIncident(p);
    await p
      .locator('[data-testid="announcement"][data-state="draft"]')
      .getByTestId('announcement-diff')
      .waitFor();
    expect(await p.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await axe(p), 'axe-core (phone)').toEqual([]);
  });
});
