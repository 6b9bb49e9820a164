import ICAL from 'ical.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { forEachDialect } from '../support/dialects.js';
import {
  FIRST_ITEMS,
  seedWorld,
  snapshot,
  type Client,
  type Response,
  type World,
} from '../support/fixtures.js';

type QueueRow = { id: string; startsAt: string; dueAt: string; incident: { id: string; title: string } };

const parseEvents = (text: string) =>
  new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').map((c) => {
    const ev = new ICAL.Event(c);
    return {
      uid: ev.uid,
      start: ev.startDate.toJSDate().getTime(),
      summary: ev.summary,
      description: ev.description,
      url: c.getFirstPropertyValue('url') as string,
      alarms: c
        .getAllSubcomponents('valarm')
        .map((a) => (a.getFirstPropertyValue('trigger') as ICAL.Time).toJSDate().getTime()),
    };
  });

/** Calendar feeds (issue 8, item 4): POST/GET/DELETE /api/v1/calendar-feeds and the .ics URL. */
forEachDialect('calendar feeds', (h) => {
  let w: World;
  let ab: string;
  let seen: string; // 乙's incident under 甲-乙, notified
  let hidden: string; // 乙's incident under 甲-乙, not notified yet: 甲 must not see it
  let own: string; // 乙's incident under 丙-乙, not notified

  beforeAll(async () => {
    w = await seedWorld(h.ctx, h.app);
    const agreement = async (partyA: string) =>
      (await w.admin.post('/api/v1/agreements', { partyA, partyB: w.orgB.id, signedOn: '2026-04-01' })).json
        .id as string;
    ab = await agreement(w.orgA.id);
    const cb = await agreement(w.orgC.id);
    const report = async (on: string, discoveredAt: string, title: string) =>
      (
        await w.b.responder.post(`/api/v1/agreements/${on}/incidents`, {
          reportingParty: 'B',
          title,
          suspected: true,
          discoveredAt,
        })
      ).json.id as string;
    seen = await report(ab, '2026-11-27T20:00:00Z', '再委託先でのマルウェア感染');
    hidden = await report(ab, '2026-11-27T22:00:00Z', '未通知の社内調査中の事案');
    own = await report(cb, '2026-11-27T10:00:00Z', 'C向け配送データの誤送信');
    const notice = await w.b.responder.post(`/api/v1/incidents/${seen}/notices`, { items: FIRST_ITEMS });
    expect(notice.status, notice.body).toBe(201);
  });

  const create = async (c: Client) => {
    const res = await c.post('/api/v1/calendar-feeds');
    expect(res.status, res.body).toBe(201);
    return res.json as { id: string; url: string };
  };
  /** Reads a feed URL without any session (as a calendar client would). */
  const fetchFeed = (url: string): Promise<Response> => w.anon.get(new URL(url).pathname);
  const queue = async (c: Client) => {
    const res = await c.get('/api/v1/obligations');
    expect(res.status, res.body).toBe(200);
    return res.json.items as QueueRow[];
  };

  describe('the feed', () => {
    it('is readable without a session, as text/calendar not stored by shared caches, and lists exactly the open duties (UID, DTSTART = dueAt, alarms at 50/90 %) in Japanese', async () => {
      const feed = await create(w.b.responder);
      expect(feed.id).toMatch(/^cal_/);
      expect(feed.url).toMatch(/^http:\/\/localhost:3000\/api\/v1\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
      const res = await fetchFeed(feed.url);
      expect(res.status, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
      expect(String(res.headers['cache-control'])).toMatch(/^private\b|no-store/);
      expect(res.body.includes('\r\n')).toBe(true);

      const rows = await queue(w.b.responder);
      expect(rows.length).toBeGreaterThanOrEqual(4); // 3.1/3.3 of own and hidden, 3.3 of both parties on seen
      const events = parseEvents(res.body);
      expect(events.map((e) => e.uid)).toEqual(rows.map((r) => `${r.id}@localhost`));
      for (const [i, r] of rows.entries()) {
        const e = events[i] as (typeof events)[number];
        const start = Date.parse(r.startsAt);
        const due = Date.parse(r.dueAt);
        expect(e.start).toBe(due);
        expect(e.alarms).toEqual([
          start + Math.round((due - start) * 0.5),
          start + Math.round((due - start) * 0.9),
        ]);
        expect(e.url).toBe(`http://localhost:3000/incidents/${r.incident.id}`);
        expect(e.summary).toMatch(/^【期限(超過)?】第3条/);
        expect(e.summary.endsWith(` — ${r.incident.title}`)).toBe(true);
        expect(e.description).toMatch(/^義務を負う当事者：(当社|相手方)（/);
      }
      const titles = new Set(rows.map((r) => r.incident.id));
      expect(titles).toEqual(new Set([seen, hidden, own]));
    });

    it("a party's feed shows nothing of an incident the memorandum still hides from it (not yet notified)", async () => {
      const feed = await create(w.a.viewer);
      const res = await fetchFeed(feed.url);
      expect(res.status, res.body).toBe(200);
      const events = parseEvents(res.body);
      const rows = await queue(w.a.viewer);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.incident.id === seen)).toBe(true);
      expect(events.map((e) => e.uid)).toEqual(rows.map((r) => `${r.id}@localhost`));
      expect(res.body).not.toContain('未通知の社内調査中の事案');
      expect(res.body).not.toContain(hidden);
      expect(res.body).not.toContain(own);
      // 丙 has no notified incident at all: an empty but valid calendar.
      const c = await fetchFeed((await create(w.c.viewer)).url);
      expect(c.status).toBe(200);
      expect(parseEvents(c.body)).toEqual([]);
    });

    it('speaks English for an en user', async () => {
      expect((await w.b.legal.patch('/api/v1/me', { locale: 'en' })).status).toBe(200);
      const events = parseEvents((await fetchFeed((await create(w.b.legal)).url)).body);
      expect(events.length).toBeGreaterThan(0);
      expect(events.every((e) => /^\[(Due|Overdue)\] Art 3\./.test(e.summary))).toBe(true);
      await w.b.legal.patch('/api/v1/me', { locale: 'ja' });
    });

    it('an unknown or malformed token → 404', async () => {
      const res = await w.anon.get('/api/v1/calendar/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics');
      expect(res.status).toBe(404);
      expect(res.json.code).toBe('CALENDAR_FEED_NOT_FOUND');
      expect((await w.anon.get('/api/v1/calendar/x.ics')).status).toBe(404);
    });

    it("reflects the owner's current access: a disabled user's feed answers 404, and again 200 once re-enabled", async () => {
      const me = (await w.b.viewer.get('/api/v1/session')).json.user.id as string;
      const feed = await create(w.b.viewer);
      expect((await fetchFeed(feed.url)).status).toBe(200);
      const userUrl = `/api/v1/organizations/${w.orgB.id}/users/${me}`;
      expect((await w.b.owner.patch(userUrl, { disabled: true })).status).toBe(200);
      expect((await fetchFeed(feed.url)).status).toBe(404);
      expect((await w.b.owner.patch(userUrl, { disabled: false })).status).toBe(200);
      expect((await fetchFeed(feed.url)).status).toBe(200);
      // Removed from the organisation: the feed is gone for good.
      expect((await w.b.owner.delete(userUrl)).status).toBe(204);
      expect((await fetchFeed(feed.url)).status).toBe(404);
    });

    it('is outside the session and CSRF checks: a cross-site GET with a foreign session cookie still reads it', async () => {
      const feed = await create(w.b.responder);
      const path = new URL(feed.url).pathname;
      const res = await w.a.owner.get(path, {
        'sec-fetch-site': 'cross-site',
        origin: 'https://evil.example',
      });
      expect(res.status, res.body).toBe(200);
      expect(res.headers['cache-control']).toBe('private, max-age=300');
      expect(res.headers['set-cookie']).toBeUndefined();
    });
  });

  describe('managing feeds', () => {
    it('the list shows id, created and last read, never the token or URL', async () => {
      const feed = await create(w.b.owner);
      await fetchFeed(feed.url);
      const res = await w.b.owner.get('/api/v1/calendar-feeds');
      expect(res.status, res.body).toBe(200);
      const token = (new URL(feed.url).pathname.split('/').pop() as string).replace(/\.ics$/, '');
      expect(res.body).not.toContain(token);
      expect(res.body).not.toContain('.ics');
      expect(res.json.items).toEqual([
        { id: feed.id, createdAt: expect.any(String), lastUsedAt: expect.any(String) },
      ]);
      expect(Object.keys(res.json.items[0]).sort()).toEqual(['createdAt', 'id', 'lastUsedAt']);
    });

    it("revoking ends the URL (404 afterwards); another user's feed id → 404 and stays working", async () => {
      const feed = await create(w.b.responder);
      expect((await w.a.owner.delete(`/api/v1/calendar-feeds/${feed.id}`)).status).toBe(404);
      expect((await w.b.owner.delete(`/api/v1/calendar-feeds/${feed.id}`)).status).toBe(404);
      expect((await fetchFeed(feed.url)).status).toBe(200);
      expect((await w.b.responder.delete(`/api/v1/calendar-feeds/${feed.id}`)).status).toBe(204);
      const gone = await fetchFeed(feed.url);
      expect(gone.status).toBe(404);
      expect(gone.json.code).toBe('CALENDAR_FEED_NOT_FOUND');
      expect((await w.b.responder.delete(`/api/v1/calendar-feeds/${feed.id}`)).status).toBe(404);
      const ids = ((await w.b.responder.get('/api/v1/calendar-feeds')).json.items as { id: string }[]).map(
        (f) => f.id,
      );
      expect(ids).not.toContain(feed.id);
    });

    it('without a session the management endpoints answer 401', async () => {
      expect((await w.anon.post('/api/v1/calendar-feeds')).status).toBe(401);
      expect((await w.anon.get('/api/v1/calendar-feeds')).status).toBe(401);
      expect((await w.anon.delete('/api/v1/calendar-feeds/cal_x')).status).toBe(401);
    });

    it('the instance administrator may not create a feed (403)', async () => {
      const feedRows = () => h.ctx.db.kysely.selectFrom('calendar_feeds').select('id').execute();
      const before = [await snapshot(h.ctx), await feedRows()];
      const res = await w.admin.post('/api/v1/calendar-feeds');
      expect(res.status).toBe(403);
      expect([await snapshot(h.ctx), await feedRows()]).toEqual(before); // nothing stored, nothing audited
      expect(res.json.code).toBe('FORBIDDEN');
      expect(res.json.title ?? res.json.detail ?? '').toBeTruthy();
    });
  });
});
