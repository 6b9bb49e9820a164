/**
 * Art 11.3 (存続条項): which articles of the memorandum still apply on a given day. Pure: the
 * caller evaluates the term (term.ts) on that day and passes its status together with the
 * agreement's `survivingArticles` parameter (default [5, 8, 9], legal-rules §1; the parties may
 * amend it). Nothing here is hard-coded to an article number.
 *
 * - before the memorandum took effect (draft, or signed but `on` is before the signing day):
 *   no article applies;
 * - while it is active: every article applies;
 * - after it ended — expired, terminated by notice (Art 11.2) or by mutual termination (合意解約) —
 *   only the surviving articles apply.
 */
import type { AgreementStatus } from './term.js';

/**
 * How an article stands on the evaluated day:
 * `in_force` (the agreement is active), `surviving` (ended, but the article survives, Art 11.3),
 * `ended` (ended and the article does not survive), `not_in_force` (not yet in force: draft or
 * before signing).
 */
export type ArticleStanding = 'in_force' | 'surviving' | 'ended' | 'not_in_force';

export interface ArticleQuery {
  /** The agreement's term status on the evaluated day (evaluateTerm(...).status). */
  status: AgreementStatus;
  /** The agreement's `survivingArticles` parameter (Art 11.3). */
  survivingArticles: readonly number[];
  /** The article of the memorandum (1-13), e.g. 6 for an announcement (Art 6). */
  article: number;
}

export function articleStanding(q: ArticleQuery): ArticleStanding {
  switch (q.status) {
    case 'draft':
    case 'not_started':
      return 'not_in_force';
    case 'active':
      return 'in_force';
    case 'terminated':
    case 'expired':
      // Art 11.3: after the end only the articles the parties made survive still bind.
      return q.survivingArticles.includes(q.article) ? 'surviving' : 'ended';
  }
}

/** Whether the article applies on the evaluated day (in force, or surviving the end). */
export function articleApplies(q: ArticleQuery): boolean {
  const s = articleStanding(q);
  return s === 'in_force' || s === 'surviving';
}
