import { AppError } from '../../domain/shared/errors.js';

/** Clock skew tolerated between a reporter's device and the server. */
const SKEW_MS = 5 * 60_000;

/** `discoveredAt` may not lie in the future, nor before `occurredAt`. */
export function checkIncidentTimes(occurredAt: string | null, discoveredAt: string, nowMs: number): void {
  const discovered = Date.parse(discoveredAt);
  if (discovered > nowMs + SKEW_MS) {
    throw new AppError('VALIDATION_FAILED', {
      message: { ja: '発覚日時が未来になっています。', en: 'discoveredAt lies in the future.' },
      extras: { errors: [{ path: 'discoveredAt' }] },
    });
  }
  if (occurredAt !== null && Date.parse(occurredAt) > discovered) {
    throw new AppError('VALIDATION_FAILED', {
      message: { ja: '発覚日時が発生日時より前になっています。', en: 'discoveredAt is before occurredAt.' },
      extras: { errors: [{ path: 'discoveredAt' }, { path: 'occurredAt' }] },
    });
  }
}

/** A time a party records (e.g. when a measure was taken) may not lie in the future. */
export function checkNotFuture(field: string, at: string, nowMs: number): void {
  if (Date.parse(at) > nowMs + SKEW_MS) {
    throw new AppError('VALIDATION_FAILED', {
      message: { ja: '未来の日時は指定できません。', en: `${field} lies in the future.` },
      extras: { errors: [{ path: field }] },
    });
  }
}
