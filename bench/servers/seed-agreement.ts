import { createAgreement } from '../../src/app/agreements/create-agreement.js';
import { recordTerminationNotice } from '../../src/app/agreements/record-termination-notice.js';
import { signAgreement } from '../../src/app/agreements/sign-agreement.js';
import { updateAgreementDraft } from '../../src/app/agreements/update-agreement.js';
import { createApiToken, toActor } from '../../src/app/auth/sessions.js';
import type { AppContext } from '../../src/app/context.js';
import { createOrganization } from '../../src/app/organizations/create-organization.js';
import { createUser } from '../../src/app/users/create-user.js';
import { Temporal } from '../../src/domain/shared/time.js';
import { countAuditEvents } from '../../src/persistence/repositories/audit.js';

export interface SeededAgreement {
  agreementId: string;
  token: string;
  auditEvents: number;
}

/**
 * Through the use cases, as the app would: parties 甲 and 乙, an owner of 甲, a draft edited
 * 16 times, signed by both, then two termination notices (a late one by 乙, then an on-time one by 甲
 * that ends it sooner) — 21 events on the agreement's audit chain — and an API token.
 */
export async function seedAgreement(ctx: AppContext): Promise<SeededAgreement> {
  const system = { kind: 'system', label: 'bench' } as const;
  const kou = await createOrganization(ctx, system, {
    name: '甲商事株式会社',
    address: '東京都千代田区丸の内一丁目1番1号',
    representative: '代表取締役 山田太郎',
  });
  const otsu = await createOrganization(ctx, system, {
    name: '乙システム株式会社',
    address: '大阪府大阪市北区梅田二丁目2番2号',
    representative: '代表取締役 佐藤花子',
  });
  const email = 'owner@kou.example.jp';
  const { user } = await createUser(ctx, system, {
    organizationId: kou.id,
    email,
    name: '山田 太郎',
    role: 'owner',
    password: 'bench-password-甲',
  });
  const owner = toActor(user);

  let view = await createAgreement(ctx, owner, { partyA: kou.id, partyB: otsu.id });
  const id = view.agreement.id;
  for (let i = 0; i < 15; i++) {
    view = await updateAgreementDraft(ctx, owner, id, {
      expectedVersion: view.agreement.version,
      ...(i % 2 === 0
        ? { parameters: { noticeTargetHours: 24 + i, terminationNoticeMonths: 1 + (i % 3) } }
        : { dateStyle: i % 4 === 1 ? 'japanese' : 'western' }),
    });
  }
  // Back to the memorandum's own terms before signing (term 12 months, 1 month's notice).
  const final = await updateAgreementDraft(ctx, owner, id, {
    expectedVersion: view.agreement.version,
    parameters: { noticeTargetHours: 24, terminationNoticeMonths: 1 },
  });
  // Termination notices cannot be dated after today, so the agreement was signed in the past: a late
  // notice (after the deadline 2026-11-01), then one on time that ends it earlier (2026-12-01).
  // Both parties sign (issue 7: an agreement takes effect only with both signatures).
  const signedByKou = await signAgreement(ctx, owner, id, {
    signedOn: Temporal.PlainDate.from('2025-12-01'),
    expectedVersion: final.agreement.version,
  });
  const { user: otsuUser } = await createUser(ctx, system, {
    organizationId: otsu.id,
    email: 'legal@otsu.example.jp',
    name: '佐藤 花子',
    role: 'legal',
    password: 'bench-password-乙',
  });
  await signAgreement(ctx, toActor(otsuUser), id, { expectedVersion: signedByKou.agreement.version });
  await recordTerminationNotice(ctx, owner, id, {
    byParty: 'B',
    receivedOn: Temporal.PlainDate.from('2026-11-20'),
  });
  await recordTerminationNotice(ctx, owner, id, {
    byParty: 'A',
    receivedOn: Temporal.PlainDate.from('2026-10-15'),
  });

  const { token } = await createApiToken(ctx, email, 'bench');
  return { agreementId: id, token, auditEvents: await countAuditEvents(ctx.db, id) };
}
