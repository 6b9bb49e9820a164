import type { Config } from '../config/config.js';
import { isoInstant, Temporal, type Instant } from '../domain/shared/time.js';
import type { Db } from '../persistence/db.js';
import type { Locale, Role } from '../persistence/repositories/users.js';

export interface Clock {
  now(): Instant;
}

export const systemClock: Clock = { now: () => Temporal.Now.instant() };

/** Everything a use case needs from the outside world, passed explicitly. */
export interface AppContext {
  db: Db;
  config: Config;
  clock: Clock;
}

export type Actor =
  | {
      kind: 'user';
      userId: string;
      organizationId: string | null;
      role: Role;
      isAdmin: boolean;
      name: string;
      email: string;
      locale: Locale;
    }
  | { kind: 'system'; label: string };

export type UserActor = Extract<Actor, { kind: 'user' }>;

export function nowIso(ctx: AppContext): string {
  return isoInstant(ctx.clock.now());
}

export function actorIds(actor: Actor): { actorUserId: string | null; actorOrgId: string | null } {
  return actor.kind === 'user'
    ? { actorUserId: actor.userId, actorOrgId: actor.organizationId }
    : { actorUserId: null, actorOrgId: null };
}
