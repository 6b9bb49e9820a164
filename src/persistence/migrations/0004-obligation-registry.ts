import { sql, type Kysely } from 'kysely';

/**
 * Frozen. The clause registry (issue 6):
 * - obligation ids become opaque (`obl_` + a hash of incident, clause, source and debtor) and the
 *   obligation index (`obligation_clocks`) stores each one with its clause, source and debtor, so
 *   nothing parses an id; old ids (`obl_<incident>_3-1`, `_3-3`, `_3-2-6_<request>`) are re-keyed
 *   in the clocks and waivers (audit events keep the id they were written with);
 * - `incidents.first_notice_at`: an incident is the reporting party's own until its first notice;
 * - `discovery_corrections`: a correction of the discovery time moving it later waits for the
 *   counterparty's acceptance before it changes the clocks.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

// Four 32-bit multiplicative lanes (FNV-1a style with distinct primes), fed part by part without
// building a key string, then avalanched (MurmurHash3's fmix32) and cross-mixed: 128 bits.
let l1 = 0;
let l2 = 0;
let l3 = 0;
let l4 = 0;
function feed(text: string): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    l1 = Math.imul(l1 ^ c, 0x01000193);
    l2 = Math.imul(l2 ^ c, 0x5bd1e995);
    l3 = Math.imul(l3 ^ c, 0x1b873593);
    l4 = Math.imul(l4 ^ c, 0xcc9e2d51);
  }
  // A separator, so ("ab", "c") and ("a", "bc") differ.
  l1 = Math.imul(l1 ^ 0x7c, 0x01000193);
  l2 = Math.imul(l2 ^ 0x7c, 0x5bd1e995);
  l3 = Math.imul(l3 ^ 0x7c, 0x1b873593);
  l4 = Math.imul(l4 ^ 0x7c, 0xcc9e2d51);
}
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A frozen copy of the engine's `obligationId` (a test checks they agree). */
export function opaqueId(incidentId: string, clause: string, sourceId: string, owedBy: string): string {
  l1 = 0x811c9dc5;
  l2 = 0x9747b28c;
  l3 = 0x2545f491;
  l4 = 0x6b43a9b5;
  feed(incidentId);
  feed(clause);
  feed(sourceId);
  feed(owedBy);
  let a = fmix(l1 ^ Math.imul(l4, 0x27d4eb2f));
  let b = fmix(l2 ^ Math.imul(a, 0x165667b1));
  let c = fmix(l3 ^ Math.imul(b, 0x9e3779b1));
  let d = fmix(l4 ^ Math.imul(c, 0x85ebca77));
  let id = 'obl_';
  // 26 characters of 5 bits from the 128 bits (the last character carries 3).
  for (let i = 0; i < 26; i++) {
    id += ALPHABET[a & 31];
    a = (a >>> 5) | ((b & 31) << 27);
    b = (b >>> 5) | ((c & 31) << 27);
    c = (c >>> 5) | ((d & 31) << 27);
    d = d >>> 5;
  }
  return id;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('incidents').addColumn('first_notice_at', 'varchar(32)').execute();
  await sql`update incidents set first_notice_at = (
      select min(n.sent_at) from notices n
      where n.incident_id = incidents.id and n.from_party = incidents.reporting_party)`.execute(db);

  for (const [name, type] of [
    ['clause', 'varchar(40)'],
    ['source_type', 'varchar(30)'],
    ['source_id', 'varchar(40)'],
    ['owed_by', 'varchar(10)'],
    ['owed_to', 'varchar(10)'],
  ] as const) {
    await db.schema.alterTable('obligation_clocks').addColumn(name, type).execute();
  }

  await rekeyObligationIds(db);

  await db.schema
    .createTable('discovery_corrections')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('incident_id', 'varchar(40)', (c) => c.notNull().references('incidents.id'))
    .addColumn('agreement_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('by_party', 'varchar(1)', (c) => c.notNull())
    .addColumn('requested_by', 'varchar(40)')
    .addColumn('from_discovered_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('to_discovered_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('requested_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('decided_by', 'varchar(40)')
    .addColumn('decided_at', 'varchar(32)')
    .addColumn('decision_reason', 'text')
    .execute();
  await db.schema
    .createIndex('discovery_corrections_incident_idx')
    .on('discovery_corrections')
    .column('incident_id')
    .execute();
}

/** Re-keys old-format obligation ids in the clocks (with their index columns) and the waivers. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function rekeyObligationIds(db: Kysely<any>): Promise<void> {
  const incidents = new Map<string, string>(
    (
      (await db.selectFrom('incidents').select(['id', 'reporting_party']).execute()) as Array<{
        id: string;
        reporting_party: string;
      }>
    ).map((r) => [r.id, r.reporting_party]),
  );
  const remap = (old: string) => {
    const m = /^obl_([0-9a-z]{26})_(3-1|3-3|3-2-6_([0-9a-z]{26}))$/.exec(old);
    if (!m) return null;
    const incidentId = `inc_${m[1]}`;
    const party = incidents.get(incidentId);
    if (!party) return null;
    const other = party === 'A' ? 'B' : 'A';
    if (m[2] === '3-1')
      return {
        id: opaqueId(incidentId, '3.1', incidentId, party),
        clause: '3.1',
        sourceType: 'incident',
        sourceId: incidentId,
        party,
        other,
      };
    if (m[2] === '3-3')
      return {
        id: opaqueId(incidentId, '3.3', incidentId, party),
        clause: '3.3',
        sourceType: 'incident',
        sourceId: incidentId,
        party,
        other,
      };
    const requestId = `irq_${m[3] as string}`;
    return {
      id: opaqueId(incidentId, '3.2(6)', requestId, party),
      clause: '3.2(6)',
      sourceType: 'item_request',
      sourceId: requestId,
      party,
      other,
    };
  };
  const clocks = (await db.selectFrom('obligation_clocks').select('obligation_id').execute()) as Array<{
    obligation_id: string;
  }>;
  for (const c of clocks) {
    const n = remap(c.obligation_id);
    if (!n) continue;
    await db
      .updateTable('obligation_clocks')
      .set({
        obligation_id: n.id,
        clause: n.clause,
        source_type: n.sourceType,
        source_id: n.sourceId,
        owed_by: n.party,
        owed_to: n.other,
      })
      .where('obligation_id', '=', c.obligation_id)
      .execute();
  }
  const waivers = (await db.selectFrom('obligation_waivers').select('obligation_id').execute()) as Array<{
    obligation_id: string;
  }>;
  for (const w of waivers) {
    const n = remap(w.obligation_id);
    if (!n) continue;
    await db
      .updateTable('obligation_waivers')
      .set({ obligation_id: n.id })
      .where('obligation_id', '=', w.obligation_id)
      .execute();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('discovery_corrections').execute();
  for (const name of ['clause', 'source_type', 'source_id', 'owed_by', 'owed_to']) {
    await db.schema.alterTable('obligation_clocks').dropColumn(name).execute();
  }
  await db.schema.alterTable('incidents').dropColumn('first_notice_at').execute();
}
