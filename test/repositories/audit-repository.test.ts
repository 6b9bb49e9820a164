import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { verifyAudit } from '../../src/app/audit/audit-events.js';
import { GENESIS_HASH } from '../../src/domain/audit/chain.js';
import { inTransaction } from '../../src/persistence/db.js';
import {
  appendAuditEvent,
  countAuditEvents,
  listAuditEvents,
  verifyChains,
  type NewAuditEvent,
} from '../../src/persistence/repositories/audit.js';
import { forEachDialect } from '../support/dialects.js';

const chainName = (label: string) => `test_${label}_${randomBytes(4).toString('hex')}`;

function event(chain: string, i: number, extra: Partial<NewAuditEvent> = {}): NewAuditEvent {
  return {
    chain,
    occurredAt: `2026-11-28T01:00:${String(i % 60).padStart(2, '0')}.000Z`,
    actorUserId: 'usr_test',
    actorOrgId: 'org_test',
    action: 'test.appended',
    recordType: 'test',
    recordId: `rec_${i}`,
    payload: { i, 日本語: '監査ログ', nested: { z: 1, a: [1, 2] } },
    ...extra,
  };
}

forEachDialect('audit repository', (h) => {
  const head = (chain: string) =>
    h.db.kysely.selectFrom('audit_heads').selectAll().where('chain', '=', chain).executeTakeFirst();

  it('appends in transactions with seq 1..N, linked hashes and a verifying chain', async () => {
    const chain = chainName('seq');
    const returned = [];
    for (let i = 1; i <= 5; i++) {
      returned.push(await inTransaction(h.db, (tx) => appendAuditEvent(tx, event(chain, i))));
    }
    expect(returned.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    const stored = await listAuditEvents(h.db, chain);
    expect(stored.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(stored[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < stored.length; i++) expect(stored[i]!.prevHash).toBe(stored[i - 1]!.hash);
    expect(stored).toEqual(returned);
    // The payload is stored as canonical JSON (sorted keys).
    expect(stored[0]!.payload).toBe('{"i":1,"nested":{"a":[1,2],"z":1},"日本語":"監査ログ"}');
    expect(await head(chain)).toEqual({ chain, seq: 5, hash: stored[4]!.hash });
    const v = await verifyChains(h.db, { chain });
    expect(v.ok).toBe(true);
    expect(v.checked).toBe(5);
  });

  it('several appends in one transaction are consecutive', async () => {
    const chain = chainName('onetx');
    await inTransaction(h.db, async (tx) => {
      for (let i = 1; i <= 3; i++) await appendAuditEvent(tx, event(chain, i));
    });
    expect((await listAuditEvents(h.db, chain)).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect((await verifyChains(h.db, { chain })).ok).toBe(true);
  });

  it('20 concurrent appends to one chain get 20 distinct consecutive seqs and the chain verifies', async () => {
    const chain = chainName('race');
    // First round: the chain is brand new, so the head row itself is created under contention.
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        inTransaction(h.db, (tx) => appendAuditEvent(tx, event(chain, i + 1))),
      ),
    );
    expect(results.map((r) => r.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    const stored = await listAuditEvents(h.db, chain);
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(stored.map((e) => e.prevHash)).size).toBe(20);
    expect(await countAuditEvents(h.db, chain)).toBe(20);
    expect((await head(chain))?.seq).toBe(20);
    const v = await verifyChains(h.db, { chain });
    expect(v.breaks).toEqual([]);

    // And once more on a chain whose head row already exists.
    const more = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        inTransaction(h.db, (tx) => appendAuditEvent(tx, event(chain, 21 + i))),
      ),
    );
    expect(more.map((r) => r.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 21),
    );
    expect((await verifyChains(h.db, { chain })).breaks).toEqual([]);
    expect((await head(chain))?.seq).toBe(40);
  });

  it('concurrent appends to different chains do not disturb each other', async () => {
    const chains = [chainName('p'), chainName('q'), chainName('r')];
    await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        inTransaction(h.db, (tx) => appendAuditEvent(tx, event(chains[i % 3]!, i))),
      ),
    );
    for (const c of chains) {
      expect((await listAuditEvents(h.db, c)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
      expect((await verifyChains(h.db, { chain: c })).ok).toBe(true);
    }
  });

  it('a rolled-back transaction leaves no event and no head change', async () => {
    const chain = chainName('rollback');
    await inTransaction(h.db, (tx) => appendAuditEvent(tx, event(chain, 1)));
    const before = await head(chain);
    await expect(
      inTransaction(h.db, async (tx) => {
        await appendAuditEvent(tx, event(chain, 2));
        await appendAuditEvent(tx, event(chain, 3));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await head(chain)).toEqual(before);
    expect((await listAuditEvents(h.db, chain)).map((e) => e.seq)).toEqual([1]);
    // The next append continues the chain where the committed head was.
    const next = await inTransaction(h.db, (tx) => appendAuditEvent(tx, event(chain, 4)));
    expect(next.seq).toBe(2);
    expect((await verifyChains(h.db, { chain })).ok).toBe(true);
  });

  it('a rolled-back first append of a new chain leaves no head row either', async () => {
    const chain = chainName('rollback_new');
    await expect(
      inTransaction(h.db, async (tx) => {
        await appendAuditEvent(tx, event(chain, 1));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await head(chain)).toBeUndefined();
    expect(await countAuditEvents(h.db, chain)).toBe(0);
  });

  it('verifyChains finds an altered payload, a deleted middle row and a deleted last row', async () => {
    const altered = chainName('alt');
    const middle = chainName('mid');
    const tail = chainName('tail');
    for (const c of [altered, middle, tail]) {
      for (let i = 1; i <= 4; i++) await inTransaction(h.db, (tx) => appendAuditEvent(tx, event(c, i)));
    }
    const [a, m, t] = await Promise.all([altered, middle, tail].map((c) => listAuditEvents(h.db, c)));
    await h.db.kysely
      .updateTable('audit_events')
      .set({ payload: '{"i":99}' })
      .where('id', '=', a![1]!.id)
      .execute();
    await h.db.kysely.deleteFrom('audit_events').where('id', '=', m![2]!.id).execute();
    await h.db.kysely.deleteFrom('audit_events').where('id', '=', t![3]!.id).execute();

    expect((await verifyChains(h.db, { chain: altered })).breaks).toEqual([
      { chain: altered, eventId: a![1]!.id, seq: 2, reason: 'hash_mismatch' },
    ]);
    expect((await verifyChains(h.db, { chain: middle })).breaks).toEqual([
      { chain: middle, eventId: m![3]!.id, seq: 4, reason: 'sequence_gap' },
    ]);
    expect((await verifyChains(h.db, { chain: tail })).breaks).toEqual([
      { chain: tail, eventId: null, seq: 4, reason: 'head_mismatch' },
    ]);
    // Verifying everything reports all three, in chain order, and names the first broken event.
    const all = await verifyAudit(h.db);
    expect(all.ok).toBe(false);
    const mine = all.breaks.filter((b) => [altered, middle, tail].includes(b.chain));
    expect(mine.map((b) => b.chain)).toEqual([altered, middle, tail].sort());
    const firstOfMine = [...mine].sort((x, y) => (x.chain < y.chain ? -1 : 1))[0]!;
    expect(mine[0]).toEqual(firstOfMine);

    // Clean up so the other tests on this database still see a verifying instance.
    await h.db.kysely.deleteFrom('audit_events').where('chain', 'in', [altered, middle, tail]).execute();
    await h.db.kysely.deleteFrom('audit_heads').where('chain', 'in', [altered, middle, tail]).execute();
  });
});
