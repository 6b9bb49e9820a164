import { withDefaults, type AgreementParameters } from '../../domain/agreement/parameters.js';
import type { LateNoticeEffect, TerminationNoticeMethod } from '../../domain/agreement/term.js';
import { HotQuery } from '../compiled.js';
import type { Tx } from '../db.js';
import type { AgreementsTable, TerminationNoticesTable } from '../schema.js';

export type DateStyle = 'western' | 'japanese';

/** One party's signature: by a user of that party, or (onPaper) recorded by the administrator. */
export interface SignatureRecord {
  /** The signing user; null for a memorandum signed on paper. */
  by: string | null;
  at: string;
  onPaper: boolean;
}

export interface Signatures {
  A: SignatureRecord | null;
  B: SignatureRecord | null;
}

export interface AgreementRecord {
  id: string;
  partyAId: string;
  partyBId: string;
  signedOn: string | null;
  parameters: AgreementParameters;
  dateStyle: DateStyle;
  court: string | null;
  version: number;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  /** The signing date the draft states (agreed once both sign); null = the later signature's date. */
  proposedSignedOn: string | null;
  /** `signedOn` is set only once both are present. */
  signatures: Signatures;
  /** 0016: first day a confirmed mutual termination (合意解約) ends it; null = none. */
  mutualTerminationOn: string | null;
}

export interface TerminationNoticeRecord {
  id: string;
  agreementId: string;
  byParty: 'A' | 'B';
  receivedOn: string;
  onTime: boolean;
  /**
   * The end under the system's reading (the term end the notice meets). For a late notice recorded
   * as not effective it is that reading only: the notice ends nothing (see lateEffect).
   */
  effectiveEnd: string;
  recordedBy: string | null;
  createdAt: string;
  /** How the written notice was given; null = not stated. */
  method: TerminationNoticeMethod | null;
  /** Late notices: the system's reading (next_term) or not_effective; null when on time. */
  lateEffect: LateNoticeEffect | null;
}

function toRecord(r: AgreementsTable): AgreementRecord {
  return {
    id: r.id,
    partyAId: r.party_a_id,
    partyBId: r.party_b_id,
    signedOn: r.signed_on,
    // Parameters added later (cooperationResponseHours, …) read their default on older agreements.
    parameters: withDefaults(JSON.parse(r.parameters) as Partial<AgreementParameters>),
    dateStyle: r.date_style === 'japanese' ? 'japanese' : 'western',
    court: r.court,
    version: Number(r.version),
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    proposedSignedOn: r.proposed_signed_on,
    signatures: {
      A: r.signed_a_at
        ? { by: r.signed_a_by, at: r.signed_a_at, onPaper: Number(r.signed_on_paper) === 1 }
        : null,
      B: r.signed_b_at
        ? { by: r.signed_b_by, at: r.signed_b_at, onPaper: Number(r.signed_on_paper) === 1 }
        : null,
    },
    mutualTerminationOn: r.mutual_termination_on,
  };
}

function signatureColumns(s: Signatures) {
  return {
    signed_a_at: s.A?.at ?? null,
    signed_a_by: s.A?.by ?? null,
    signed_b_at: s.B?.at ?? null,
    signed_b_by: s.B?.by ?? null,
    signed_on_paper: s.A?.onPaper || s.B?.onPaper ? 1 : 0,
  };
}

function toNotice(r: TerminationNoticesTable): TerminationNoticeRecord {
  return {
    id: r.id,
    agreementId: r.agreement_id,
    byParty: r.by_party === 'B' ? 'B' : 'A',
    receivedOn: r.received_on,
    onTime: Number(r.on_time) === 1,
    effectiveEnd: r.effective_end,
    recordedBy: r.recorded_by,
    createdAt: r.created_at,
    method: r.method === 'letter' || r.method === 'pdf_email' || r.method === 'other' ? r.method : null,
    lateEffect:
      r.late_effect === 'next_term' || r.late_effect === 'not_effective'
        ? r.late_effect
        : Number(r.on_time) === 1
          ? null
          : 'next_term',
  };
}

export async function insertAgreement(tx: Tx, a: AgreementRecord): Promise<void> {
  await tx.q
    .insertInto('agreements')
    .values({
      id: a.id,
      party_a_id: a.partyAId,
      party_b_id: a.partyBId,
      signed_on: a.signedOn,
      parameters: JSON.stringify(a.parameters),
      date_style: a.dateStyle,
      court: a.court,
      version: a.version,
      created_by: a.createdBy,
      created_at: a.createdAt,
      updated_at: a.updatedAt,
      proposed_signed_on: a.proposedSignedOn,
      mutual_termination_on: a.mutualTerminationOn,
      ...signatureColumns(a.signatures),
    })
    .execute();
}

