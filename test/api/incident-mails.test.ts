import { beforeAll, expect, it } from 'vitest';
import { listOutbox } from '../../src/persistence/repositories/outbox.js';
import { forEachDialect } from '../support/dialects.js';
import { FIRST_ITEMS, seedWorld, type World } from '../support/fixtures.js';

/** Mail at the moments that matter (issue 8 item 5): registration, dismissal and closing. */
forEachDialect('incident mails at the moments that matter', (h) => {
  let w: World;
  let agreementId: string;
  beforeAll(async () => {
    w = await seedWorld(h.ctx, h.app);
    agreementId = (
      await w.admin.post('/api/v1/agreements', {
        partyA: w.orgA.id,
        partyB: w.orgB.id,
        signedOn: '2026-04-01',
      })
    ).json.id;
  });
  const report = async () =>
    (
      await w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
        reportingParty: 'B',
        title: '顧客リストの誤送信',
        suspected: true,
        discoveredAt: '2026-11-28T08:00:00+09:00',
      })
    ).json.id as string;
  const mailsOf = async (prefix: string) =>
    (await listOutbox(h.ctx.db, 'mail'))
      .filter((m) => m.dedupe_key.startsWith(prefix))
      .map((m) => JSON.parse(m.payload) as { to: string; subject: string; text: string });
  const emails = (...keys: string[]) => keys.map((k) => w.emails[k]).sort();

  it('registration alerts the registering party’s owner, legal and responders with the Art 3.1 deadline — not the other party', async () => {
    const id = await report();
    const mails = await mailsOf(`incident.registered:${id}`);
    expect(mails.map((m) => m.to).sort()).toEqual(emails('b.owner', 'b.legal', 'b.responder'));
    const ja = mails.find((m) => m.to === w.emails['b.owner']);
    expect(ja?.subject).toContain('当社側で事故が登録されました');
    expect(ja?.text).toContain('第3条第1項');
    expect(ja?.text).toContain('第一報');
  });

  it('closing is mailed to both parties once the other has seen the incident', async () => {
    const id = await report();
    await w.b.responder.post(`/api/v1/incidents/${id}/notices`, { items: FIRST_ITEMS });
    for (const to of ['confirmed', 'contained', 'recovering', 'closed']) {
      const r = await w.b.owner.post(`/api/v1/incidents/${id}/transitions`, { to });
      expect(r.status, r.body).toBe(200);
    }
    expect((await mailsOf(`incident.closed:${id}`)).map((m) => m.to).sort()).toEqual(
      emails('a.owner', 'a.legal', 'a.responder'),
    );
    expect((await mailsOf(`incident.closed.own:${id}`)).map((m) => m.to).sort()).toEqual(
      emails('b.owner', 'b.legal', 'b.responder'),
    );
  });

  it('every incident mail says what to do next and by when, with the weekday and the time left (issue 8 items 3 and 5)', async () => {
    // The test clock stands at 2026-11-28T01:00Z = 10:00 on Saturday 28 November in Tokyo.
    const id = await report();
    const own = (await mailsOf(`incident.registered:${id}`)).find((m) => m.to === w.emails['b.owner']);
    // Art 3.1 runs 24 hours from the discovery (8:00 on the 28th): due 8:00 on Sunday the 29th, 22 hours left.
    expect(own?.text).toContain('期限：2026年11月29日（日）8時00分まで（あと22時間）');
    // The mail is about that very duty, so 次にやること says how to settle it.
    expect(own?.text).toContain('次にやること：発生側当事者の第一報を BreachPact に記録してください。');
    await w.b.responder.post(`/api/v1/incidents/${id}/notices`, { items: FIRST_ITEMS });
    // 甲 learns of it from the notice; its own next duty is its Art 3.3 containment decision.
    const toA = (await mailsOf('notice.sent:')).filter((m) => m.text.includes(`/incidents/${id}`));
    const aOwner = toA.find((m) => m.to === w.emails['a.owner']);
    expect(aOwner?.text).toMatch(/次にやること：第3条第3項 被害拡大防止措置（初動対応）/);
    expect(aOwner?.text).toMatch(/期限：2026年11月\d+日（[日月火水木金土]）\d+時\d\d分まで（あと[^）]+）/);
  });

  it('in English for an English user: "by Sun 29 Nov 2026, 08:00 JST (22 h left)" and "Next: …"', async () => {
    expect((await w.b.legal.patch('/api/v1/me', { locale: 'en' })).status).toBe(200);
    try {
      const id = await report();
      const en = (await mailsOf(`incident.registered:${id}`)).find((m) => m.to === w.emails['b.legal']);
      expect(en?.text).toContain('Due: by Sun 29 Nov 2026, 08:00 JST (22 h left)');
      expect(en?.text).toContain('Next: record the first notice of the party where it arose in BreachPact.');
    } finally {
      await w.b.legal.patch('/api/v1/me', { locale: 'ja' });
    }
  });

  it('a dismissal the other party has not seen is mailed to the registering party only, with the notice still owed', async () => {
    const id = await report();
    await w.b.owner.post(`/api/v1/incidents/${id}/transitions`, { to: 'dismissed', reason: '誤検知' });
    expect(await mailsOf(`incident.dismissed:${id}`)).toEqual([]);
    const own = await mailsOf(`incident.dismissed.own:${id}`);
    expect(own.map((m) => m.to).sort()).toEqual(emails('b.owner', 'b.legal', 'b.responder'));
    expect(own[0]?.text).toContain('第3条第1項の通知義務は残ります');
  });
});
