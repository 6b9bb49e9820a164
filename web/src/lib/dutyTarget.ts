/**
 * Where on the incident page a duty is settled — the form that meets it — and the words of the
 * button that leads there. The work queue links to `/incidents/:id?act=<obligation id>`; the
 * incident page then scrolls to the same target the 次にやること button uses.
 */
import { useEffect, useRef } from 'react';
import { useSearchParams } from 'react-router';

export type DutyActionLabel = 'notice' | 'containment' | 'answer';

export interface DutyRef {
  id: string;
  clause: string;
  sourceId: string;
}

export function dutyTarget(o: DutyRef): { selector: string; label: DutyActionLabel } | null {
  switch (o.clause) {
    case '3.1':
      return { selector: '[data-testid="notice-form"]', label: 'notice' };
    case '3.3':
      return { selector: '[data-testid="containment-form"]', label: 'containment' };
    case '3.2(6)':
      return { selector: `[data-testid="item-request"][data-request-id="${o.sourceId}"]`, label: 'answer' };
    default:
      // Art 4.2(1)-(8) and their delivery duties: the requested party's answer form on the request.
      if (/^4\.2\([1-8]\)(-delivery)?$/.test(o.clause))
        return {
          selector: `[data-testid="cooperation-request"][data-request-id="${o.sourceId}"]`,
          label: 'answer',
        };
      return null;
  }
}

/** The incident page's address that opens with the duty's form in view. */
export function dutyHref(incidentId: string, obligationId: string): string {
  return `/incidents/${encodeURIComponent(incidentId)}?act=${encodeURIComponent(obligationId)}`;
}

/**
 * The one button of a work-queue row (and of the agreement page's next duty): for our own duty and
 * a user who may act, the form that settles it; otherwise the incident page, to follow it.
 */
export function dutyAction(
  item: DutyRef & { owedByUs: boolean; incident: { id: string; state: string } },
  user: { isAdmin: boolean; role: string } | null | undefined,
): { to: string; label: `nextAction.go.${DutyActionLabel}` | 'work.act' | 'work.view'; primary: boolean } {
  const to = dutyHref(item.incident.id, item.id);
  const acting = Boolean(user && !user.isAdmin && user.role !== 'viewer');
  if (!item.owedByUs || !acting) return { to, label: 'work.view', primary: false };
  const target = dutyTarget(item);
  // A closed or dismissed incident takes no new Art 3 records but its first notice (Art 3.1 survives).
  const ended = item.incident.state === 'closed' || item.incident.state === 'dismissed';
  if (target && (!ended || item.clause === '3.1'))
    return { to, label: `nextAction.go.${target.label}`, primary: true };
  return { to, label: 'work.act', primary: true };
}

/** Scrolls to the element and focuses its first field; false when it is not on the page (yet). */
export function goTo(selector: string, behavior: ScrollBehavior = 'smooth'): boolean {
  const el = document.querySelector<HTMLElement>(selector);
  if (!el) return false;
  // Below the fixed 60 px header, not under it.
  el.style.scrollMarginTop = '72px';
  el.scrollIntoView({ behavior, block: 'start' });
  el.querySelector<HTMLElement>('textarea, input, select, button')?.focus({ preventScroll: true });
  return true;
}

/**
 * On arrival at `/incidents/:id?act=<obligation id>` (the work queue's and the agreement page's
 * buttons), brings the form that settles that duty into view once the page has drawn it — or the
 * 次にやること panel when the duty has no form of its own (another clause, or no permission).
 */
export function useActOnArrival(obligations: readonly DutyRef[] | undefined): void {
  const [search] = useSearchParams();
  const act = search.get('act');
  const done = useRef<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  useEffect(() => {
    if (!act || !obligations || done.current === act) return;
    done.current = act;
    const duty = obligations.find((o) => o.id === act);
    const target = duty ? dutyTarget(duty) : null;
    let tries = 0;
    const attempt = () => {
      if (target && goTo(target.selector, 'auto')) return;
      // The forms render once the agreement and the session have arrived: retry for up to 3 s.
      if (target && tries++ < 30) {
        timer.current = setTimeout(attempt, 100);
        return;
      }
      goTo('[data-testid="next-action"]', 'auto');
    };
    attempt();
  }, [act, obligations]);
}
