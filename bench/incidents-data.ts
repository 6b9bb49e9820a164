import type { AppContext } from '../src/app/context.js';
import { createOrganization } from '../src/app/organizations/create-organization.js';
import { createUser } from '../src/app/users/create-user.js';
import { withDefaults } from '../src/domain/agreement/parameters.js';
import { CAUSE_ENTITIES, INCIDENT_KINDS, INFO_CATEGORIES } from '../src/domain/incident/classification.js';
import type { NoticeItems } from '../src/domain/incident/notice.js';
import type { IncidentState } from '../src/domain/incident/state.js';
import { obligationId } from '../src/domain/obligation/engine.js';
import { isIdOf, newId, type IdKind } from '../src/domain/shared/ids.js';
import { prng, seconds } from './support.js';

/**
 * Seeds the obligations benchmark: a handful of organisations (through the use cases, each with
 * an owner), then agreements between every pair of them and, on each agreement, incidents with
 * their notices (第一報, some 続報), containment records, requests for further items and a few
 * waivers. The bulk rows are written straight into SQLite with prepared statements in one
 * transaction, in the repositories' column formats (ISO instants, JSON text, 0/1 booleans), and
 * with no audit events: this database is for reading obligations, never for `audit verify`.
 * Times are relative to `nowMs`, so every clock state occurs: open, met, met late, breached, waived.
 */

export interface IncidentSeedOptions {
  agreements: number;
  incidentsPerAgreement: number;
  /** Organisations; agreements go round-robin over every pair of them. */
  organizations?: number;
  /**
   * `pairs` (default): agreements go round-robin over every pair of organisations. `hub`: every
   * agreement binds the first organisation (a large company) to one of the others in turn, as 甲
   * on even agreements and 乙 on odd ones, so its users see every incident.
   */
  pairing?: 'pairs' | 'hub';
  nowMs: number;
}

export interface SeededIncidents {
  organizationIds: string[];
  /** Owner of the first organisation: the benchmark's API token is theirs. */
  ownerEmail: string;
  agreementIds: string[];
  /** The agreements the first organisation is party to (what its owner may read). */
  ownAgreementIds: string[];
  counts: {
    incidents: number;
    byState: Record<IncidentState, number>;
    firstNotices: number;
    followUps: number;
    containment: number;
    itemRequests: number;
    waivers: number;
  };
  /** Seconds to write the bulk rows (one transaction). */
  writeSeconds: number;
}

const HOUR = 3_600_000;
const rand = prng(20261201);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const between = (lo: number, hi: number): number => lo + rand() * (hi - lo);
const chance = (p: number): boolean => rand() < p;
/** A whole number of milliseconds between `lo` and `hi` hours (ids and instants need integers). */
const hours = (lo: number, hi: number): number => Math.round(between(lo, hi) * HOUR);
const iso = (ms: number): string => new Date(ms).toISOString();

const STATES: ReadonlyArray<readonly [IncidentState, number]> = [
  ['suspected', 0.15],
  ['confirmed', 0.3],
  ['contained', 0.2],
  ['recovering', 0.15],
  ['closed', 0.1],
  ['dismissed', 0.1],
];

function pickState(): IncidentState {
  let x = rand();
  for (const [state, p] of STATES) if ((x -= p) < 0) return state;
  return 'confirmed';
}

const TITLES = [
  '委託先サーバーへの不正アクセス',
  '顧客名簿を含むメールの誤送信',
  '業務用ノートPCの紛失',
  'ランサムウェア感染の疑い',
  'クラウドストレージの公開設定誤り',
  'Misdirected invoice batch with customer addresses',
  '退職者アカウントによる不正閲覧の疑い',
];
const SUMMARIES = [
  '監視ログで深夜帯の大量ダウンロードを検知。影響範囲を調査中。',
  '取引先宛のメールに別顧客の一覧表を誤って添付して送信した。',
  '外出先で端末を紛失。ディスク暗号化の有無を確認中。',
  'A storage bucket holding exports was readable without authentication for an unknown period.',
];
const DATA_ITEMS = [
  '氏名',
  '住所',
  '電話番号',
  'メールアドレス',
  '生年月日',
  '契約番号',
  'クレジットカード番号下4桁',
];
const MEASURES = [
  '該当アカウントを停止し、パスワードを全件リセットした。',
  '誤送信先に削除を依頼し、削除完了の報告を受領。',
  'フォレンジック業者に調査を依頼済み。',
  'Public access removed; access logs preserved for review.',
];
const QUESTIONS = [
  '漏えいした可能性のある顧客の一覧を提供してください。',
  '再発防止策の具体的なスケジュールを教えてください。',
  'Please share the forensic vendor’s preliminary report.',
];
const CONTAINMENT_KINDS = [
  'access_cutoff',
  'system_stop',
  'password_change',
  'other',
  'none_needed',
] as const;

