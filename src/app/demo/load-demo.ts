import { newSecret } from '../../domain/shared/ids.js';
import { todayIn, type Instant } from '../../domain/shared/time.js';
import { listAgreements } from '../../persistence/repositories/agreements.js';
import { listIncidents } from '../../persistence/repositories/incidents.js';
import { findOrganization } from '../../persistence/repositories/organizations.js';
import { findUserByEmail, listUsersOfOrganization } from '../../persistence/repositories/users.js';
import { createAgreement } from '../agreements/create-agreement.js';
import { signAgreement } from '../agreements/sign-agreement.js';
import { login } from '../auth/sessions.js';
import type { Actor, AppContext, Clock, UserActor } from '../context.js';
import { requestItems } from '../incidents/item-requests.js';
import { recordContainment } from '../incidents/record-containment.js';
import { reportIncident } from '../incidents/report-incident.js';
import { acknowledgeNotice, sendNotice } from '../incidents/send-notice.js';
import { transitionIncidentState } from '../incidents/update-incident.js';
import { createOrganization } from '../organizations/create-organization.js';
import { createUser, type OrganizationRole } from '../users/create-user.js';

export interface DemoAccount {
  organization: string;
  party: 'A' | 'B';
  email: string;
  name: string;
  role: OrganizationRole;
}

export interface DemoResult {
  created: boolean;
  password: string | null;
  accounts: DemoAccount[];
  agreementId: string | null;
  incidentId: string | null;
}

const DEMO_DOMAIN = 'demo.breachpact.example';
const MARKER = `kou.owner@${DEMO_DOMAIN}`;

/** A clock the demo moves through the story, so every record has a realistic time. */
class StoryClock implements Clock {
  constructor(private current: Instant) {}
  now(): Instant {
    return this.current;
  }
  at(i: Instant): void {
    this.current = i;
  }
}

/** The demo already loaded: its accounts (the password was shown once) and its agreement and incident. */
async function existingDemo(ctx: AppContext, kouId: string | null): Promise<DemoResult> {
  const agreement = kouId ? (await listAgreements(ctx.db, kouId)).at(-1) : undefined;
  const incident = agreement ? (await listIncidents(ctx.db, [agreement.id])).at(-1) : undefined;
  const accounts: DemoAccount[] = [];
  if (agreement) {
    for (const [party, orgId] of [
      ['A', agreement.partyAId],
      ['B', agreement.partyBId],
    ] as const) {
      const org = await findOrganization(ctx.db, orgId);
      for (const u of await listUsersOfOrganization(ctx.db, orgId)) {
        if (!u.email.endsWith(`@${DEMO_DOMAIN}`) || u.isAdmin) continue;
        const role = u.role as OrganizationRole;
        accounts.push({ organization: org?.name ?? '', party, email: u.email, name: u.name, role });
      }
    }
  }
  return {
    created: false,
    password: null,
    accounts,
    agreementId: agreement?.id ?? null,
    incidentId: incident?.id ?? null,
  };
}

/**
 * Loads a realistic demo: 甲 (an outsourcer) and 乙 (its contractor) with a few users each, a
 * signed agreement, and an incident at 乙's sub-contractor in progress — a 第一報 (sent late) and
 * a 続報, the first acknowledged, a containment action, and an open request for further items.
 * Idempotent: a second run reports the existing demo and creates nothing.
 */
