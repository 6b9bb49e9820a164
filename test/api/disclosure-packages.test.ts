import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evidenceStore } from '../../src/app/evidence/store.js';
import { newId } from '../../src/domain/shared/ids.js';
import { insertEvidence } from '../../src/persistence/repositories/evidence.js';
import { forEachDialect } from '../support/dialects.js';
import { FIRST_ITEMS, seedWorld, type Client, type World } from '../support/fixtures.js';
import { rawRequest, text, unzip } from '../support/raw.js';

async function snapshot(db: { kysely: any }): Promise<string> {
  const out: Record<string, unknown> = {};
  for (const t of ['disclosures', 'disclosure_packages', 'audit_events', 'outbox', 'evidence']) {
    out[t] = await db.kysely.selectFrom(t).selectAll().orderBy('id').execute();
  }
  return JSON.stringify(out);
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/**
 * Art 5 enforcement (issue 9 item 4): the ZIP a party hands to the outside recipient, built only for
 * a consented or excepted disclosure, with every file's SHA-256 in manifest.json (verified here
 * after unzipping with fflate), evidence re-checked against its hash, and every package in the
 * audit chain.
 */
forEachDialect('disclosure packages (Art 5)', (h) => {
  let w: World;
  let agreementId: string;
  let incidentId: string;
  let otherIncidentId: string;
  let notices: string[];
  let otherNotice: string;
  const ev: Record<string, { id: string; bytes: Buffer; storageKey: string }> = {};

  /** Stores an evidence file through the evidence store and its repository (as an upload would). */
  const addEvidence = async (
    name: string,
    incident: string,
    party: 'A' | 'B',
    visibility: 'party' | 'shared',
    bytes: Buffer,
    filename = `${name}.bin`,
  ) => {
    const blob = await evidenceStore(h.config).put(
      (async function* () {
        yield bytes;
      })(),
      { maxBytes: 1 << 30 },
    );
    await blob.commit();
    const id = newId('evidence');
    await insertEvidence(h.db, {
      id,
      incidentId: incident,
      agreementId,
      party,
      filename,
      description: null,
      size: blob.size,
      sha256: blob.sha256,
      storageKey: blob.key,
      visibility,
      collectedBy: null,
      collectedAt: '2026-11-28T00:30:00.000Z',
      sharedBy: null,
      sharedAt: visibility === 'shared' ? '2026-11-28T00:40:00.000Z' : null,
      version: 1,
    });
    ev[name] = { id, bytes, storageKey: blob.key };
    return id;
  };

  const report = async () => {
    const inc = await w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
      reportingParty: 'B',
      title: '再委託先でのマルウェア感染',
      summary: '作業端末がマルウェアに感染',
      suspected: true,
      discoveredAt: '2026-11-27T23:40:00+09:00',
      infoCategories: ['personal'],
      kinds: ['cyber_attack'],
      causeEntity: 'subcontractor',
      affectedPersons: 1200,
      affectedPersonsEstimated: true,
    });
    expect(inc.status, inc.body).toBe(201);
    const n = await w.b.responder.post(`/api/v1/incidents/${inc.json.id}/notices`, { items: FIRST_ITEMS });
    expect(n.status).toBe(201);
    return { id: inc.json.id as string, notice: n.json.id as string };
  };
  const disclose = async (body: Record<string, unknown>, as: Client = w.b.legal) => {
    const r = await as.post(`/api/v1/incidents/${incidentId}/disclosures`, {
      recipient: '東京海上日動火災保険株式会社',
      purpose: 'サイバー保険の保険金請求',
      scope: '第一報と続報、ログの写し',
      basis: 'consent',
      ...body,
    });
    expect(r.status, r.body).toBe(201);
    return r.json.id as string;
  };
  const pkg = (disclosureId: string, body: unknown, who = 'b.owner') =>
    rawRequest(h.ctx, h.app, w.emails[who]!, 'POST', `/api/v1/disclosures/${disclosureId}/package`, body);

  beforeAll(async () => {
    w = await seedWorld(h.ctx, h.app);
    agreementId = (
      await w.admin.post('/api/v1/agreements', {
        partyA: w.orgA.id,
        partyB: w.orgB.id,
        signedOn: '2026-04-01',
      })
    ).json.id;
    const first = await report();
    incidentId = first.id;
    const follow = await w.b.responder.post(`/api/v1/incidents/${incidentId}/notices`, {
      items: { ...FIRST_ITEMS, informationScope: '顧客の氏名・メールアドレス約1,200件' },
    });
    notices = [first.notice, follow.json.id];
    const other = await report();
    otherIncidentId = other.id;
    otherNotice = other.notice;
    await addEvidence(
      'bOwn',
      incidentId,
      'B',
      'party',
      randomBytes(3 * 1024 * 1024 + 17),
      'アクセスログ 2026-11-27.log',
    );
    await addEvidence('aShared', incidentId, 'A', 'shared', Buffer.from('甲の受領記録\n'));
    await addEvidence('aOwn', incidentId, 'A', 'party', Buffer.from('甲の社内資料\n'));
    await addEvidence('otherIncident', otherIncidentId, 'B', 'shared', Buffer.from('別の事故の証拠\n'));
  });

  it('pending or refused: 403 CONSENT_REQUIRED, nothing recorded', async () => {
    const pending = await disclose({});
    const before = await snapshot(h.db);
    const r = await pkg(pending, { includeIncident: true });
    expect(r.status).toBe(403);
    expect(r.json.code).toBe('CONSENT_REQUIRED');
    expect(r.json.messageJa).toContain('第5条第1項');
    expect(r.json.messageEn).toBeTruthy();
    await w.a.owner.post(`/api/v1/disclosures/${pending}/decision`, {
      decision: 'refused',
      reason: '範囲が広すぎる',
    });
    const refused = await snapshot(h.db);
    expect((await pkg(pending, {})).json.code).toBe('CONSENT_REQUIRED');
    expect(await snapshot(h.db)).toBe(refused);
    expect(before).not.toBe(refused);
  });

  it('consented: the ZIP holds the records as JSON and Japanese text, the evidence, and manifest.json whose every hash matches; the package is in the audit chain and the register', async () => {
    const id = await disclose({});
    expect(
      (
        await w.a.legal.post(`/api/v1/disclosures/${id}/decision`, {
          decision: 'consented',
          conditions: '氏名を伏せる',
        })
      ).status,
    ).toBe(200);
    const r = await pkg(id, {
      noticeIds: notices,
      evidenceIds: [ev.bOwn!.id, ev.aShared!.id],
      includeIncident: true,
    });
    expect(r.status, r.bytes.toString().slice(0, 300)).toBe(200);
    expect(r.headers['content-type']).toBe('application/zip');
    expect(String(r.headers['content-disposition'])).toContain('attachment');
    const files = unzip(r.bytes);
    const manifestBytes = files['manifest.json'];
    expect(manifestBytes).toBeTruthy();
    expect(sha256(manifestBytes!)).toBe(r.headers['breachpact-manifest-sha256']);
    const manifest = JSON.parse(text(manifestBytes)) as {
      packageId: string;
      disclosure: { id: string; state: string; conditions: string };
      files: Array<{
        path: string;
        sha256: string;
        size: number;
        coveredBy: string;
        kind: string;
        recordId: string;
      }>;
    };
    expect(manifest.packageId).toBe(r.headers['breachpact-package-id']);
    expect(manifest.disclosure).toMatchObject({ id, state: 'consented', conditions: '氏名を伏せる' });
    // Every file but the manifest is listed, with its true hash and size, covered by this disclosure.
    expect(manifest.files.map((f) => f.path).sort()).toEqual(
      Object.keys(files)
        .filter((p) => p !== 'manifest.json')
        .sort(),
    );
    for (const f of manifest.files) {
      const bytes = files[f.path]!;
      expect(sha256(bytes), f.path).toBe(f.sha256);
      expect(bytes.byteLength, f.path).toBe(f.size);
      expect(f.coveredBy).toBe(id);
    }
    // The evidence bytes are the uploaded ones.
    const bPath = manifest.files.find((f) => f.recordId === ev.bOwn!.id)!.path;
    expect(bPath).toBe(`evidence/${ev.bOwn!.id}-アクセスログ 2026-11-27.log`);
    expect(Buffer.from(files[bPath]!).equals(ev.bOwn!.bytes)).toBe(true);
    expect(text(files[manifest.files.find((f) => f.recordId === ev.aShared!.id)!.path])).toBe(
      '甲の受領記録\n',
    );
    // Records as JSON and readable Japanese text.
    expect(JSON.parse(text(files['incident.json'])).id).toBe(incidentId);
    expect(text(files['incident.txt'])).toContain('影響を受けた本人の数：1,200（推定）');
    expect(text(files['disclosure.txt'])).toContain('開示先：東京海上日動火災保険株式会社');
    expect(text(files['disclosure.txt'])).toContain('承諾の条件：氏名を伏せる');
    const noticeTexts = Object.keys(files).filter((p) => p.startsWith('notices/') && p.endsWith('.txt'));
    expect(noticeTexts).toHaveLength(2);
    expect(text(files[noticeTexts[1]!])).toContain('続報（第2報）');
    expect(text(files[noticeTexts[1]!])).toContain(
      '対象情報の種類及び範囲（第3.2(3)）：顧客の氏名・メールアドレス約1,200件',
    );
    // Nothing else: not the other party's unshared evidence.
    expect(Object.keys(files).some((p) => p.includes(ev.aOwn!.id))).toBe(false);

    // The audit chain holds the package with the manifest's hash; both parties see it in the register.
    const events = (await w.a.viewer.get(`/api/v1/incidents/${incidentId}/audit-events`)).json;
    expect(events.verification.ok).toBe(true);
    const built = events.items.find(
      (e: { action: string; recordId: string }) =>
        e.action === 'disclosure.package_built' && e.recordId === manifest.packageId,
    );
    expect(built.payload).toMatchObject({ disclosureId: id, manifestSha256: sha256(manifestBytes!) });
    const register = (await w.a.viewer.get(`/api/v1/incidents/${incidentId}/disclosures`)).json.items;
    const entry = register.find((d: { id: string }) => d.id === id);
    expect(entry.packages).toEqual([
      expect.objectContaining({ id: manifest.packageId, manifestSha256: sha256(manifestBytes!) }),
    ]);
    expect(entry.packages[0].files).toHaveLength(manifest.files.length);
  });

  it('excepted: packaged at once; the counterparty cannot build the filing party’s package (403)', async () => {
    const id = await disclose({
      recipient: '警視庁',
      basis: 'authority_request',
      basisReference: '捜査関係事項照会書 第45号',
    });
    expect((await pkg(id, { noticeIds: [notices[0]] }, 'a.owner')).status).toBe(403);
    const r = await pkg(id, { noticeIds: [notices[0]] }, 'b.responder');
    expect(r.status).toBe(200);
    const files = unzip(r.bytes);
    expect(Object.keys(files).sort()).toEqual(
      [
        'disclosure.json',
        'disclosure.txt',
        'manifest.json',
        `notices/01-${notices[0]}.json`,
        `notices/01-${notices[0]}.txt`,
      ].sort(),
    );
    expect(text(files['disclosure.txt'])).toContain('根拠となる法令・命令等：捜査関係事項照会書 第45号');
  });

  it('bad selections — a record of another incident, an unknown id, the other party’s unshared evidence — 400 and nothing changes', async () => {
    const id = await disclose({ basis: 'law', basisReference: '個人情報保護法第26条' });
    const before = await snapshot(h.db);
    for (const [body, field] of [
      [{ noticeIds: [notices[0], otherNotice] }, 'noticeIds.1'],
      [{ evidenceIds: [ev.otherIncident!.id] }, 'evidenceIds.0'],
      [{ evidenceIds: [ev.aOwn!.id] }, 'evidenceIds.0'],
      [{ noticeIds: ['ntc_00000000000000000000000000'] }, 'noticeIds.0'],
      [{ evidenceIds: ['evd_00000000000000000000000000'] }, 'evidenceIds.0'],
      [{ noteIds: ['x'] }, ''],
      [{ includeIncident: 'yes' }, 'includeIncident'],
    ] as const) {
      const r = await pkg(id, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json.messageJa).toBeTruthy();
      if (field) expect(JSON.stringify(r.json)).toContain(field);
    }
    // The other party's unshared evidence reads exactly like one that does not exist.
    const hidden = await pkg(id, { evidenceIds: [ev.aOwn!.id] });
    const missing = await pkg(id, { evidenceIds: ['evd_00000000000000000000000000'] });
    expect(hidden.json.messageJa).toBe(missing.json.messageJa);
    expect(await snapshot(h.db)).toBe(before);
  });

  it('evidence whose stored bytes changed is refused (409 EVIDENCE_INTEGRITY_FAILED) and no package is recorded', async () => {
    const id = await disclose({ basis: 'court_order', basisReference: '令和8年（モ）第77号' });
    const tampered = await addEvidence('tampered', incidentId, 'B', 'party', Buffer.from('original bytes\n'));
    await fs.writeFile(path.join(h.config.dataDir, 'evidence', ev.tampered!.storageKey), 'changed bytes!\n');
    const before = await snapshot(h.db);
    const r = await pkg(id, { evidenceIds: [tampered] });
    expect(r.status).toBe(409);
    expect(r.json.code).toBe('EVIDENCE_INTEGRITY_FAILED');
    const packages = await h.db.kysely
      .selectFrom('disclosure_packages')
      .selectAll()
      .where('disclosure_id', '=', id)
      .execute();
    expect(packages).toEqual([]);
    expect(JSON.parse(await snapshot(h.db)).disclosure_packages).toEqual(
      JSON.parse(before).disclosure_packages,
    );
  });

  describe('access', () => {
    it('no session 401, viewer 403, another company 404, the administrator 403', async () => {
      const id = await disclose({ basis: 'law', basisReference: '個人情報保護法第26条' });
      const before = await snapshot(h.db);
      expect((await w.anon.post(`/api/v1/disclosures/${id}/package`, {})).status).toBe(401);
      expect((await w.b.viewer.post(`/api/v1/disclosures/${id}/package`, {})).status).toBe(403);
      expect((await w.a.viewer.post(`/api/v1/disclosures/${id}/package`, {})).status).toBe(403);
      expect((await w.c.owner.post(`/api/v1/disclosures/${id}/package`, {})).status).toBe(404);
      expect((await w.admin.post(`/api/v1/disclosures/${id}/package`, {})).status).toBe(403);
      expect(await snapshot(h.db)).toBe(before);
    });
  });
});