const agreementByIdQuery = new HotQuery(
  'agreementById',
  (tx, id) =>
    tx.q
      .selectFrom('agreements')
      .selectAll()
      .where('id', '=', id as string),
  1,
);

/** One agreement by id (hot path: every agreement-scoped request checks access on it). */
export async function findAgreement(tx: Tx, id: string): Promise<AgreementRecord | null> {
  const [r] = await agreementByIdQuery.execute(tx, id);
  return r ? toRecord(r) : null;
}

/** Agreements visible to an organisation (party A or B), or all when `orgId` is null (admin). */
export async function listAgreements(tx: Tx, orgId: string | null): Promise<AgreementRecord[]> {
  let q = tx.q.selectFrom('agreements').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc');
  if (orgId !== null) {
    q = q.where((eb) => eb.or([eb('party_a_id', '=', orgId), eb('party_b_id', '=', orgId)]));
  }
  return (await q.execute()).map(toRecord);
}

export type AgreementPatch = Partial<
  Pick<
    AgreementRecord,
    | 'signedOn'
    | 'parameters'
    | 'dateStyle'
    | 'court'
    | 'proposedSignedOn'
    | 'signatures'
    | 'mutualTerminationOn'
  >
>;

/**
 * Guarded update: applies only when the stored version matches (no lost updates) and, with
 * `requireDraft`, only while the agreement is unsigned (no race between two signers).
 */
