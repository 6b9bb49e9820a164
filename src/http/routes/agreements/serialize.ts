import type { z } from 'zod';
import type { AgreementView, PartyView } from '../../../app/agreements/agreement-view.js';
import { lateReadingOf, noticeEffectiveEnd } from '../../../app/agreements/record-termination-notice.js';
import type { TerminationNoticeRecord } from '../../../persistence/repositories/agreements.js';
import type { MutualTerminationRecord } from '../../../persistence/repositories/mutual-terminations.js';
import type { AgreementSchema, MutualTerminationSchema, TerminationNoticeSchema } from './schema.js';

/** The reply shapes, declared once in ./schema.ts (which also documents them in OpenAPI). */
export type AgreementReply = z.output<typeof AgreementSchema>;
export type TerminationNoticeReply = z.output<typeof TerminationNoticeSchema>;
export type MutualTerminationReply = z.output<typeof MutualTerminationSchema>;

export function mutualTerminationJson(
  m: MutualTerminationRecord & { proposedByName?: string | null; decidedByName?: string | null },
): MutualTerminationReply {
  return {
    id: m.id,
    agreementId: m.agreementId,
    state: m.state,
    effectiveOn: m.effectiveOn,
    proposedByParty: m.proposedByParty,
    proposedBy: m.proposedBy ? { id: m.proposedBy, name: m.proposedByName ?? null } : null,
    proposedAt: m.proposedAt,
    decidedBy: m.decidedBy ? { id: m.decidedBy, name: m.decidedByName ?? null } : null,
    decidedAt: m.decidedAt,
  };
}

const d = (x: { toString(): string } | null) => (x ? x.toString() : null);
const party = (o: PartyView) => ({
  id: o.id,
  name: o.name,
  address: o.address,
  representative: o.representative,
});

export function noticeJson(
  n: TerminationNoticeRecord & { recordedByName?: string | null },
): TerminationNoticeReply {
  return {
    id: n.id,
    byParty: n.byParty,
    receivedOn: n.receivedOn,
    onTime: n.onTime,
    effectiveEnd: noticeEffectiveEnd(n),
    method: n.method,
    lateReading: lateReadingOf(n),
    recordedAt: n.createdAt,
    recordedBy: n.recordedBy ? { id: n.recordedBy, name: n.recordedByName ?? null } : null,
  };
}

export function agreementJson(v: AgreementView): AgreementReply {
  const t = v.term;
  return {
    id: v.agreement.id,
    version: v.agreement.version,
    status: t.status,
    partyA: party(v.partyA),
    partyB: party(v.partyB),
    signedOn: v.agreement.signedOn,
    proposedSignedOn: v.agreement.proposedSignedOn,
    signatures: v.signatures,
    dateStyle: v.agreement.dateStyle,
    court: v.agreement.court,
    parameters: v.agreement.parameters,
    changedParameters: v.changedParameters,
    myParty: v.myParty,
    createdAt: v.agreement.createdAt,
    updatedAt: v.agreement.updatedAt,
    term: {
      status: t.status,
      evaluatedOn: t.evaluatedOn.toString(),
      start: d(t.start),
      initialEnd: d(t.initialEnd),
      currentTermNumber: t.currentTermNumber,
      currentTermStart: d(t.currentTermStart),
      currentTermEnd: d(t.currentTermEnd),
      terminationNoticeDeadline: d(t.terminationNoticeDeadline),
      endsOn: d(t.endsOn),
      endReason: t.endReason,
      rules: v.ruleTexts,
      dateNotes: t.dateNotes,
    },
    terminationNotices: v.terminationNotices.map(noticeJson),
    mutualTermination: v.mutualTermination ? mutualTerminationJson(v.mutualTermination) : null,
  };
}

/**
 * The JSON body of GET /agreements/{id}: `agreementJson` (typed by AgreementSchema) serialised.
 * Cached views share their `term` object, so the body is serialised once per cached view; only
 * `myParty` (which differs per caller) is spliced in. test/api/openapi.test.ts checks the real
 * reply against the schema (every field documented, none missing).
 */
const bodies = new WeakMap<object, string>();

export function agreementBody(v: AgreementView): string {
  // A draft's parties depend on who asks (the other company's name only): not shared, not cached.
  if (v.agreement.signedOn === null) return JSON.stringify(agreementJson(v));
  let base = bodies.get(v.term);
  if (base === undefined) {
    const { myParty: _omit, ...rest } = agreementJson(v);
    base = JSON.stringify(rest);
    bodies.set(v.term, base);
  }
  return `{"myParty":${JSON.stringify(v.myParty)},${base.slice(1)}`;
}
