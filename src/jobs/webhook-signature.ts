import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook bodies are signed with HMAC-SHA256 over `${timestamp}.${body}` using the webhook's
 * secret, sent as `BreachPact-Signature: t=<unix seconds>,v1=<hex>`. A receiver recomputes the
 * HMAC over the raw body and rejects timestamps older than a few minutes (replay).
 */
export const SIGNATURE_HEADER = 'breachpact-signature';

export function signWebhook(secret: string, body: string, timestampSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}

export function verifyWebhookSignature(
  secret: string,
  body: string,
  header: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isFinite(t) || !parts.v1 || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
  const given = Buffer.from(parts.v1);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
