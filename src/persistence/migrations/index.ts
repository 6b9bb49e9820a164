import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-foundation.js';
import * as m0002 from './0002-incidents.js';
import * as m0003 from './0003-audit-record-id.js';
import * as m0004 from './0004-obligation-registry.js';
import * as m0005 from './0005-termination-method.js';
import * as m0009 from './0009-outbox-queues.js';
import * as m0006 from './0006-access-lifecycle.js';
import * as m0007 from './0007-agreement-signatures.js';
import * as m0008 from './0008-audit-anchors.js';
import * as m0010 from './0010-calendar-feeds.js';
import * as m0011 from './0011-audit-timestamps.js';
import * as m0012 from './0012-daily-digest.js';
import * as m0013 from './0013-cooperation-consultations.js';
import * as m0014 from './0014-evidence.js';
import * as m0015 from './0015-disclosures-notes.js';
import * as m0016 from './0016-survival-announcements.js';

/** Migrations listed statically so the same provider works from source and from dist/. */
export const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-incidents': m0002,
  '0003-audit-record-id': m0003,
  '0004-obligation-registry': m0004,
  '0005-termination-method': m0005,
  '0009-outbox-queues': m0009,
  '0006-access-lifecycle': m0006,
  '0007-agreement-signatures': m0007,
  '0008-audit-anchors': m0008,
  '0010-calendar-feeds': m0010,
  '0011-audit-timestamps': m0011,
  '0012-daily-digest': m0012,
  '0013-cooperation-consultations': m0013,
  '0014-evidence': m0014,
  '0015-disclosures-notes': m0015,
  '0016-survival-announcements': m0016,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
