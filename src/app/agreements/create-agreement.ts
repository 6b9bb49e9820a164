import { withDefaults, type AgreementParameters } from '../../domain/agreement/parameters.js';
import { AppError } from '../../domain/shared/errors.js';
import { newId } from '../../domain/shared/ids.js';
import type { LocalDate } from '../../domain/shared/time.js';
import { inTransaction, type Tx } from '../../persistence/db.js';
import {
  insertAgreement,
  type AgreementRecord,
  type DateStyle,
} from '../../persistence/repositories/agreements.js';
import { findOrganizations, type OrganizationRecord } from '../../persistence/repositories/organizations.js';
import { enqueueOutbox } from '../../persistence/repositories/outbox.js';
import { listUsersOfOrganization } from '../../persistence/repositories/users.js';
import { requireAgreementAccess } from '../access.js';
import { recordAudit } from '../audit.js';
import { nowIso, type Actor, type AppContext } from '../context.js';
import { paperAgreementRecordedMail } from '../mail/agreement-mails.js';
import { getAgreement } from './get-agreement.js';
import type { AgreementView } from './agreement-view.js';

export interface CreateAgreementInput {
  partyA: string;
  partyB: string;
  /**
   * From the instance administrator: the memorandum was signed on paper on this date by both
   * companies — it is recorded as signed by both and is in force. From a party's owner: the signing
   * date the draft proposes, with the owner's party's signature recorded; the other party must
   * still sign (issue 7, finding 1).
   */
  signedOn?: LocalDate | null;
  parameters?: Partial<AgreementParameters>;
  dateStyle?: DateStyle;
}

/**
 * Creates an agreement. A party's owner creates a draft the other party must accept (sign); only
 * the instance administrator (or the system, e.g. the demo) records a memorandum both companies
 * signed on paper, and both companies' owners are mailed that it was recorded.
 */
export async function createAgreement(
  ctx: AppContext,
  actor: Actor,
  input: CreateAgreementInput,
): Promise<AgreementView> {
  if (input.partyA === input.partyB) {
    throw new AppError('SAME_PARTY', { extras: { errors: [{ path: 'partyB' }] } });
  }
  const orgs = await findOrganizations(ctx.db, [input.partyA, input.partyB]);
  const partyA = orgs.find((o) => o.id === input.partyA);
  const partyB = orgs.find((o) => o.id === input.partyB);
  if (!partyA || !partyB) {
    const missing = [...(partyA ? [] : ['partyA']), ...(partyB ? [] : ['partyB'])];
    throw new AppError('UNKNOWN_ORGANIZATION', { extras: { errors: missing.map((path) => ({ path })) } });
  }
  const myParty = requireAgreementAccess(actor, 'agreement.create', {
    partyAId: partyA.id,
    partyBId: partyB.id,
  });
  const now = nowIso(ctx);
  const date = input.signedOn ? input.signedOn.toString() : null;
  const onPaper = myParty === null && date !== null;
  const paper = { by: null, at: now, onPaper: true };
  const agreement: AgreementRecord = {
    id: newId('agreement'),
    partyAId: partyA.id,
    partyBId: partyB.id,
    signedOn: onPaper ? date : null,
    parameters: withDefaults(input.parameters),
    dateStyle: input.dateStyle ?? 'western',
    // Art 13: the district court of party A's head office.
    court: partyA.court,
    version: 1,
    createdBy: actor.kind === 'user' ? actor.userId : null,
    createdAt: now,
    updatedAt: now,
    proposedSignedOn: onPaper ? null : date,
    mutualTerminationOn: null,
    signatures: onPaper
      ? { A: paper, B: paper }
      : {
          A:
            myParty === 'A' && date && actor.kind === 'user'
              ? { by: actor.userId, at: now, onPaper: false }
              : null,
          B:
            myParty === 'B' && date && actor.kind === 'user'
              ? { by: actor.userId, at: now, onPaper: false }
              : null,
        },
  };
  await inTransaction(ctx.db, async (tx) => {
    await insertAgreement(tx, agreement);
    await recordAudit(tx, actor, now, {
      chain: agreement.id,
      action: 'agreement.created',
      recordType: 'agreement',
      recordId: agreement.id,
      payload: { after: agreement },
    });
    if (onPaper) {
      await recordAudit(tx, actor, now, {
        chain: agreement.id,
        action: 'agreement.recorded_on_paper',
        recordType: 'agreement',
        recordId: agreement.id,
        payload: { after: { signedOn: date, signatures: agreement.signatures } },
      });
      await mailOwnersOfPaperAgreement(ctx, tx, agreement, partyA, partyB, now);
    } else if (myParty && date) {
      await recordAudit(tx, actor, now, {
        chain: agreement.id,
        action: 'agreement.signed',
        recordType: 'agreement',
        recordId: agreement.id,
        payload: {
          party: myParty,
          after: { signature: agreement.signatures[myParty], proposedSignedOn: date },
        },
      });
    }
  });
  return getAgreement(ctx, actor, agreement.id, null);
}

/** Queues one mail per owner of each company (in the owner's language) through the outbox. */
async function mailOwnersOfPaperAgreement(
  ctx: AppContext,
  tx: Tx,
  agreement: AgreementRecord,
  partyA: OrganizationRecord,
  partyB: OrganizationRecord,
  now: string,
): Promise<void> {
  for (const org of [partyA, partyB]) {
    const owners = (await listUsersOfOrganization(tx, org.id)).filter(
      (u) => u.role === 'owner' && u.disabledAt === null,
    );
    for (const u of owners) {
      await enqueueOutbox(
        tx,
        {
          kind: 'mail',
          dedupeKey: `agreement.recorded_on_paper:${agreement.id}:${u.id}`,
          payload: paperAgreementRecordedMail({
            to: u.email,
            name: u.name,
            locale: u.locale,
            partyA: partyA.name,
            partyB: partyB.name,
            signedOn: agreement.signedOn as string,
            link: `${ctx.config.publicUrl}/agreements/${agreement.id}`,
          }),
        },
        now,
      );
    }
  }
}
