import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/app/audit/audit-events.js';
import { login } from '../../src/app/auth/sessions.js';
import { listAuditEvents } from '../../src/persistence/repositories/audit.js';
import { forEachDialect } from '../support/dialects.js';
import { FIRST_ITEMS, PASSWORD, seedWorld, snapshot, type Client, type World } from '../support/fixtures.js';

/** 64 KiB: small enough to go over in a test. */
const LIMIT = 65_536;

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * Evidence (issue 9 item 2, Art 4.2(7)): upload streamed to DATA_DIR/evidence with SHA-256, party-only
 * until shared, downloads re-checked against the hash (Repr-Digest), chain of custody in the audit
 * chain; cut-off and oversize uploads leave no file and no row.
 */
forEachDialect('Evidence (Art 4.2(7))', { env: { EVIDENCE_MAX_BYTES: String(LIMIT) } }, (h) => {
  let w: World;
  let agreementId: string;
  let incidentId: string;
  /** Session tokens by `a.owner`-style key, for raw (non-JSON) requests. */
  const tokens: Record<string, string> = {};
  const dir = () => path.join(h.config.dataDir, 'evidence');
  const files = () => (fs.existsSync(dir()) ? fs.readdirSync(dir()).sort() : []);
  const evidenceRows = async () => h.db.kysely.selectFrom('evidence').selectAll().orderBy('id').execute();
  /** Every table a refused upload could touch, and the evidence folder. */
  const state = async () =>
    JSON.stringify({
      tables: await snapshot(h.ctx),
      evidence: await evidenceRows(),
      custody: await h.db.kysely.selectFrom('evidence_custody').selectAll().orderBy('id').execute(),
      files: files(),
    });

  const session = async (key: string) => {
    tokens[key] ??= (await login(h.ctx, w.emails[key] as string, PASSWORD)).token;
    return tokens[key];
  };

  /** POST the raw bytes (a Buffer or a stream) as application/octet-stream. */
  const upload = async (
    who: string | null,
    body: Buffer | Readable,
    query: Record<string, string> = { filename: 'access.log' },
    options: { incident?: string; headers?: Record<string, string> } = {},
  ) => {
    const qs = new URLSearchParams(query).toString();
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${options.incident ?? incidentId}/evidence?${qs}`,
      headers: {
        'content-type': 'application/octet-stream',
        ...(who ? { cookie: `bp_session=${await session(who)}` } : {}),
        ...options.headers,
      },
      payload: body,
    });
    let json: any;
    try {
      json = JSON.parse(res.body);
    } catch {
      json = undefined;
    }
    return { status: res.statusCode, headers: res.headers, body: res.body, json, raw: res.rawPayload };
  };

  const content = async (who: string, id: string) => {
    const res = await h.app.inject({
      method: 'GET',
      url: `/api/v1/evidence/${id}/content`,
      headers: { cookie: `bp_session=${await session(who)}` },
    });
    return { status: res.statusCode, headers: res.headers, raw: res.rawPayload, json: safeJson(res.body) };
  };
  const safeJson = (s: string) => {
    try {
      return JSON.parse(s);
    } catch {
      return undefined;
    }
  };

  const report = async (as: Client = w.b.responder) =>
    (
      await as.post(`/api/v1/agreements/${agreementId}/incidents`, {
        reportingParty: 'B',
        title: '委託先サーバーからの顧客情報流出の疑い',
        suspected: true,
        discoveredAt: '2026-11-27T23:40:00+09:00',
      })
    ).json.id as string;

  beforeAll(async () => {
    w = await seedWorld(h.ctx, h.app);
    agreementId = (
      await w.admin.post('/api/v1/agreements', {
        partyA: w.orgA.id,
        partyB: w.orgB.id,
        signedOn: '2026-04-01',
      })
    ).json.id as string;
    incidentId = await report();
    const sent = await w.b.responder.post(`/api/v1/incidents/${incidentId}/notices`, { items: FIRST_ITEMS });
    expect(sent.status, sent.body).toBe(201);
  });

  describe('upload, visibility and sharing', () => {
    const bytes = randomBytes(40_000);
    let evidenceId: string;

    it('streams the file to DATA_DIR/evidence with its SHA-256; replies {id, filename, size, sha256, visibility: party, collectedBy, collectedAt}', async () => {
      const before = files();
      const res = await upload('a.responder', bytes, {
        filename: 'アクセスログ 2026-11-27.csv',
        description: 'Web サーバーのアクセスログ（11月27日分）',
      });
      expect(res.status, res.body).toBe(201);
      expect(res.json).toMatchObject({
        incidentId,
        clause: '4.2(7)',
        party: 'A',
        filename: 'アクセスログ 2026-11-27.csv',
        description: 'Web サーバーのアクセスログ（11月27日分）',
        size: bytes.length,
        sha256: sha256(bytes),
        visibility: 'party',
        collectedBy: { name: 'A responder' },
        collectedAt: '2026-11-28T01:00:00.000Z',
        sharedBy: null,
        sharedAt: null,
      });
      evidenceId = res.json.id;
      expect(res.headers.location).toBe(`/api/v1/evidence/${evidenceId}`);
      // One new file, named by the storage key (not the user's name), with the same bytes; no temp file.
      const added = files().filter((f) => !before.includes(f));
      expect(added).toHaveLength(1);
      expect(added[0]).toMatch(/^[0-9a-f]{32}$/);
      expect(fs.readFileSync(path.join(dir(), added[0] as string)).equals(bytes)).toBe(true);
      expect(files().some((f) => f.startsWith('.tmp'))).toBe(false);
    });

    it('an empty file and a file of exactly EVIDENCE_MAX_BYTES are accepted', async () => {
      const empty = await upload('a.owner', Buffer.alloc(0), { filename: 'empty.txt' });
      expect(empty.status, empty.body).toBe(201);
      expect(empty.json).toMatchObject({ size: 0, sha256: sha256(Buffer.alloc(0)) });
      const full = randomBytes(LIMIT);
      const res = await upload('b.legal', full, { filename: 'full.bin' });
      expect(res.status, res.body).toBe(201);
      expect(res.json).toMatchObject({ size: LIMIT, sha256: sha256(full), party: 'B' });
    });

    it('the other party cannot see unshared evidence: 404 on metadata, content and custody, absent from its list', async () => {
      for (const role of ['owner', 'legal', 'responder', 'viewer'] as const) {
        const c = w.b[role];
        expect((await c.get(`/api/v1/evidence/${evidenceId}`)).status).toBe(404);
        expect((await c.get(`/api/v1/evidence/${evidenceId}/custody`)).status).toBe(404);
        expect((await content(`b.${role}`, evidenceId)).status).toBe(404);
        const list = await c.get(`/api/v1/incidents/${incidentId}/evidence`);
        expect(list.status).toBe(200);
        expect(list.json.items.map((e: { id: string }) => e.id)).not.toContain(evidenceId);
      }
      const nf = await w.b.owner.get(`/api/v1/evidence/${evidenceId}`);
      expect(nf.json.code).toBe('EVIDENCE_NOT_FOUND');
      // Sharing someone else's unshared file: the same 404 (existence not revealed), for every role.
      expect((await w.b.owner.post(`/api/v1/evidence/${evidenceId}/share`)).status).toBe(404);
      expect((await w.b.viewer.post(`/api/v1/evidence/${evidenceId}/share`)).status).toBe(404);
      // Nor does the audit listing show the other party the upload.
      const events = (await w.b.owner.get(`/api/v1/agreements/${agreementId}/audit-events`)).json.items as {
        recordId: string;
      }[];
      expect(events.some((e) => e.recordId === evidenceId)).toBe(false);
    });

    it("the uploading party's members all see it, viewers included", async () => {
      for (const role of ['owner', 'legal', 'responder', 'viewer'] as const) {
        expect((await w.a[role].get(`/api/v1/evidence/${evidenceId}`)).status).toBe(200);
        const list = await w.a[role].get(`/api/v1/incidents/${incidentId}/evidence`);
        expect(list.json.items.map((e: { id: string }) => e.id)).toContain(evidenceId);
      }
      // B's own file is in B's list, not in A's.
      const aList = (await w.a.owner.get(`/api/v1/incidents/${incidentId}/evidence`)).json.items;
      expect(aList.every((e: { party: string }) => e.party === 'A')).toBe(true);
    });

    it('downloads stream the bytes with Repr-Digest (RFC 9530) and Content-Disposition with the Japanese name (RFC 6266/8187)', async () => {
      const res = await content('a.viewer', evidenceId);
      expect(res.status).toBe(200);
      expect(res.raw.equals(bytes)).toBe(true);
      expect(res.headers['repr-digest']).toBe(
        `sha-256=:${createHash('sha256').update(bytes).digest('base64')}:`,
      );
      expect(res.headers['content-type']).toBe('application/octet-stream');
      expect(Number(res.headers['content-length'])).toBe(bytes.length);
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="______ 2026-11-27.csv"; filename*=UTF-8''${encodeURIComponent('アクセスログ 2026-11-27.csv')}`,
      );
    });

    it('only the uploading party shares (viewers 403, the other party 403 once shared); a second share is idempotent', async () => {
      expect((await w.a.viewer.post(`/api/v1/evidence/${evidenceId}/share`)).status).toBe(403);
      const shared = await w.a.legal.post(`/api/v1/evidence/${evidenceId}/share`);
      expect(shared.status, shared.body).toBe(200);
      expect(shared.json).toMatchObject({
        visibility: 'shared',
        sharedBy: { name: 'A legal' },
        sharedAt: '2026-11-28T01:00:00.000Z',
        version: 2,
      });
      h.clock.advance({ minutes: 5 });
      const again = await w.a.owner.post(`/api/v1/evidence/${evidenceId}/share`);
      expect(again.status).toBe(200);
      expect(again.json).toEqual(shared.json); // unchanged: first share's time and person
      // Now the other party sees it everywhere and downloads the same bytes; it cannot share it.
      expect((await w.b.viewer.get(`/api/v1/evidence/${evidenceId}`)).json).toEqual(shared.json);
      const list = await w.b.viewer.get(`/api/v1/incidents/${incidentId}/evidence`);
      expect(list.json.items.map((e: { id: string }) => e.id)).toContain(evidenceId);
      const dl = await content('b.responder', evidenceId);
      expect(dl.status).toBe(200);
      expect(dl.raw.equals(bytes)).toBe(true);
      const b = await w.b.owner.post(`/api/v1/evidence/${evidenceId}/share`);
      expect(b.status).toBe(403);
      expect(b.json.messageJa).toBeTruthy();
    });

    it('the chain of custody lists uploaded, shared and each download (by whom, when), each an event of the audit chain, which verifies', async () => {
      const res = await w.b.viewer.get(`/api/v1/evidence/${evidenceId}/custody`);
      expect(res.status, res.body).toBe(200);
      expect(res.json.evidenceId).toBe(evidenceId);
      const items = res.json.items as {
        action: string;
        party: string;
        actor: { name: string };
        at: string;
        audit: { chain: string; seq: number };
      }[];
      expect(items.map((i) => [i.action, i.party, i.actor.name])).toEqual([
        ['uploaded', 'A', 'A responder'],
        ['downloaded', 'A', 'A viewer'],
        ['shared', 'A', 'A legal'],
        ['downloaded', 'B', 'B responder'],
      ]);
      expect(items[3]?.at).toBe('2026-11-28T01:05:00.000Z');
      const chain = await listAuditEvents(h.db, agreementId);
      for (const item of items) {
        expect(item.audit.chain).toBe(agreementId);
        const event = chain.find((e) => e.seq === item.audit.seq);
        expect(event).toMatchObject({
          action: `evidence.${item.action}`,
          recordType: 'evidence',
          recordId: evidenceId,
        });
      }
      expect((await verifyAudit(h.db, { chain: agreementId })).ok).toBe(true);
      // Once shared, the other party's audit listing shows the share and its own download.
      const events = (await w.b.owner.get(`/api/v1/agreements/${agreementId}/audit-events`)).json.items as {
        recordId: string;
        action: string;
      }[];
      expect(events.filter((e) => e.recordId === evidenceId).map((e) => e.action)).toEqual([
        'evidence.shared',
        'evidence.downloaded',
      ]);
    });
  });

  describe('integrity', () => {
    it('changed bytes are refused with 409 EVIDENCE_INTEGRITY_FAILED, recorded in the custody and audit chains', async () => {
      const bytes = Buffer.from(
        '2026-11-27T23:10:02+09:00 GET /admin/export 200 user=svc-batch\n'.repeat(50),
      );
      const up = await upload('b.responder', bytes, { filename: 'export.log' });
      expect(up.status).toBe(201);
      const row = (await evidenceRows()).find((r) => r.id === up.json.id);
      const file = path.join(dir(), row?.storage_key as string);
      // Same size, one byte changed (a tampered line).
      const changed = Buffer.from(bytes);
      changed[10] = changed[10] === 0x31 ? 0x32 : 0x31;
      fs.writeFileSync(file, changed);
      const res = await content('b.owner', up.json.id);
      expect(res.status).toBe(409);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json.code).toBe('EVIDENCE_INTEGRITY_FAILED');
      expect(res.json.messageJa).toContain('一致しません');
      expect(res.json.messageEn).toContain('no longer matches');
      const custody = (await w.b.owner.get(`/api/v1/evidence/${up.json.id}/custody`)).json.items;
      expect(custody.map((c: { action: string }) => c.action)).toEqual(['uploaded', 'integrity_failed']);
      expect(custody[1].detail).toMatchObject({
        expectedSha256: sha256(bytes),
        foundSha256: sha256(changed),
        foundSize: bytes.length,
        missing: false,
      });
      const event = (await listAuditEvents(h.db, agreementId)).find((e) => e.seq === custody[1].audit.seq);
      expect(event?.action).toBe('evidence.integrity_failed');
      expect((await verifyAudit(h.db, { chain: agreementId })).ok).toBe(true);
      // A file that is gone is an integrity failure too.
      fs.rmSync(file);
      const gone = await content('b.owner', up.json.id);
      expect(gone.status).toBe(409);
      const again = (await w.b.owner.get(`/api/v1/evidence/${up.json.id}/custody`)).json.items;
      expect(again[2].detail).toMatchObject({ missing: true, foundSha256: null });
      // Restored bytes download again.
      fs.writeFileSync(file, bytes);
      expect((await content('b.owner', up.json.id)).status).toBe(200);
    });
  });

  describe('bad input changes nothing and leaves nothing on disk', () => {
    const badNames: [string, string][] = [
      ['a slash', '../secrets.txt'],
      ['a slash inside', 'logs/access.log'],
      ['a backslash', 'logs\\access.log'],
      ['dot', '.'],
      ['dot-dot', '..'],
      ['NUL', 'access\u0000.log'],
      ['a line break', 'access\n.log'],
      ['a C1 control', 'access\u0085.log'],
      ['DEL', 'access\u007f.log'],
      ['256 UTF-8 bytes', `${'あ'.repeat(85)}x`],
      ['empty', ''],
    ];
    for (const [what, name] of badNames) {
      it(`a file name with ${what} is 400 problem+json`, async () => {
        const before = await state();
        const res = await upload('a.owner', Buffer.from('x'), { filename: name });
        expect(res.status, res.body).toBe(400);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json.messageJa).toBeTruthy();
        expect(res.json.messageEn).toBeTruthy();
        expect(await state()).toBe(before);
      });
    }

    it('a name of exactly 255 UTF-8 bytes is kept', async () => {
      const name = 'あ'.repeat(85);
      const res = await upload('a.owner', Buffer.from('x'), { filename: name });
      expect(res.status, res.body).toBe(201);
      expect(res.json.filename).toBe(name);
    });

    it('a missing file name is 400; a JSON body is 415', async () => {
      const before = await state();
      expect((await upload('a.owner', Buffer.from('x'), {})).status).toBe(400);
      const json = await upload(
        'a.owner',
        Buffer.from('{"a":1}'),
        { filename: 'a.json' },
        {
          headers: { 'content-type': 'application/json' },
        },
      );
      expect(json.status).toBe(415);
      expect(json.json.messageJa).toContain('application/octet-stream');
      expect(await state()).toBe(before);
    });

    it('a Content-Length over EVIDENCE_MAX_BYTES is 413 before a byte is stored', async () => {
      const before = await state();
      const res = await upload('a.owner', randomBytes(LIMIT + 1), { filename: 'big.bin' });
      expect(res.status, res.body).toBe(413);
      expect(res.json).toMatchObject({ code: 'EVIDENCE_TOO_LARGE', maxBytes: LIMIT });
      expect(res.json.messageJa).toContain(String(LIMIT));
      expect(await state()).toBe(before);
    });

    it('a streamed body (no Content-Length) going over the limit is 413: no temp file, no row', async () => {
      const before = await state();
      let sent = 0;
      const stream = new Readable({
        read() {
          if (sent >= LIMIT * 3) return this.push(null);
          sent += 8192;
          this.push(randomBytes(8192));
        },
      });
      const res = await upload('a.owner', stream, { filename: 'stream.bin' });
      expect(res.status, res.body).toBe(413);
      expect(res.json.code).toBe('EVIDENCE_TOO_LARGE');
      expect(await state()).toBe(before);
    });

    it('an upload cut off half-way (raw socket closed) leaves no file and no row', async () => {
      await h.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = h.app.server.address() as AddressInfo;
      const before = await state();
      const token = await session('a.owner');
      for (const framing of ['content-length', 'chunked'] as const) {
        const socket = net.connect(port, '127.0.0.1');
        await new Promise((resolve) => socket.once('connect', resolve));
        socket.write(
          `POST /api/v1/incidents/${incidentId}/evidence?filename=cut.bin HTTP/1.1\r\n` +
            `Host: 127.0.0.1:${port}\r\nCookie: bp_session=${token}\r\n` +
            'Content-Type: application/octet-stream\r\n' +
            (framing === 'chunked'
              ? 'Transfer-Encoding: chunked\r\n\r\n'
              : `Content-Length: ${LIMIT - 10}\r\n\r\n`),
        );
        const half = randomBytes(LIMIT / 2);
        socket.write(
          framing === 'chunked' ? `${half.length.toString(16)}\r\n${half.toString('latin1')}\r\n` : half,
          'latin1',
        );
        // Let the server start writing the temp file, then drop the connection.
        for (let i = 0; i < 50 && !files().some((f) => f.startsWith('.tmp')); i++) await sleep(10);
        expect(files().some((f) => f.startsWith('.tmp'))).toBe(true);
        socket.destroy();
        for (let i = 0; i < 100 && files().some((f) => f.startsWith('.tmp')); i++) await sleep(10);
        expect(await state()).toBe(before);
      }
    });
  });

  describe('access on every endpoint', () => {
    let mine: string;
    beforeAll(async () => {
      mine = (await upload('a.owner', Buffer.from('evidence'), { filename: 'a.txt' })).json.id;
      expect((await w.a.owner.post(`/api/v1/evidence/${mine}/share`)).status).toBe(200);
    });

    const cases: { name: string; call: (c: Client, who: string | null) => Promise<{ status: number }> }[] = [
      {
        name: 'POST /incidents/{id}/evidence',
        call: async (_c, who) => upload(who, Buffer.from('x'), { filename: 'x.txt' }),
      },
      {
        name: 'GET /incidents/{id}/evidence',
        call: (c) => c.get(`/api/v1/incidents/${incidentId}/evidence`),
      },
      { name: 'GET /evidence/{id}', call: (c) => c.get(`/api/v1/evidence/${mine}`) },
      { name: 'POST /evidence/{id}/share', call: (c) => c.post(`/api/v1/evidence/${mine}/share`) },
      {
        name: 'GET /evidence/{id}/content',
        call: async (c, who) => (who ? content(who, mine) : c.get(`/api/v1/evidence/${mine}/content`)),
      },
      { name: 'GET /evidence/{id}/custody', call: (c) => c.get(`/api/v1/evidence/${mine}/custody`) },
    ];
    for (const { name, call } of cases) {
      it(`${name}: no session 401, another company 404, the administrator 403`, async () => {
        const before = await state();
        expect((await call(w.anon, null)).status).toBe(401);
        expect((await call(w.c.owner, 'c.owner')).status).toBe(404);
        expect((await call(w.admin, 'admin')).status).toBe(403);
        expect(await state()).toBe(before);
      });
    }

    it('viewers read but never upload or share (403, nothing stored)', async () => {
      const before = await state();
      expect((await upload('a.viewer', Buffer.from('x'), { filename: 'x.txt' })).status).toBe(403);
      expect((await upload('b.viewer', Buffer.from('x'), { filename: 'x.txt' })).status).toBe(403);
      expect((await w.a.viewer.post(`/api/v1/evidence/${mine}/share`)).status).toBe(403);
      expect(await state()).toBe(before);
      expect((await w.a.viewer.get(`/api/v1/evidence/${mine}/custody`)).status).toBe(200);
    });

    it("before the incident's first notice the other party gets 404 for it (no upload), an unknown id 404", async () => {
      const quiet = await report();
      const before = await state();
      const res = await upload('a.owner', Buffer.from('x'), { filename: 'x.txt' }, { incident: quiet });
      expect(res.status).toBe(404);
      expect(res.json.code).toBe('INCIDENT_NOT_FOUND');
      expect(await state()).toBe(before);
      expect(
        (await upload('b.owner', Buffer.from('x'), { filename: 'x.txt' }, { incident: quiet })).status,
      ).toBe(201);
      expect((await w.a.owner.get('/api/v1/evidence/evd_00000000000000000000000000')).status).toBe(404);
    });
  });
});
