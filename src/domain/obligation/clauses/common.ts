import type { PartyCode } from '../types.js';

/** Civil Code 139: a period in hours runs from the moment, so hours are exact milliseconds. */
export const HOUR_MS = 3_600_000;

export const other = (p: PartyCode): PartyCode => (p === 'A' ? 'B' : 'A');

/**
 * A clock cannot start before the memorandum exists: an incident discovered before the agreement
 * took effect starts its clocks when it took effect (the start of the signing day, Japan time).
 */
export function clockStart(
  discoveredAtMs: number,
  effectiveFromMs: number | null,
): { ms: number; fromEffect: boolean } {
  return effectiveFromMs !== null && effectiveFromMs > discoveredAtMs
    ? { ms: effectiveFromMs, fromEffect: true }
    : { ms: discoveredAtMs, fromEffect: false };
}

/**
 * A basis per distinct key, built once: the rule texts depend only on the clause's parameter value
 * (and which time the clock runs from), and building strings for every duty of every recompute
 * would cost more than the derivation itself.
 */
export function memoBasis<K extends string | number, B>(build: (key: K) => B): (key: K) => B {
  const cache = new Map<K, B>();
  return (key) => {
    let b = cache.get(key);
    if (b === undefined) {
      b = build(key);
      if (cache.size > 1_000) cache.clear();
      cache.set(key, b);
    }
    return b;
  };
}
