import type { Tx } from '../db.js';

export interface StoredResponse {
  requestHash: string;
  statusCode: number | null;
  body: string | null;
  contentType: string | null;
}

/** Claims a key; returns null when the claim is new, or the stored row when it already existed. */
export async function claimIdempotencyKey(
  tx: Tx,
  userId: string,
  key: string,
  requestHash: string,
  now: string,
): Promise<StoredResponse | null> {
  const inserted = await tx.q
    .insertInto('idempotency_keys')
    .values({ user_id: userId, key, request_hash: requestHash, created_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  if (inserted) return null;
  const r = await tx.q
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  return {
    requestHash: r.request_hash,
    statusCode: r.status_code === null ? null : Number(r.status_code),
    body: r.response_body,
    contentType: r.response_type,
  };
}

export async function completeIdempotencyKey(
  tx: Tx,
  userId: string,
  key: string,
  response: { statusCode: number; body: string; contentType: string },
): Promise<void> {
  await tx.q
    .updateTable('idempotency_keys')
    .set({
      status_code: response.statusCode,
      response_body: response.body,
      response_type: response.contentType,
    })
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .execute();
}

export async function releaseIdempotencyKey(tx: Tx, userId: string, key: string): Promise<void> {
  await tx.q
    .deleteFrom('idempotency_keys')
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .where('status_code', 'is', null)
    .execute();
}

export async function purgeIdempotencyKeys(tx: Tx, before: string): Promise<void> {
  await tx.q.deleteFrom('idempotency_keys').where('created_at', '<', before).execute();
}
