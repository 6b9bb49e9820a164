import type { LocalDate } from '../../domain/shared/time.js';
import { listAgreements as listAgreementRows } from '../../persistence/repositories/agreements.js';
import { requireAgreementAccess } from '../access.js';
import type { Actor, AppContext } from '../context.js';
import { buildAgreementViews, loadAgreementFor, type AgreementView } from './agreement-view.js';

export async function getAgreement(
  ctx: AppContext,
  actor: Actor,
  id: string,
  on: LocalDate | null,
): Promise<AgreementView> {
  const loaded = await loadAgreementFor(ctx.db, actor, id, 'agreement.read');
  const [view] = await buildAgreementViews(ctx, [loaded], on);
  return view as AgreementView;
}

/** The caller's agreements (its organisation is party A or B); all of them for the administrator. */
export async function listAgreements(
  ctx: AppContext,
  actor: Actor,
  on: LocalDate | null,
): Promise<AgreementView[]> {
  const adminLike = actor.kind === 'system' || actor.isAdmin;
  if (!adminLike && !actor.organizationId) return [];
  const rows = await listAgreementRows(ctx.db, adminLike ? null : actor.organizationId);
  const items = rows.map((agreement) => ({
    agreement,
    myParty: requireAgreementAccess(actor, 'agreement.read', agreement),
  }));
  return buildAgreementViews(ctx, items, on);
}
