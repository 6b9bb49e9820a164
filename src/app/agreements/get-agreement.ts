import { todayIn, type LocalDate } from '../../domain/shared/time.js';
import { AppError } from '../../domain/shared/errors.js';
import {
  findAgreement,
  findAgreementStamp,
  listAgreements as listAgreementRows,
} from '../../persistence/repositories/agreements.js';
import { requireAgreementAccess } from '../access.js';
import type { Actor, AppContext } from '../context.js';
import { buildAgreementViews, viewFor, type AgreementView } from './agreement-view.js';

/**
 * Views are cached per database by everything they are derived from: the agreement's version
 * (every change to it or its termination notices bumps it), both parties' last update and the
 * evaluation date. A hit costs the access check's two indexed reads instead of five queries and
 * the term evaluation. Bounded; per process, so several instances stay correct (the key is data).
 */
const viewCaches = new WeakMap<object, Map<string, AgreementView>>();
const VIEW_CACHE_SIZE = 2_000;

export async function getAgreement(
  ctx: AppContext,
  actor: Actor,
  id: string,
  on: LocalDate | null,
): Promise<AgreementView> {
  const stamp = await findAgreementStamp(ctx.db, id);
  if (!stamp) throw new AppError('AGREEMENT_NOT_FOUND');
  const myParty = requireAgreementAccess(actor, 'agreement.read', stamp);
  const evaluatedOn = on ?? todayIn(ctx.clock.now());
  const key = `${id}|${stamp.stamp}|${evaluatedOn.toString()}`;
  let cache = viewCaches.get(ctx.db);
  if (!cache) viewCaches.set(ctx.db, (cache = new Map()));
  let view = cache.get(key);
  if (!view) {
    const agreement = await findAgreement(ctx.db, id);
    if (!agreement) throw new AppError('AGREEMENT_NOT_FOUND');
    view = (await buildAgreementViews(ctx, [{ agreement, myParty: null }], evaluatedOn))[0] as AgreementView;
    if (cache.size >= VIEW_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(key, view);
  }
  return viewFor(view, myParty);
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