function noticeItems(discoveredMs: number, detail: number): NoticeItems {
  // The first notice leaves much 調査中 (null); each follow-up knows more.
  const known = (p: number, v: string): string | null => (chance(Math.min(1, p + detail * 0.3)) ? v : null);
  return {
    occurredOn: iso(discoveredMs).slice(0, 10),
    summary: pick(SUMMARIES),
    informationScope: known(
      0.4,
      `${pick(DATA_ITEMS)}、${pick(DATA_ITEMS)} 約${Math.round(between(10, 50_000))}件`,
    ),
    expectedImpact: known(0.3, 'フィッシング等の二次被害のおそれ。現時点で悪用は確認されていない。'),
    measures: known(0.5, pick(MEASURES)),
    otherMatters: known(0.1, '個人情報保護委員会への速報を予定。'),
  };
}

export async function seedIncidents(ctx: AppContext, o: IncidentSeedOptions): Promise<SeededIncidents> {
  const sqlite = ctx.db.sqlite;
  if (!sqlite) throw new Error('the obligations benchmark seeds SQLite directly');
  const system = { kind: 'system', label: 'bench' } as const;
  const orgCount = Math.max(2, o.organizations ?? 4);

  // Organisations and their owners through the use cases (few rows; the bulk is below).
  const orgs: Array<{ id: string; ownerId: string }> = [];
  let ownerEmail = '';
  for (let i = 0; i < orgCount; i++) {
    const org = await createOrganization(ctx, system, {
      name: `ベンチ${i + 1}株式会社`,
      address: i % 2 === 0 ? '東京都千代田区丸の内一丁目1番1号' : '大阪府大阪市北区梅田二丁目2番2号',
      representative: `代表取締役 試験${i + 1}郎`,
    });
    const email = `owner${i + 1}@bench.example.jp`;
    const { user } = await createUser(ctx, system, {
      organizationId: org.id,
      email,
      name: `オーナー ${i + 1}`,
      role: 'owner',
      password: `bench-password-${i + 1}`,
    });
    orgs.push({ id: org.id, ownerId: user.id });
    if (i === 0) ownerEmail = email;
  }
  const pairs: Array<readonly [number, number]> = [];
  if (o.pairing === 'hub') {
    for (let k = 0; k < 2 * (orgCount - 1); k++) {
      const other = 1 + (k % (orgCount - 1));
      pairs.push(k % 2 === 0 ? [0, other] : [other, 0]);
    }
  } else {
    for (let a = 0; a < orgCount; a++) for (let b = a + 1; b < orgCount; b++) pairs.push([a, b]);
  }

  const now = o.nowMs;
  const insert = {
    agreement: sqlite.prepare(
      `insert into agreements (id, party_a_id, party_b_id, signed_on, parameters, date_style, court,
         version, created_by, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    incident: sqlite.prepare(
      `insert into incidents (id, agreement_id, reporting_party, title, summary, info_categories, kinds,
         cause_entity, suspected, state, dismissed_reason, dismissed_at, occurred_at, discovered_at,
         affected_persons, affected_persons_estimated, affected_records, affected_records_estimated,
         data_items, sensitive_data, financial_harm_risk, improper_purpose, encrypted, version,
         created_by, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    notice: sqlite.prepare(
      `insert into notices (id, incident_id, agreement_id, from_party, number, items, sent_at, sent_by,
         acknowledged_at, acknowledged_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    itemRequest: sqlite.prepare(
      `insert into item_requests (id, incident_id, requested_by_party, requested_by, question,
         requested_at, due_at, answer, answered_at, answered_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    containment: sqlite.prepare(
      `insert into containment_actions (id, incident_id, by_party, kind, description, taken_at, result,
         recorded_by, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    waiver: sqlite.prepare(
      `insert into obligation_waivers (obligation_id, incident_id, waived_by, reason, created_at)
       values (?, ?, ?, ?, ?)`,
    ),
  };

  const byState = Object.fromEntries(STATES.map(([s]) => [s, 0])) as Record<IncidentState, number>;
  const counts = {
    incidents: 0,
    byState,
    firstNotices: 0,
    followUps: 0,
    containment: 0,
    itemRequests: 0,
    waivers: 0,
  };
  const agreementIds: string[] = [];
  const ownAgreementIds: string[] = [];

  const write = sqlite.transaction(() => {
    for (let ai = 0; ai < o.agreements; ai++) {
      const [ia, ib] = pairs[ai % pairs.length] as readonly [number, number];
      const partyA = orgs[ia] as { id: string; ownerId: string };
      const partyB = orgs[ib] as { id: string; ownerId: string };
      const createdMs = now - hours(200 * 24, 330 * 24);
      const agreementId = newId('agreement', createdMs);
      const parameters = withDefaults({
        noticeTargetHours: pick([24, 24, 24, 48, 72]),
        containmentTargetHours: pick([24, 24, 48]),
      });
      insert.agreement.run(
        agreementId,
        partyA.id,
        partyB.id,
        iso(createdMs + 7 * 24 * HOUR).slice(0, 10),
        JSON.stringify(parameters),
        ai % 3 === 0 ? 'japanese' : 'western',
        null,
        3,
        partyA.ownerId,
        iso(createdMs),
        iso(createdMs + 7 * 24 * HOUR),
      );
      agreementIds.push(agreementId);
      if (ia === 0 || ib === 0) ownAgreementIds.push(agreementId);
      const owner = { A: partyA.ownerId, B: partyB.ownerId };

      for (let ii = 0; ii < o.incidentsPerAgreement; ii++) {
        const reporting = chance(0.6) ? 'A' : 'B';
        const counter = reporting === 'A' ? 'B' : 'A';
        // 40 % discovered in the last two days (clocks still running), the rest over two months.
        const discoveredMs = now - (chance(0.4) ? hours(0.5, 48) : hours(48, 60 * 24));
        const state = pickState();
        counts.byState[state]++;
        const dismissedMs =
          state === 'dismissed' ? Math.min(now - 60_000, discoveredMs + hours(2, 72)) : null;
        const reportedMs = Math.min(now - 60_000, discoveredMs + hours(0.1, 6));
        const incidentId = newId('incident', reportedMs);
        insert.incident.run(
          incidentId,
          agreementId,
          reporting,
          pick(TITLES),
          pick(SUMMARIES),
          JSON.stringify([...new Set([pick(INFO_CATEGORIES), pick(INFO_CATEGORIES)])]),
          JSON.stringify([...new Set([pick(INCIDENT_KINDS), pick(INCIDENT_KINDS)])]),
          pick(CAUSE_ENTITIES),
          state === 'suspected' || chance(0.3) ? 1 : 0,
          state,
          dismissedMs === null ? null : '調査の結果、対象情報の漏えいは認められなかった。',
          dismissedMs === null ? null : iso(dismissedMs),
          chance(0.6) ? iso(discoveredMs - hours(0, 10 * 24)) : null,
          iso(discoveredMs),
          chance(0.7) ? Math.round(between(1, 50_000)) : null,
          chance(0.5) ? 1 : 0,
          chance(0.5) ? Math.round(between(1, 200_000)) : null,
          chance(0.5) ? 1 : 0,
          JSON.stringify([pick(DATA_ITEMS), pick(DATA_ITEMS)]),
          chance(0.2) ? 1 : 0,
          chance(0.2) ? 1 : 0,
          chance(0.1) ? 1 : 0,
          chance(0.4) ? 1 : 0,
          1 + Math.floor(between(0, 4)),
          owner[reporting],
          iso(reportedMs),
          iso(Math.min(now, reportedMs + hours(0, 48))),
        );
        counts.incidents++;

        // 第一報 on most (some after the target: met late), 続報 on some; none sent in the future.
        let firstNoticeMs: number | null = null;
        if (chance(0.85)) {
          let sentMs = reportedMs + hours(0.2, 36);
          // Notices stop at a dismissal (a dismissed incident refuses them).
          const lastMs = dismissedMs ?? now;
          for (let number = 1; sentMs <= lastMs; number++) {
            const ack = chance(0.6) ? Math.min(now, sentMs + hours(0.2, 12)) : null;
            insert.notice.run(
              newId('notice', sentMs),
              incidentId,
              agreementId,
              reporting,
              number,
              JSON.stringify(noticeItems(discoveredMs, number - 1)),
              iso(sentMs),
              owner[reporting],
              ack === null ? null : iso(ack),
              ack === null ? null : owner[counter],
            );
            if (number === 1) {
              firstNoticeMs = sentMs;
              counts.firstNotices++;
            } else counts.followUps++;
            if (number >= 3 || !chance(number === 1 ? 0.4 : 0.3)) break;
            sentMs += hours(6, 72);
          }
        }

        // Containment (Art 3.3): mostly on incidents past the first stages, mostly by the reporting party.
        const containmentLikely = state === 'contained' || state === 'recovering' || state === 'closed';
        if (chance(containmentLikely ? 0.9 : 0.35)) {
          const takenMs = discoveredMs + hours(1, 50);
          if (takenMs <= now) {
            const by = chance(0.85) ? reporting : counter;
            const kind = pick(CONTAINMENT_KINDS);
            insert.containment.run(
              newId('containmentAction', takenMs),
              incidentId,
              by,
              kind,
              kind === 'none_needed' ? '暗号化済み端末のため追加措置は不要と判断。' : pick(MEASURES),
              iso(takenMs),
              chance(0.5) ? '拡大は確認されていない。' : null,
              owner[by],
              iso(Math.min(now, takenMs + hours(0, 2))),
            );
            counts.containment++;
          }
        }

        // Art 3.2(6): the counterparty asks for further items after the first notice; half answered.
        if (firstNoticeMs !== null && chance(0.3)) {
          let requestedMs = firstNoticeMs + hours(1, 48);
          for (let k = 0; k < 2 && requestedMs <= now; k++) {
            const answeredMs = chance(0.5) ? requestedMs + hours(2, 96) : now + 1;
            const answered = answeredMs <= now;
            insert.itemRequest.run(
              newId('itemRequest', requestedMs),
              incidentId,
              counter,
              owner[counter],
              pick(QUESTIONS),
              iso(requestedMs),
              iso(requestedMs + pick([24, 48, 72]) * HOUR),
              answered ? '別添のとおり回答します。' : null,
              answered ? iso(answeredMs) : null,
              answered ? owner[reporting] : null,
            );
            counts.itemRequests++;
            if (!chance(0.3)) break;
            requestedMs += hours(12, 72);
          }
        }

        // A few waivers by the party owed the duty (Art 3.3 containment deemed unnecessary).
        if (chance(0.04)) {
          insert.waiver.run(
            obligationId(incidentId, '3.3', incidentId, reporting),
            incidentId,
            owner[counter],
            '暗号化済みのため初動対応は不要と合意',
            iso(Math.min(now, discoveredMs + hours(1, 24))),
          );
          counts.waivers++;
        }
      }
    }
  });
  const started = performance.now();
  write();
  // Art 3.1: an incident is shared with the counterparty from its first notice on.
  sqlite.exec(`update incidents set first_notice_at = (select min(n.sent_at) from notices n
    where n.incident_id = incidents.id and n.from_party = incidents.reporting_party)`);
  const writeSeconds = seconds(started);
  // Every id must be in the application's format (`newId` needs whole milliseconds).
  const tables: ReadonlyArray<readonly [string, IdKind]> = [
    ['agreements', 'agreement'],
    ['incidents', 'incident'],
    ['notices', 'notice'],
    ['item_requests', 'itemRequest'],
    ['containment_actions', 'containmentAction'],
  ];
  for (const [table, kind] of tables) {
    for (const { id } of sqlite.prepare(`select id from ${table}`).all() as Array<{ id: string }>) {
      if (!isIdOf(kind, id)) throw new Error(`seeded ${table} id ${id} is not in the application's format`);
    }
  }
  return {
    organizationIds: orgs.map((x) => x.id),
    ownerEmail,
    agreementIds,
    ownAgreementIds,
    counts,
    writeSeconds,
  };
}