export async function loadDemo(ctx: AppContext, actor: Actor): Promise<DemoResult> {
  const accounts: DemoAccount[] = [];
  const marker = await findUserByEmail(ctx.db, MARKER);
  if (marker) return existingDemo(ctx, marker.organizationId);
  const realNow = ctx.clock.now();
  const password = `demo-${newSecret(6)}`;
  const a = await createOrganization(ctx, actor, {
    name: '株式会社みなと商事',
    address: '東京都港区芝浦一丁目2番3号',
    representative: '代表取締役社長 港 一郎',
  });
  const b = await createOrganization(ctx, actor, {
    name: 'ひかりデータサービス株式会社',
    address: '大阪府大阪市北区中之島四丁目5番6号',
    representative: '代表取締役 光野 花子',
  });
  const people: Array<[typeof a, 'A' | 'B', string, string, OrganizationRole]> = [
    [a, 'A', 'kou.owner', '港 一郎', 'owner'],
    [a, 'A', 'kou.legal', '法務 さくら', 'legal'],
    [a, 'A', 'kou.csirt', '守谷 健', 'responder'],
    [a, 'A', 'kou.viewer', '見城 葵', 'viewer'],
    [b, 'B', 'otsu.owner', '光野 花子', 'owner'],
    [b, 'B', 'otsu.legal', '契約 大輔', 'legal'],
    [b, 'B', 'otsu.csirt', '対応 翔太', 'responder'],
  ];
  const actors = new Map<string, UserActor>();
  // Each company's first user is its owner, created by the caller; the owner adds the rest (users
  // of an organisation with an owner are the owner's to manage, issue 7 finding 2b).
  const owners = new Map<string, UserActor>();
  for (const [org, party, local, name, role] of people) {
    const email = `${local}@${DEMO_DOMAIN}`;
    await createUser(ctx, owners.get(org.id) ?? actor, {
      organizationId: org.id,
      email,
      name,
      role,
      password,
    });
    accounts.push({ organization: org.name, party, email, name, role });
    const { user } = await login(ctx, email, password);
    actors.set(local, {
      kind: 'user',
      userId: user.id,
      organizationId: user.organizationId,
      role: user.role,
      isAdmin: false,
      name: user.name,
      email: user.email,
      locale: user.locale,
    });
    if (role === 'owner' && !owners.has(org.id)) owners.set(org.id, actors.get(local) as UserActor);
  }
  const who = (k: string) => actors.get(k) as UserActor;

  // The story runs on its own clock, so the agreement's audit chain reads in time order.
  const clock = new StoryClock(realNow);
  const story: AppContext = { ...ctx, clock };

  // Signed about eight months ago, well inside its first term: 甲's owner proposes the draft with
  // that date and signs it at 10:00 JST; 乙's legal signs it at 15:00 — it takes effect then.
  const signedOn = todayIn(realNow).subtract({ months: 8 }).with({ day: 1 });
  const at = (time: string) =>
    signedOn.toZonedDateTime({ timeZone: 'Asia/Tokyo', plainTime: time }).toInstant();
  clock.at(at('10:00'));
  const draft = await createAgreement(story, who('kou.owner'), { partyA: a.id, partyB: b.id, signedOn });
  clock.at(at('15:00'));
  const agreement = await signAgreement(story, who('otsu.legal'), draft.agreement.id, {});

  // The incident: discovered 30 hours ago on the sub-contractor's side.
  const discovered = realNow.subtract({ hours: 30 }).round({ smallestUnit: 'minute' });
  const hoursAfter = (h: number, m = 0) => discovered.add({ hours: h, minutes: m });

  clock.at(hoursAfter(0, 20));
  const incident = await reportIncident(story, who('otsu.csirt'), agreement.agreement.id, {
    reportingParty: 'B',
    title: '再委託先の作業端末のマルウェア感染による顧客情報漏えいのおそれ',
    summary:
      '再委託先（株式会社あおぞら印刷）の発送作業用端末でマルウェア感染を検知。甲から預託された発送先リストが保存されたファイルサーバーへの不審な通信を確認。',
    infoCategories: ['personal', 'customer'],
    kinds: ['cyber_attack', 'leak_loss_theft_damage'],
    causeEntity: 'subcontractor',
    suspected: true,
    occurredAt: discovered.subtract({ hours: 6 }).toString(),
    discoveredAt: discovered.toString(),
    affectedPersons: 12_000,
    affectedPersonsEstimated: true,
    dataItems: ['氏名', '住所', '電話番号', '購入履歴'],
    financialHarmRisk: false,
    sensitiveData: false,
    improperPurpose: true,
    encrypted: false,
  });

  clock.at(hoursAfter(3));
  await recordContainment(story, who('otsu.csirt'), incident.id, {
    kind: 'access_cutoff',
    description: '再委託先の当該端末をネットワークから遮断し、ファイルサーバーへの VPN 接続を停止',
    takenAt: hoursAfter(2, 45).toString(),
    result: '不審な外部通信の停止を確認',
  });

  clock.at(hoursAfter(5));
  await transitionIncidentState(story, who('otsu.csirt'), incident.id, { to: 'confirmed' });

  // The 第一報 goes out after the 24-hour target: Art 3.1 is met late.
  clock.at(hoursAfter(26));
  const first = await sendNotice(story, who('otsu.legal'), incident.id, {
    occurredOn: discovered.toZonedDateTimeISO('Asia/Tokyo').toPlainDate().toString(),
    summary: '再委託先の作業端末がマルウェアに感染し、発送先リストへの不正アクセスのおそれがあります。',
    informationScope: null,
    expectedImpact: null,
    measures: '当該端末の隔離、VPN 接続の停止、全作業端末のパスワード変更を実施済み。',
    otherMatters: '影響範囲はフォレンジック調査中です。続報は本日中にお送りします。',
  });

  clock.at(hoursAfter(26, 40));
  await acknowledgeNotice(story, who('kou.csirt'), first.id);

  clock.at(hoursAfter(27, 30));
  await requestItems(story, who('kou.legal'), incident.id, {
    question:
      '影響を受ける本人の人数と、暗号化の有無を教えてください（個人情報保護委員会への速報の判断に必要です）。',
    // At least the minimum answer time (Art 3.2(6), 24 hours) after the request 2.5 hours ago.
    dueAt: realNow.add({ hours: 22 }).round({ smallestUnit: 'minute' }).toString(),
  });

  clock.at(hoursAfter(28));
  await sendNotice(story, who('otsu.legal'), incident.id, {
    occurredOn: discovered.toZonedDateTimeISO('Asia/Tokyo').toPlainDate().toString(),
    summary:
      '再委託先の作業端末がマルウェアに感染し、発送先リストの一部が外部に送信された可能性が高いことが判明しました。',
    informationScope: '甲の顧客の氏名・住所・電話番号・購入履歴、最大約12,000件（推定）',
    expectedImpact: null,
    measures:
      '当該端末の隔離、VPN 接続の停止、全作業端末のパスワード変更を実施済み。外部専門家によるフォレンジック調査を開始。',
    otherMatters: '影響範囲の確定は3日後の見込みです。',
  });

  return { created: true, password, accounts, agreementId: agreement.agreement.id, incidentId: incident.id };
}
