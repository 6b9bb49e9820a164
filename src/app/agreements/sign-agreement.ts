import { AppError } from '../../domain/shared/errors.js';
import { todayIn, type LocalDate } from '../../domain/shared/time.js';
import { inTransaction } from '../../persistence/db.js';
import {
  activateSignedAgreement,
  findAgreement,
  recordPartySignature,
} from '../../persistence/repositories/agreements.js';
import { findOrganization } from '../../persistence/repositories/organizations.js';
import { recordAudit } from '../audit.js';
import { nowIso, type Actor, type AppContext } from '../context.js';
import { loadAgreementFor, type AgreementView } from './agreement-view.js';
import { getAgreement } from './get-agreement.js';

/**
 * Records the caller's party's signature on a draft (owner or legal of that party). The agreement
 * takes effect when both parties have signed: `signedOn` is the date the draft states (given by the
 * first signature's `signedOn`, or proposed at creation) or else the Japan date of the later
 * signature. The second signer may repeat the stated date but not change it (409
 * SIGNING_DATE_MISMATCH): the other party signed the draft as it was. A party signs once (409
 * PARTY_ALREADY_SIGNED). The instance administrator signs for no company (403); it records a
 * memorandum signed on paper by creating it with `signedOn`.
 */
export async function signAgreement(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { signedOn?: LocalDate | null | undefined; expectedVersion?: number | undefined },
): Promise<AgreementView> {
  const now = nowIso(ctx);
  await inTransaction(ctx.db, async (tx) => {
    const { agreement, myParty } = await loadAgreementFor(tx, actor, id, 'agreement.sign');
    if (agreement.signedOn) throw new AppError('AGREEMENT_ALREADY_SIGNED');
    if (myParty === null || actor.kind !== 'user') {
      throw new AppError('FORBIDDEN', {
        message: {
          ja: '覚書案には各当事者が署名します。インスタンス管理者は、書面で締結された覚書を締結日を指定した作成で登録します。',
          en: 'Each party signs the draft itself. The instance administrator records a memorandum signed on paper by creating it with signedOn.',
        },
      });
    }
    if (agreement.signatures[myParty]) throw new AppError('PARTY_ALREADY_SIGNED');
    if (input.expectedVersion !== undefined && input.expectedVersion !== agreement.version) {
      throw new AppError('VERSION_CONFLICT', { extras: { currentVersion: agreement.version } });
    }
    const otherParty = myParty === 'A' ? 'B' : 'A';
    const otherSigned = agreement.signatures[otherParty] !== null;
    const given = input.signedOn ? input.signedOn.toString() : null;
    if (otherSigned && given !== null && given !== agreement.proposedSignedOn) {
      throw new AppError('SIGNING_DATE_MISMATCH', {
        extras: { proposedSignedOn: agreement.proposedSignedOn },
      });
    }
    // The first signature may state the date; the second accepts the draft as the other signed it.
    // Only the first signature stating a date writes it, and only while the other party has not
    // signed (else it could replace the date the other just signed: the caller retries and accepts).
    const statesDate = !otherSigned && given !== null;
    const signature = { by: actor.userId, at: now };
    const ok = await recordPartySignature(tx, id, myParty, signature, {
      version: input.expectedVersion,
      ...(statesDate ? { proposedSignedOn: given, otherUnsigned: true } : {}),
    });
    if (!ok) {
      const current = await findAgreement(tx, id);
      throw new AppError(
        current?.signedOn
          ? 'AGREEMENT_ALREADY_SIGNED'
          : current?.signatures[myParty]
            ? 'PARTY_ALREADY_SIGNED'
            : 'VERSION_CONFLICT',
      );
    }
    // Re-read in this transaction: the other party may have signed since we loaded it.
    const signed = await findAgreement(tx, id);
    let effective: { signedOn: string; court: string | null } | null = null;
    if (signed?.signatures.A && signed.signatures.B) {
      const partyA = await findOrganization(tx, signed.partyAId);
      effective = {
        signedOn: signed.proposedSignedOn ?? todayIn(ctx.clock.now()).toString(),
        court: partyA?.court ?? signed.court,
      };
      await activateSignedAgreement(tx, id, effective);
    }
    await recordAudit(tx, actor, now, {
      chain: id,
      action: 'agreement.signed',
      recordType: 'agreement',
      recordId: id,
      payload: {
        party: myParty,
        before: { signatures: agreement.signatures, version: agreement.version },
        after: {
          signature: { ...signature, onPaper: false },
          proposedSignedOn: signed?.proposedSignedOn ?? null,
          ...(effective ? { signedOn: effective.signedOn, court: effective.court } : {}),
          version: signed?.version ?? agreement.version + 1,
        },
      },
    });
  });
  return getAgreement(ctx, actor, id, null);
}
