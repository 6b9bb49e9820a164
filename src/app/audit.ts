import type { StoredAuditEvent } from '../domain/audit/chain.js';
import type { Tx } from '../persistence/db.js';
import { appendAuditEvent } from '../persistence/repositories/audit.js';
import { actorIds, type Actor } from './context.js';

/** Writes the audit event of a change, in the change's own transaction; returns it (chain, seq, hash). */
export async function recordAudit(
  tx: Tx,
  actor: Actor,
  occurredAt: string,
  e: { chain: string; action: string; recordType: string; recordId: string; payload: unknown },
): Promise<StoredAuditEvent> {
  return appendAuditEvent(tx, { ...e, ...actorIds(actor), occurredAt });
}
