import { describeRule, type RuleText } from '../../domain/agreement/rules.js';
import {
  assessTerminationNotice,
  evaluateTerm,
  type LateNoticeEffect,
  type TerminationNoticeMethod,
} from '../../domain/agreement/term.js';
import { AppError } from '../../domain/shared/errors.js';
import { newId } from '../../domain/shared/ids.js';
import { parseLocalDate, Temporal, todayIn, type LocalDate } from '../../domain/shared/time.js';
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
import { loadAgreementFor, mutualTerminationOf, noticesAsTermInput } from './agreement-view.js';

/** How the system reads a late notice (第11条第2項 is silent on it), and what the recorder chose. */
export interface LateReading {
  effect: LateNoticeEffect;
  /** The term end the notice meets under the system's reading. */
  nextTermEnd: string;
  /** 期限後の意思表示のため、本システムでは次の期間満了時に終了するものと解釈しています … */
  rule: RuleText;
}

export function lateReadingOf(n: Pick<TerminationNoticeRecord, 'onTime' | 'lateEffect' | 'effectiveEnd'>) {
  if (n.onTime) return null;
  return {
    effect: n.lateEffect ?? 'next_term',
    nextTermEnd: n.effectiveEnd,
    rule: describeRule('art-11-2-late-notice'),
  } satisfies LateReading;
}

/** The end a recorded notice brings about: null when a late notice was recorded as not effective. */
export function noticeEffectiveEnd(
  n: Pick<TerminationNoticeRecord, 'onTime' | 'lateEffect' | 'effectiveEnd'>,
) {
  return !n.onTime && n.lateEffect === 'not_effective' ? null : n.effectiveEnd;
}

export interface TerminationNoticeResult {
  notice: TerminationNoticeRecord;
  onTime: boolean;
  /** null when a late notice was recorded as not effective. */
  effectiveEnd: string | null;
  termEnd: string;
  deadline: string | null;
  lateReading: LateReading | null;
  message: { ja: string; en: string };
}

export interface TerminationNoticeInput {
  byParty: PartyCode;
  receivedOn: LocalDate;
  /** 第11条第2項「書面による」: how the notice was given; absent = not stated. */
  method?: TerminationNoticeMethod | null;
  /** A late notice: the system's reading (default) or not effective. Refused for a notice on time. */
  lateNoticeEffect?: LateNoticeEffect | null;
}

function invalid(path: string, message: { ja: string; en: string }): AppError {
  return new AppError('VALIDATION_FAILED', { message, extras: { errors: [{ path }] } });
}

/**
 * Art 11.2: records a written notice of termination received on `receivedOn` (not in the future).
 * On time (by the deadline, inclusive) → the current term is the last. Late → the memorandum does
 * not say; the system reads it as ending the agreement with the next term (default) unless the
 * recorder records it as not effective, in which case it is kept on record and ends nothing.
 */
