import { beforeAll, describe, expect, it } from 'vitest';
import { forEachDialect } from '../support/dialects.js';
import { seedWorld, snapshot, type Client, type World } from '../support/fixtures.js';

/**
 * Issue 7, finding 1: an agreement needs both companies. A party's user proposes a draft; each
 * party signs it (owner or legal); it takes effect only when both have signed. Until then no
 * incidents (so no incident mail), and each side sees only the other company's name. The instance
 * administrator records a memorandum signed on paper, and both companies' owners are mailed.
 */
forEachDialect('agreement signatures (both parties)', (h) => {
  let w: World;
  beforeAll(async () => {
    w = await seedWorld(h.ctx, h.app);
  });

  const draftBy = async (c: Client, body: Record<string, unknown> = {}, partyB?: string) => {
    const res = await c.post('/api/v1/agreements', {
      partyA: w.orgA.id,
      partyB: partyB ?? w.orgB.id,
      ...body,
    });
    expect(res.status, res.body).toBe(201);
    return res.json;
  };
  const report = (c: Client, id: string, discoveredAt = '2026-11-19T00:00:00Z') =>
    c.post(`/api/v1/agreements/${id}/incidents`, {
      reportingParty: 'B',
      title: '署名前の事故',
      suspected: true,
      discoveredAt,
    });
  const sign = (c: Client, id: string, body: Record<string, unknown> = {}) =>
    c.post(`/api/v1/agreements/${id}/sign`, body);

  it("one party's signature leaves a draft (no incidents, 409); the other's puts it in force on the later signature's Japan date", async () => {
    try {
      const draft = await draftBy(w.a.owner);
      expect(draft).toMatchObject({ status: 'draft', signedOn: null, signatures: { A: null, B: null } });

      h.clock.set('2026-11-20T01:00:00Z');
      const first = await sign(w.a.legal, draft.id);
      expect(first.status, first.body).toBe(200);
      expect(first.json).toMatchObject({ status: 'draft', signedOn: null, myParty: 'A' });
      expect(first.json.signatures.A).toEqual({
        by: { id: expect.stringMatching(/^usr_/), name: 'A legal' },
        at: '2026-11-20T01:00:00.000Z',
        onPaper: false,
      });
      expect(first.json.signatures.B).toBeNull();
      const refused = await report(w.b.responder, draft.id);
      expect(refused.status).toBe(409);
      expect(refused.json).toMatchObject({ code: 'AGREEMENT_NOT_ACTIVE', agreementStatus: 'draft' });

      // 2026-11-25T16:00Z is 2026-11-26 01:00 in Tokyo: the Japan date of the later signature.
      h.clock.set('2026-11-25T16:00:00Z');
      const second = await sign(w.b.owner, draft.id);
      expect(second.status, second.body).toBe(200);
      expect(second.json).toMatchObject({ status: 'active', signedOn: '2026-11-26', myParty: 'B' });
      expect(second.json.signatures.B).toEqual({
        by: { id: expect.stringMatching(/^usr_/), name: 'B owner' },
        at: '2026-11-25T16:00:00.000Z',
        onPaper: false,
      });
      expect(second.json.signatures.A.at).toBe('2026-11-20T01:00:00.000Z');

      h.clock.set('2026-11-28T01:00:00Z');
      const reported = await report(w.b.responder, draft.id, '2026-11-27T00:00:00Z');
      expect(reported.status, reported.body).toBe(201);
      const events = (await w.a.viewer.get(`/api/v1/agreements/${draft.id}/audit-events`)).json
        .items as Array<{
        action: string;
        payload: { party?: string; after?: { signedOn?: string } };
      }>;
      const signed = events.filter((e) => e.action === 'agreement.signed');
      expect(signed.map((e) => e.payload.party)).toEqual(['A', 'B']);
      expect(signed[0]?.payload.after?.signedOn).toBeUndefined();
      expect(signed[1]?.payload.after?.signedOn).toBe('2026-11-26');
    } finally {
      h.clock.set('2026-11-28T01:00:00Z');
    }
  });

  it('an owner creating with signedOn makes a draft its party has signed, dated as proposed; the other party accepts that date and cannot change it', async () => {
    const draft = await draftBy(w.a.owner, { signedOn: '2026-04-01' });
    expect(draft).toMatchObject({ status: 'draft', signedOn: null, proposedSignedOn: '2026-04-01' });
    expect(draft.signatures.A).toMatchObject({ by: { name: 'A owner' }, onPaper: false });
    expect(draft.signatures.B).toBeNull();
    expect((await report(w.b.owner, draft.id)).json.code).toBe('AGREEMENT_NOT_ACTIVE');

    const before = await snapshot(h.ctx);
    const other = await sign(w.b.legal, draft.id, { signedOn: '2026-05-01' });
    expect(other.status).toBe(409);
    expect(other.json).toMatchObject({ code: 'SIGNING_DATE_MISMATCH', proposedSignedOn: '2026-04-01' });
    expect(await snapshot(h.ctx)).toBe(before);

    const accepted = await sign(w.b.legal, draft.id, { signedOn: '2026-04-01' });
    expect(accepted.status, accepted.body).toBe(200);
    expect(accepted.json).toMatchObject({ status: 'active', signedOn: '2026-04-01' });
    expect(accepted.json.term).toMatchObject({ start: '2026-04-02', initialEnd: '2027-04-01' });
  });

  it('the first signature may state the date; the second signs without one', async () => {
    const draft = await draftBy(w.b.owner);
    const first = await sign(w.b.legal, draft.id, { signedOn: '2026-03-01' });
    expect(first.json).toMatchObject({ status: 'draft', proposedSignedOn: '2026-03-01' });
    const second = await sign(w.a.owner, draft.id);
    expect(second.json).toMatchObject({ status: 'active', signedOn: '2026-03-01' });
  });

  it('the same party signing twice → 409 PARTY_ALREADY_SIGNED, and nothing changes', async () => {
    const draft = await draftBy(w.a.owner);
    expect((await sign(w.a.owner, draft.id)).status).toBe(200);
    const before = await snapshot(h.ctx);
    for (const c of [w.a.owner, w.a.legal]) {
      const again = await sign(c, draft.id);
      expect(again.status).toBe(409);
      expect(again.json.code).toBe('PARTY_ALREADY_SIGNED');
    }
    expect(await snapshot(h.ctx)).toBe(before);
    const got = await w.b.viewer.get(`/api/v1/agreements/${draft.id}`);
    expect(got.json.status).toBe('draft');
  });

  it('a non-party → 404; viewer or responder → 403; no session → 401; the administrator signs for no company → 403; nothing changes', async () => {
    const draft = await draftBy(w.a.owner);
    const before = await snapshot(h.ctx);
    for (const role of ['owner', 'legal', 'responder', 'viewer'] as const) {
      const res = await sign(w.c[role], draft.id);
      expect(res.status, role).toBe(404);
      expect(res.json.code).toBe('AGREEMENT_NOT_FOUND');
    }
    for (const c of [w.a.viewer, w.a.responder, w.b.viewer, w.b.responder]) {
      const res = await sign(c, draft.id);
      expect(res.status).toBe(403);
      expect(res.json.code).toBe('FORBIDDEN');
    }
    const anon = await sign(w.anon, draft.id);
    expect(anon.status).toBe(401);
    expect(anon.json.code).toBe('UNAUTHENTICATED');
    const admin = await sign(w.admin, draft.id);
    expect(admin.status).toBe(403);
    expect(admin.json.code).toBe('FORBIDDEN');
    expect(await snapshot(h.ctx)).toBe(before);
  });

  it("the administrator's paper recording is in force at once, signed by both on paper, audited, and mailed to both companies' owners", async () => {
    const res = await w.admin.post('/api/v1/agreements', {
      partyA: w.orgA.id,
      partyB: w.orgB.id,
      signedOn: '2026-04-01',
    });
    expect(res.status, res.body).toBe(201);
    expect(res.json).toMatchObject({ status: 'active', signedOn: '2026-04-01' });
    const paper = { by: null, at: '2026-11-28T01:00:00.000Z', onPaper: true };
    expect(res.json.signatures).toEqual({ A: paper, B: paper });

    const mails = await h.db.kysely
      .selectFrom('outbox')
      .selectAll()
      .where('dedupe_key', 'like', `agreement.recorded_on_paper:${res.json.id}:%`)
      .execute();
    const to = mails.map((m) => (JSON.parse(m.payload) as { to: string; subject: string }).to).sort();
    expect(to).toEqual([w.emails['a.owner'], w.emails['b.owner']].sort());
    const mail = JSON.parse(mails[0]?.payload as string) as { subject: string; text: string };
    expect(mail.subject).toBe('【BreachPact】書面で締結された覚書が登録されました');
    expect(mail.text).toContain('甲商事株式会社（甲）');
    expect(mail.text).toContain('2026年4月1日（水）に書面で締結');

    const events = (await w.a.viewer.get(`/api/v1/agreements/${res.json.id}/audit-events`)).json
      .items as Array<{
      action: string;
    }>;
    expect(events.map((e) => e.action)).toEqual(['agreement.created', 'agreement.recorded_on_paper']);
  });

  it('a party drafting never mails anyone, and a draft the administrator creates without signedOn is an unsigned draft', async () => {
    const count = async () =>
      Number(
        (
          await h.db.kysely
            .selectFrom('outbox')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const n = await count();
    const draft = await draftBy(w.a.owner, { signedOn: '2026-04-01' });
    await sign(w.b.owner, draft.id);
    const plain = await draftBy(w.admin);
    expect(plain).toMatchObject({ status: 'draft', signatures: { A: null, B: null } });
    expect(await count()).toBe(n);
  });

  it("the counterparty of a draft sees the proposer's name only (not its address or representative), and the proposer the counterparty's name only — in the agreement, the list and the document", async () => {
    const draft = await draftBy(w.a.owner, {}, w.orgC.id);
    expect(draft.partyB).toEqual({
      id: w.orgC.id,
      name: '丙データ株式会社',
      address: null,
      representative: null,
    });
    expect(draft.partyA.address).toBe(w.orgA.address);

    const seen = await w.c.owner.get(`/api/v1/agreements/${draft.id}`);
    expect(seen.status).toBe(200);
    expect(seen.json.partyA).toEqual({
      id: w.orgA.id,
      name: '甲商事株式会社',
      address: null,
      representative: null,
    });
    expect(seen.json.partyB.address).toBe(w.orgC.address);
    const bodies = [
      seen.body,
      (await w.c.viewer.get('/api/v1/agreements')).body,
      (await w.c.legal.get(`/api/v1/agreements/${draft.id}/document?format=html`)).body,
    ];
    for (const body of bodies) {
      expect(body).not.toContain(w.orgA.address);
      expect(body).not.toContain(w.orgA.representative);
    }
    const proposer = [
      (await w.a.viewer.get(`/api/v1/agreements/${draft.id}`)).body,
      (await w.a.viewer.get('/api/v1/agreements')).body,
      (await w.a.owner.get(`/api/v1/agreements/${draft.id}/document?format=html`)).body,
    ];
    for (const body of proposer) {
      expect(body).not.toContain(w.orgC.address);
      expect(body).not.toContain(w.orgC.representative);
    }
    // The administrator sees both; once both have signed, so do the parties.
    expect((await w.admin.get(`/api/v1/agreements/${draft.id}`)).json.partyA.address).toBe(w.orgA.address);
    await sign(w.a.owner, draft.id);
    await sign(w.c.legal, draft.id);
    const after = await w.c.viewer.get(`/api/v1/agreements/${draft.id}`);
    expect(after.json.status).toBe('active');
    expect(after.json.partyA).toMatchObject({
      address: w.orgA.address,
      representative: w.orgA.representative,
    });
  });

  it("editing a signed draft's terms withdraws the signatures: both sign the new terms", async () => {
    const draft = await draftBy(w.a.owner, { signedOn: '2026-04-01' });
    const edited = await w.b.legal.patch(
      `/api/v1/agreements/${draft.id}`,
      { parameters: { noticeTargetHours: 12 } },
      { 'if-match': `"${draft.version}"` },
    );
    expect(edited.status, edited.body).toBe(200);
    expect(edited.json).toMatchObject({
      status: 'draft',
      proposedSignedOn: null,
      signatures: { A: null, B: null },
    });
    expect((await sign(w.b.legal, edited.json.id)).json.status).toBe('draft');
  });

  describe('concurrency', () => {
    it('both parties and a second signer of one party at once: both signatures land once, the duplicate is refused', async () => {
      const draft = await draftBy(w.a.owner);
      const results = await Promise.all([
        sign(w.a.owner, draft.id),
        sign(w.b.owner, draft.id),
        sign(w.a.legal, draft.id),
      ]);
      expect(results.filter((r) => r.status === 200)).toHaveLength(2);
      const refused = results.filter((r) => r.status !== 200);
      expect(refused).toHaveLength(1);
      // Refused as a second signature of party A, or — when both had signed first — as signed already.
      expect(['PARTY_ALREADY_SIGNED', 'AGREEMENT_ALREADY_SIGNED']).toContain(refused[0]?.json.code);
      expect(refused[0]?.status).toBe(409);
      const got = await w.a.viewer.get(`/api/v1/agreements/${draft.id}`);
      expect(got.json).toMatchObject({ status: 'active', signedOn: '2026-11-28' });
      const events = (await w.a.viewer.get(`/api/v1/agreements/${draft.id}/audit-events`)).json
        .items as Array<{
        action: string;
      }>;
      expect(events.filter((e) => e.action === 'agreement.signed')).toHaveLength(2);
    });
  });
});

forEachDialect('migration 0007: agreements signed before it', (h) => {
  it('are recorded as signed on paper by both parties when they were created; drafts stay unsigned', async () => {
    const { up, down } = await import('../../src/persistence/migrations/0007-agreement-signatures.js');
    const w = await seedWorld(h.ctx, h.app);
    const legacy = await draftBy(w, w.a.owner);
    const draft = await draftBy(w, w.b.owner);
    await down(h.db.kysely);
    // As 0.3 stored a draft one party's legal "signed" alone: a signing date and nothing else.
    await h.db.kysely
      .updateTable('agreements')
      .set({ signed_on: '2026-04-01', version: 2 } as never)
      .where('id', '=', legacy.id)
      .execute();
    await up(h.db.kysely);
    const got = (await w.b.viewer.get(`/api/v1/agreements/${legacy.id}`)).json;
    const paper = { by: null, at: legacy.createdAt, onPaper: true };
    expect(got).toMatchObject({
      status: 'active',
      signedOn: '2026-04-01',
      signatures: { A: paper, B: paper },
    });
    const still = (await w.a.viewer.get(`/api/v1/agreements/${draft.id}`)).json;
    expect(still).toMatchObject({ status: 'draft', signatures: { A: null, B: null } });
  });

  const draftBy = async (w: World, c: Client) =>
    (await c.post('/api/v1/agreements', { partyA: w.orgA.id, partyB: w.orgB.id })).json as {
      id: string;
      createdAt: string;
    };
});
