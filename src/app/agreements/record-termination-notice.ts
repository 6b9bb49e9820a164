import { assessTerminationNotice, evaluateTerm } from '../../domain/agreement/term.js';
import { AppError } from '../../domain/shared/errors.js';
import { newId } from '../../domain/shared/ids.js';
import { parseLocalDate, Temporal, type LocalDate } from '../../domain/shared/time.js';
import { inTransaction } from '../../persistence/db.js';
import {
  insertTerminationNotice,
  listTerminationNotices,
  updateAgreement,
  type TerminationNoticeRecord,
} from '../../persistence/repositories/agreements.js';
import type { PartyCode } from '../access.js';
import { recordAudit } from '../audit.js';
import { nowIso, type Actor, type AppContext } from '../context.js';
import { loadAgreementFor, noticesAsTermInput } from './agreement-view.js';

export interface TerminationNoticeResult {
  notice: TerminationNoticeRecord;
  onTime: boolean;
  effectiveEnd: string;
  termEnd: string;
  deadline: string | null;
  message: { ja: string; en: string };
}

/**
 * Art 11.2: records a written notice of termination received on `receivedOn`. On time (by the
 * deadline, inclusive) → the current term is the last; late → the agreement ends with the next term.
 */
export async function recordTerminationNotice(
  ctx: AppContext,
  actor: Actor,
  agreementId: string,
  input: { byParty: PartyCode; receivedOn: LocalDate },
): Promise<TerminationNoticeResult> {
  const now = nowIso(ctx);
  return inTransaction(ctx.db, async (tx) => {
    const { agreement } = await loadAgreementFor(tx, actor, agreementId, 'termination_notice.record');
    if (!agreement.signedOn) throw new AppError('AGREEMENT_NOT_SIGNED');
    const signedOn = parseLocalDate(agreement.signedOn) as LocalDate;
    if (Temporal.PlainDate.compare(input.receivedOn, signedOn) < 0) {
      throw new AppError('VALIDATION_FAILED', {
        message: {
          ja: '受領日が締結日より前です。',
          en: 'The notice cannot be received before the signing date.',
        },
        extras: { errors: [{ path: 'receivedOn' }] },
      });
    }
    const prior = await listTerminationNotices(tx, [agreementId]);
    const priorInput = noticesAsTermInput(prior);
    const before = evaluateTerm({
      signedOn,
      parameters: agreement.parameters,
      terminationNotices: priorInput,
      on: input.receivedOn,
    });
    if (before.status === 'terminated' || before.status === 'expired') throw new AppError('AGREEMENT_ENDED');
    const assessment = assessTerminationNotice({
      signedOn,
      parameters: agreement.parameters,
      priorNotices: priorInput,
      receivedOn: input.receivedOn,
    });
    const effectiveEnd = assessment.effectiveEnd.toString();
    if (before.endsOn && Temporal.PlainDate.compare(before.endsOn, assessment.effectiveEnd) <= 0) {
      throw new AppError('TERMINATION_ALREADY_NOTIFIED', { extras: { endsOn: before.endsOn.toString() } });
    }
    // Bump the agreement's version so concurrent notices serialise on it.
    if (!(await updateAgreement(tx, agreementId, { version: agreement.version }, {}, now))) {
      throw new AppError('VERSION_CONFLICT');
    }
    const notice: TerminationNoticeRecord = {
      id: newId('terminationNotice'),
      agreementId,
      byParty: input.byParty,
      receivedOn: input.receivedOn.toString(),
      onTime: assessment.onTime,
      effectiveEnd,
      recordedBy: actor.kind === 'user' ? actor.userId : null,
      createdAt: now,
    };
    await insertTerminationNotice(tx, notice);
    await recordAudit(tx, actor, now, {
      chain: agreementId,
      action: 'termination_notice.recorded',
      recordType: 'termination_notice',
      recordId: notice.id,
      payload: {
        after: notice,
        termEnd: assessment.termEnd.toString(),
        deadline: assessment.deadline?.toString() ?? null,
      },
    });
    const party = input.byParty === 'A' ? '甲' : '乙';
    const message = assessment.onTime
      ? {
          ja: `${party}からの終了の意思表示は期限内です。本覚書は ${effectiveEnd} をもって終了し、更新されません（第11条第2項）。`,
          en: `The notice from party ${input.byParty} is on time: the agreement ends on ${effectiveEnd} and does not renew (Art 11.2).`,
        }
      : {
          ja: `${party}からの終了の意思表示は期限（${assessment.deadline?.toString() ?? '—'}）を過ぎています。今期は更新され、本覚書は次期満了日 ${effectiveEnd} をもって終了します（第11条第2項）。`,
          en: `The notice from party ${input.byParty} is late (deadline ${assessment.deadline?.toString() ?? '—'}): the agreement renews once more and ends on ${effectiveEnd} (Art 11.2).`,
        };
    return {
      notice,
      onTime: assessment.onTime,
      effectiveEnd,
      termEnd: assessment.termEnd.toString(),
      deadline: assessment.deadline?.toString() ?? null,
      message,
    };
  });
}
