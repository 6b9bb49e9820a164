import { withDefaults, type AgreementParameters } from '../../domain/agreement/parameters.js';
import { AppError } from '../../domain/shared/errors.js';
import { inTransaction } from '../../persistence/db.js';
import { findAgreement, updateAgreement, type DateStyle } from '../../persistence/repositories/agreements.js';
import { recordAudit } from '../audit.js';
import { nowIso, type Actor, type AppContext } from '../context.js';
import { loadAgreementFor, type AgreementView } from './agreement-view.js';
import { getAgreement } from './get-agreement.js';

export interface UpdateAgreementInput {
  expectedVersion: number;
  parameters?: Partial<AgreementParameters> | undefined;
  dateStyle?: DateStyle | undefined;
}

/**
 * Edits a draft's parameters or date style. The version from If-Match guards against lost
 * updates when both parties edit; parameters of a signed agreement are an amendment, not an edit.
 * New parameters withdraw the signatures already on the draft (both parties sign the new terms).
 */
export async function updateAgreementDraft(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: UpdateAgreementInput,
): Promise<AgreementView> {
  const now = nowIso(ctx);
  await inTransaction(ctx.db, async (tx) => {
    const { agreement } = await loadAgreementFor(tx, actor, id, 'agreement.update');
    if (input.expectedVersion !== agreement.version) {
      throw new AppError('VERSION_CONFLICT', { extras: { currentVersion: agreement.version } });
    }
    const onlyDateStyle = input.parameters === undefined;
    if (agreement.signedOn && !onlyDateStyle) throw new AppError('AGREEMENT_ALREADY_SIGNED');
    const parameters = input.parameters
      ? withDefaults({ ...agreement.parameters, ...input.parameters })
      : undefined;
    // Changing a draft's terms withdraws the signatures on it (and the date they stated): the other
    // party signed the draft as it was, and must sign the new one.
    const withdraws = !onlyDateStyle && (agreement.signatures.A !== null || agreement.signatures.B !== null);
    const ok = await updateAgreement(
      tx,
      id,
      { version: agreement.version, requireDraft: !onlyDateStyle },
      {
        parameters,
        dateStyle: input.dateStyle,
        ...(withdraws ? { signatures: { A: null, B: null }, proposedSignedOn: null } : {}),
      },
      now,
    );
    if (!ok) {
      const current = await findAgreement(tx, id);
      throw new AppError(
        current?.signedOn && !onlyDateStyle ? 'AGREEMENT_ALREADY_SIGNED' : 'VERSION_CONFLICT',
      );
    }
    await recordAudit(tx, actor, now, {
      chain: id,
      action: 'agreement.updated',
      recordType: 'agreement',
      recordId: id,
      payload: {
        before: {
          parameters: agreement.parameters,
          dateStyle: agreement.dateStyle,
          version: agreement.version,
          ...(withdraws
            ? { signatures: agreement.signatures, proposedSignedOn: agreement.proposedSignedOn }
            : {}),
        },
        after: {
          parameters: parameters ?? agreement.parameters,
          dateStyle: input.dateStyle ?? agreement.dateStyle,
          version: agreement.version + 1,
          ...(withdraws ? { signatures: { A: null, B: null }, proposedSignedOn: null } : {}),
        },
      },
    });
  });
  return getAgreement(ctx, actor, id, null);
}