export async function updateAgreement(
  tx: Tx,
  id: string,
  guard: { version: number; requireDraft?: boolean },
  patch: AgreementPatch,
  now: string,
): Promise<boolean> {
  let q = tx.q
    .updateTable('agreements')
    .set({
      ...(patch.signedOn !== undefined ? { signed_on: patch.signedOn } : {}),
      ...(patch.parameters !== undefined ? { parameters: JSON.stringify(patch.parameters) } : {}),
      ...(patch.dateStyle !== undefined ? { date_style: patch.dateStyle } : {}),
      ...(patch.court !== undefined ? { court: patch.court } : {}),
      ...(patch.proposedSignedOn !== undefined ? { proposed_signed_on: patch.proposedSignedOn } : {}),
      ...(patch.signatures !== undefined ? signatureColumns(patch.signatures) : {}),
      ...(patch.mutualTerminationOn !== undefined
        ? { mutual_termination_on: patch.mutualTerminationOn }
        : {}),
      version: guard.version + 1,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('version', '=', guard.version);
  if (guard.requireDraft) q = q.where('signed_on', 'is', null);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/**
 * Records one party's signature on a draft. Guarded on that party's signature being absent and the
 * agreement being a draft (and on `version` when given), not on the version alone: the two parties
 * may sign at the same moment and both signatures must land. The version moves by one in SQL.
 */
export async function recordPartySignature(
  tx: Tx,
  id: string,
  side: 'A' | 'B',
  signature: { by: string; at: string },
  guard: {
    version?: number | undefined;
    proposedSignedOn?: string | null | undefined;
    /** Also require the other party's signature to be absent still. */
    otherUnsigned?: boolean;
  },
): Promise<boolean> {
  let q = tx.q
    .updateTable('agreements')
    .set((eb) => ({
      ...(side === 'A'
        ? { signed_a_at: signature.at, signed_a_by: signature.by }
        : { signed_b_at: signature.at, signed_b_by: signature.by }),
      ...(guard.proposedSignedOn !== undefined ? { proposed_signed_on: guard.proposedSignedOn } : {}),
      version: eb('version', '+', 1),
      updated_at: signature.at,
    }))
    .where('id', '=', id)
    .where('signed_on', 'is', null)
    .where(side === 'A' ? 'signed_a_at' : 'signed_b_at', 'is', null);
  if (guard.version !== undefined) q = q.where('version', '=', guard.version);
  if (guard.otherUnsigned) q = q.where(side === 'A' ? 'signed_b_at' : 'signed_a_at', 'is', null);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/**
 * Puts a draft both parties have signed into effect on `signedOn`. Runs in the transaction of the
 * second signature, which already moved the version, so it does not move it again.
 */
export async function activateSignedAgreement(
  tx: Tx,
  id: string,
  patch: { signedOn: string; court: string | null },
): Promise<boolean> {
  const res = await tx.q
    .updateTable('agreements')
    .set({ signed_on: patch.signedOn, court: patch.court })
    .where('id', '=', id)
    .where('signed_on', 'is', null)
    .where('signed_a_at', 'is not', null)
    .where('signed_b_at', 'is not', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function insertTerminationNotice(tx: Tx, n: TerminationNoticeRecord): Promise<void> {
  await tx.q
    .insertInto('termination_notices')
    .values({
      id: n.id,
      agreement_id: n.agreementId,
      by_party: n.byParty,
      received_on: n.receivedOn,
      on_time: n.onTime ? 1 : 0,
      effective_end: n.effectiveEnd,
      recorded_by: n.recordedBy,
      created_at: n.createdAt,
      method: n.method,
      late_effect: n.lateEffect,
    })
    .execute();
}

export async function listTerminationNotices(
  tx: Tx,
  agreementIds: readonly string[],
): Promise<TerminationNoticeRecord[]> {
  if (agreementIds.length === 0) return [];
  const rows = await tx.q
    .selectFrom('termination_notices')
    .selectAll()
    .where('agreement_id', 'in', [...new Set(agreementIds)])
    .orderBy('received_on')
    .orderBy('id')
    .execute();
  return rows.map(toNotice);
}

const agreementStampQuery = new HotQuery(
  'agreementStamp',
  (tx, id) =>
    tx.q
      .selectFrom('agreements as a')
      .innerJoin('organizations as pa', 'pa.id', 'a.party_a_id')
      .innerJoin('organizations as pb', 'pb.id', 'a.party_b_id')
      .select([
        'a.party_a_id',
        'a.party_b_id',
        'a.version',
        'pa.updated_at as pa_updated_at',
        'pb.updated_at as pb_updated_at',
      ])
      .where('a.id', '=', id as string),
  1,
);

export interface AgreementStamp {
  partyAId: string;
  partyBId: string;
  /** Changes whenever the agreement, its termination notices or either party changes. */
  stamp: string;
}

/** What an agreement's derived view depends on, in one small indexed read (cache validation). */
export async function findAgreementStamp(tx: Tx, id: string): Promise<AgreementStamp | null> {
  const [r] = await agreementStampQuery.execute(tx, id);
  return r
    ? {
        partyAId: r.party_a_id,
        partyBId: r.party_b_id,
        stamp: `${Number(r.version)}|${r.pa_updated_at}|${r.pb_updated_at}`,
      }
    : null;
}

const auditStampQuery = new HotQuery(
  'agreementAuditStamp',
  (tx, id) =>
    tx.q
      .selectFrom('agreements as a')
      .leftJoin('audit_heads as h', 'h.chain', 'a.id')
      .select(['a.party_a_id', 'a.party_b_id', 'a.version', 'h.seq'])
      .where('a.id', '=', id as string),
  1,
);

/**
 * The agreement's parties and a stamp of everything recorded under it: its version and the seq of
 * its audit chain's head. Every incident-side write appends to that chain in its own transaction,
 * so an unchanged stamp means unchanged incident records (cache validation in one indexed read).
 */
export async function findAgreementAuditStamp(
  tx: Tx,
  id: string,
): Promise<{ partyAId: string; partyBId: string; stamp: string } | null> {
  const [r] = await auditStampQuery.execute(tx, id);
  return r ? { partyAId: r.party_a_id, partyBId: r.party_b_id, stamp: auditStamp(r.version, r.seq) } : null;
}

/** The stamp of `findAgreementAuditStamp`: agreement version | seq of its audit chain's head. */
const auditStamp = (version: number | string, seq: number | string | null): string =>
  `${Number(version)}|${Number(seq ?? 0)}`;

/**
 * The agreements an organisation is party to (as `listAgreements`), each with the stamp
 * `findAgreementAuditStamp` gives it, in one query: the work queue validates its per-agreement
 * caches with these instead of one stamp read per agreement.
 */
export async function listAgreementsWithAuditStamp(
  tx: Tx,
  orgId: string,
): Promise<Array<{ agreement: AgreementRecord; stamp: string }>> {
  const rows = await tx.q
    .selectFrom('agreements as a')
    .leftJoin('audit_heads as h', 'h.chain', 'a.id')
    .selectAll('a')
    .select('h.seq as audit_seq')
    .where((eb) => eb.or([eb('a.party_a_id', '=', orgId), eb('a.party_b_id', '=', orgId)]))
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id', 'desc')
    .execute();
  return rows.map((r) => ({ agreement: toRecord(r), stamp: auditStamp(r.version, r.audit_seq) }));
}
