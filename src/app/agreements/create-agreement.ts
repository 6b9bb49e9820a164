import { withDefaults, type AgreementParameters } from '../../domain/agreement/parameters.js';
import { AppError } from '../../domain/shared/errors.js';
import { newId } from '../../domain/shared/ids.js';
import type { LocalDate } from '../../domain/shared/time.js';
import { inTransaction } from '../../persistence/db.js';
import {
  insertAgreement,
  type AgreementRecord,
  type DateStyle,
} from '../../persistence/repositories/agreements.js';
import { findOrganizations } from '../../persistence/repositories/organizations.js';
import { requireAgreementAccess } from '../access.js';
import { recordAudit } from '../audit.js';
import { nowIso, type Actor, type AppContext } from '../context.js';
import { getAgreement } from './get-agreement.js';
import type { AgreementView } from './agreement-view.js';

export interface CreateAgreementInput {
  partyA: string;
  partyB: string;
  /** With a signing date the agreement records an executed paper agreement and is active. */
  signedOn?: LocalDate | null;
  parameters?: Partial<AgreementParameters>;
  dateStyle?: DateStyle;
}

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
  requireAgreementAccess(actor, 'agreement.create', { partyAId: partyA.id, partyBId: partyB.id });
  const now = nowIso(ctx);
  const agreement: AgreementRecord = {
    id: newId('agreement'),
    partyAId: partyA.id,
    partyBId: partyB.id,
    signedOn: input.signedOn ? input.signedOn.toString() : null,
    parameters: withDefaults(input.parameters),
    dateStyle: input.dateStyle ?? 'western',
    // Art 13: the district court of party A's head office.
    court: partyA.court,
    version: 1,
    createdBy: actor.kind === 'user' ? actor.userId : null,
    createdAt: now,
    updatedAt: now,
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
  });
  return getAgreement(ctx, actor, agreement.id, null);
}