export async function recordTerminationNotice(
  ctx: AppContext,
  actor: Actor,
  agreementId: string,
  input: TerminationNoticeInput,
): Promise<TerminationNoticeResult> {
  const now = nowIso(ctx);
  const today = todayIn(ctx.clock.now());
  return inTransaction(ctx.db, async (tx) => {
    const { agreement } = await loadAgreementFor(tx, actor, agreementId, 'termination_notice.record');
    if (!agreement.signedOn) throw new AppError('AGREEMENT_NOT_SIGNED');
    // A notice is recorded once received: a date after today (Asia/Tokyo) cannot have happened yet.
    if (Temporal.PlainDate.compare(input.receivedOn, today) > 0) {
      throw new AppError('TERMINATION_NOTICE_IN_FUTURE', {
        extras: { errors: [{ path: 'receivedOn' }], today: today.toString() },
      });
    }
    const signedOn = parseLocalDate(agreement.signedOn) as LocalDate;
    if (Temporal.PlainDate.compare(input.receivedOn, signedOn) < 0) {
      throw invalid('receivedOn', {
        ja: '受領日が締結日より前です。',
        en: 'The notice cannot be received before the signing date.',
      });
    }
    const prior = await listTerminationNotices(tx, [agreementId]);
    const priorInput = noticesAsTermInput(prior);
    const before = evaluateTerm({
      signedOn,
      parameters: agreement.parameters,
      terminationNotices: priorInput,
      mutualTermination: mutualTerminationOf(agreement),
      on: input.receivedOn,
    });
    if (before.status === 'terminated' || before.status === 'expired') throw new AppError('AGREEMENT_ENDED');
    const assessment = assessTerminationNotice({
      signedOn,
      parameters: agreement.parameters,
      priorNotices: priorInput,
      receivedOn: input.receivedOn,
      lateEffect: input.lateNoticeEffect ?? null,
    });
    if (assessment.onTime && input.lateNoticeEffect === 'not_effective') {
      throw invalid('lateNoticeEffect', {
        ja: '期限内の意思表示には「効力なし」を選べません（第11条第2項により当期の満了をもって終了します）。',
        en: 'A notice received by the deadline cannot be recorded as not effective (under Art 11.2 it ends the agreement when the current term expires).',
      });
    }
    if (
      before.endsOn &&
      (assessment.effectiveEnd === null ||
        Temporal.PlainDate.compare(before.endsOn, assessment.effectiveEnd) <= 0)
    ) {
      throw new AppError('TERMINATION_ALREADY_NOTIFIED', { extras: { endsOn: before.endsOn.toString() } });
    }
    // Bump the agreement's version so concurrent notices serialise on it.
    if (!(await updateAgreement(tx, agreementId, { version: agreement.version }, {}, now))) {
      throw new AppError('VERSION_CONFLICT');
    }
    const readingEnd = assessment.readingEnd.toString();
    const notice: TerminationNoticeRecord = {
      id: newId('terminationNotice'),
      agreementId,
      byParty: input.byParty,
      receivedOn: input.receivedOn.toString(),
      onTime: assessment.onTime,
      effectiveEnd: readingEnd,
      recordedBy: actor.kind === 'user' ? actor.userId : null,
      createdAt: now,
      method: input.method ?? null,
      lateEffect: assessment.lateEffect,
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
        agreementEndsOn: assessment.agreementEndsOn?.toString() ?? null,
      },
    });
    const party = input.byParty === 'A' ? '甲' : '乙';
    const deadline = assessment.deadline?.toString() ?? '—';
    const message = assessment.onTime
      ? {
          ja: `${party}からの終了の意思表示は期限内です。本覚書は ${readingEnd} をもって終了し、更新されません（第11条第2項）。`,
          en: `The notice from party ${input.byParty} is on time: the agreement ends on ${readingEnd} and does not renew (Art 11.2).`,
        }
      : assessment.lateEffect === 'not_effective'
        ? {
            ja: `${party}からの終了の意思表示は期限（${deadline}）を過ぎています。記録者の判断により、終了の効力がないものとして記録しました。本覚書は終了せず、引き続き更新されます（第11条第2項）。`,
            en: `The notice from party ${input.byParty} is late (deadline ${deadline}) and was recorded as not effective, as the recorder chose: the agreement does not end and keeps renewing (Art 11.2).`,
          }
        : {
            ja: `${party}からの終了の意思表示は期限（${deadline}）を過ぎています。期限後の意思表示のため、本システムでは次の期間満了時に終了するものと解釈しています：本覚書は ${readingEnd} をもって終了します（第11条第2項）。`,
            en: `The notice from party ${input.byParty} is late (deadline ${deadline}). As it arrived after the deadline, this system reads it as ending the agreement when the next term expires: on ${readingEnd} (Art 11.2).`,
          };
    return {
      notice,
      onTime: assessment.onTime,
      effectiveEnd: noticeEffectiveEnd(notice),
      termEnd: assessment.termEnd.toString(),
      deadline: assessment.deadline?.toString() ?? null,
      lateReading: lateReadingOf(notice),
      message,
    };
  });
}
