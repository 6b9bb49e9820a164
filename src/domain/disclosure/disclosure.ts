/**
 * Art 5 (第三者への開示制限), pure rules. 5.1: incident information goes to a third party only on
 * the counterparty's prior consent, unless the disclosure is based on law, or a court or an
 * administrative authority demands it (ただし書). 5.2: for such an exception the disclosing party
 * tries to notify the counterparty beforehand (an effort duty: BreachPact tells the counterparty
 * the moment the exception is filed and marks a disclosure made before that as without prior
 * notice, 事前通知なし).
 */

export const DISCLOSURE_BASES = ['consent', 'law', 'court_order', 'authority_request'] as const;
export type DisclosureBasis = (typeof DISCLOSURE_BASES)[number];

export const DISCLOSURE_STATES = ['pending_consent', 'consented', 'refused', 'excepted'] as const;
export type DisclosureState = (typeof DISCLOSURE_STATES)[number];

export interface Label {
  ja: string;
  en: string;
}

export const DISCLOSURE_BASIS_LABELS: Record<DisclosureBasis, Label> = {
  consent: { ja: '相手方の事前承諾（第5条第1項本文）', en: "The other party's prior consent (Art 5.1)" },
  law: { ja: '法令に基づく開示（第5条第1項ただし書）', en: 'Required by law (Art 5.1 proviso)' },
  court_order: {
    ja: '裁判所からの開示の求め（第5条第1項ただし書）',
    en: 'Demanded by a court (Art 5.1 proviso)',
  },
  authority_request: {
    ja: '行政機関からの開示の求め（第5条第1項ただし書）',
    en: 'Demanded by an administrative authority (Art 5.1 proviso)',
  },
};

export const DISCLOSURE_STATE_LABELS: Record<DisclosureState, Label> = {
  pending_consent: { ja: '承諾待ち', en: 'Awaiting consent' },
  consented: { ja: '承諾済み', en: 'Consented' },
  refused: { ja: '不承諾', en: 'Refused' },
  excepted: { ja: '例外による開示（事前承諾不要）', en: 'Exception (no consent needed)' },
};

export const PRIOR_NOTICE_LABELS: Record<'true' | 'false', Label> = {
  true: { ja: '事前通知あり', en: 'Notified beforehand' },
  false: { ja: '事前通知なし', en: 'Not notified beforehand' },
};

/** Art 5.1 proviso: every basis but consent is an exception, and needs its reference (statute, order no.). */
export const isException = (basis: DisclosureBasis): boolean => basis !== 'consent';

/** The state a disclosure is filed in: consent path waits for the counterparty; an exception applies at once. */
export const initialDisclosureState = (basis: DisclosureBasis): DisclosureState =>
  isException(basis) ? 'excepted' : 'pending_consent';

/** Art 5.1: outside information may go to the recipient only when consented or excepted. */
export const mayDisclose = (state: DisclosureState): boolean => state === 'consented' || state === 'excepted';

export type DisclosedCheck =
  { ok: true; priorNotice: boolean } | { ok: false; reason: 'no_consent' | 'before_consent' };

/**
 * Whether a disclosure made at `disclosedAt` may be recorded, and whether the counterparty had been
 * told before it (Art 5.2). Consent path: only after the consent (5.1), which is itself the prior
 * notice. Exception path: always recordable; prior notice when the counterparty was told (the
 * filing, which mails it at once) no later than the disclosure.
 */
export function checkDisclosed(
  d: { state: DisclosureState; decidedAt: string | null; counterpartyNotifiedAt: string | null },
  disclosedAt: string,
): DisclosedCheck {
  const at = Date.parse(disclosedAt);
  if (d.state === 'excepted') {
    const told = d.counterpartyNotifiedAt === null ? null : Date.parse(d.counterpartyNotifiedAt);
    return { ok: true, priorNotice: told !== null && told <= at };
  }
  if (d.state !== 'consented' || d.decidedAt === null) return { ok: false, reason: 'no_consent' };
  if (at < Date.parse(d.decidedAt)) return { ok: false, reason: 'before_consent' };
  return { ok: true, priorNotice: true };
}
