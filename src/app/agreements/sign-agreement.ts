import { AppError } from '../../domain/shared/errors.js';
import type { LocalDate } from '../../domain/shared/time.js';
import { inTransaction } from '../../persistence/db.js';
import { findAgreement, updateAgreement } from '../../persistence/repositories/agreements.js';
import { findOrganization } from '../../persistence/repositories/organizations.js';
import { recordAudit } from '../audit.js';
import { nowIso, type Actor, type AppContext } from '../context.js';
import { loadAgreementFor, type AgreementView } from './agreement-view.js';
import { getAgreement } from './get-agreement.js';

/** Activates a draft on its signing date. Guarded in the UPDATE's WHERE: two signers cannot both win. */
export async function signAgreement(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { signedOn: LocalDate; expectedVersion?: number | undefined },
): Promise<AgreementView> {
  const now = nowIso(ctx);
  await inTransaction(ctx.db, async (tx) => {
    const { agreement } = await loadAgreementFor(tx, actor, id, 'agreement.sign');
    if (agreement.signedOn) throw new AppError('AGREEMENT_ALREADY_SIGNED');
    if (input.expectedVersion !== undefined && input.expectedVersion !== agreement.version) {
      throw new AppError('VERSION_CONFLICT', { extras: { currentVersion: agreement.version } });
    }
    const partyA = await findOrganization(tx, agreement.partyAId);
    const court = partyA?.court ?? agreement.court;
    const signedOn = input.signedOn.toString();
    const ok = await updateAgreement(
      tx,
      id,
      { version: agreement.version, requireDraft: true },
      { signedOn, court },
      now,
    );
    if (!ok) {
      const current = await findAgreement(tx, id);
      throw new AppError(current?.signedOn ? 'AGREEMENT_ALREADY_SIGNED' : 'VERSION_CONFLICT');
    }
    await recordAudit(tx, actor, now, {
      chain: id,
      action: 'agreement.signed',
      recordType: 'agreement',
      recordId: id,
      payload: {
        before: { signedOn: null, version: agreement.version },
        after: { signedOn, court, version: agreement.version + 1 },
      },
    });
  });
  return getAgreement(ctx, actor, id, null);
}
