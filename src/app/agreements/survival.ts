import { articleStanding, type ArticleStanding } from '../../domain/agreement/survival.js';
import { evaluateTerm, type AgreementStatus } from '../../domain/agreement/term.js';
import { AppError } from '../../domain/shared/errors.js';
import { parseLocalDate, todayIn, type Instant, type LocalDate } from '../../domain/shared/time.js';
import type { Tx } from '../../persistence/db.js';
import { listTerminationNotices, type AgreementRecord } from '../../persistence/repositories/agreements.js';
import { mutualTerminationOf, noticesAsTermInput } from './agreement-view.js';

/** The agreement's term status on any day, from its stored term facts (one load, many dates). */
export async function loadTermStatus(
  tx: Tx,
  agreement: AgreementRecord,
): Promise<(on: LocalDate) => AgreementStatus> {
  const signedOn = agreement.signedOn ? (parseLocalDate(agreement.signedOn) as LocalDate) : null;
  const terminationNotices = noticesAsTermInput(await listTerminationNotices(tx, [agreement.id]));
  const mutualTermination = mutualTerminationOf(agreement);
  return (on) =>
    evaluateTerm({ signedOn, parameters: agreement.parameters, terminationNotices, mutualTermination, on })
      .status;
}

const STANDING_REASON: Record<
  Exclude<ArticleStanding, 'in_force' | 'surviving'>,
  { ja: string; en: string }
> = {
  not_in_force: { ja: 'まだ効力を生じていない', en: 'has not taken effect yet' },
  ended: { ja: '終了しており、この条項は存続条項ではない', en: 'has ended and the article does not survive' },
};

/**
 * Art 11.3: refuses (409 AGREEMENT_NOT_ACTIVE, with `article` and `agreementStatus` in the problem)
 * a new step under `article` unless that article applies today (Tokyo) — the agreement is active,
 * or it has ended and the article is in its `survivingArticles`. `orOn`: also accept when the
 * article applied on that earlier day (a duty that arose during the term, e.g. an incident
 * discovered before the end, Art 3).
 */
export async function requireArticleInForce(
  tx: Tx,
  agreement: AgreementRecord,
  article: number,
  now: Instant,
  options: { orOn?: LocalDate } = {},
): Promise<void> {
  const statusOn = await loadTermStatus(tx, agreement);
  const standingOn = (on: LocalDate) => {
    const status = statusOn(on);
    return {
      status,
      standing: articleStanding({
        status,
        survivingArticles: agreement.parameters.survivingArticles,
        article,
      }),
    };
  };
  const today = standingOn(todayIn(now));
  if (today.standing === 'in_force' || today.standing === 'surviving') return;
  if (options.orOn) {
    const then = standingOn(options.orOn);
    if (then.standing === 'in_force' || then.standing === 'surviving') return;
  }
  const reason = STANDING_REASON[today.standing];
  throw new AppError('AGREEMENT_NOT_ACTIVE', {
    message: {
      ja: `この覚書は${reason.ja}ため、第${article}条に基づく新たな手続はできません（第11条第3項）。`,
      en: `This agreement ${reason.en}, so nothing new can be started under Art ${article} (Art 11.3).`,
    },
    extras: { article, agreementStatus: today.status },
  });
}
