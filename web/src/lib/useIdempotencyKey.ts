import { useCallback, useMemo, useRef } from 'react';
import { newIdempotencyKey } from '../api/client';

/**
 * One Idempotency-Key per submission attempt: submitting the same payload again after a
 * failure (a retry) reuses the key, so the server can answer a lost response without doing the
 * work twice; a changed payload or a success starts a new attempt with a fresh key.
 */
export function useIdempotencyKey() {
  const current = useRef<{ key: string; payload: string } | null>(null);
  const keyFor = useCallback((payload: unknown): string => {
    const p = JSON.stringify(payload);
    if (!current.current || current.current.payload !== p) {
      current.current = { key: newIdempotencyKey(), payload: p };
    }
    return current.current.key;
  }, []);
  const reset = useCallback(() => {
    current.current = null;
  }, []);
  return useMemo(() => ({ keyFor, reset }), [keyFor, reset]);
}
