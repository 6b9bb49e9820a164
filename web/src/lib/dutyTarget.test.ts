import { describe, expect, it } from 'vitest';
import { dutyAction, dutyHref, dutyTarget } from './dutyTarget';

const duty = (clause: string, over: Partial<{ owedByUs: boolean; state: string }> = {}) => ({
  id: 'obl_0123abcd',
  clause,
  sourceId: 'req_42',
  owedByUs: over.owedByUs ?? true,
  incident: { id: 'inc_7', state: over.state ?? 'suspected' },
});
const responder = { isAdmin: false, role: 'responder' };

describe('the button of a duty', () => {
  it('names the form that settles each Art 3 duty and finds it on the incident page', () => {
    expect(dutyTarget(duty('3.1'))).toEqual({ selector: '[data-testid="notice-form"]', label: 'notice' });
    expect(dutyTarget(duty('3.3'))?.label).toBe('containment');
    expect(dutyTarget(duty('3.2(6)'))).toEqual({
      selector: '[data-testid="item-request"][data-request-id="req_42"]',
      label: 'answer',
    });
    // Art 4.2 requests: the answer (and the later delivery) is given on the request itself.
    for (const clause of ['4.2(7)', '4.2(1)-delivery'])
      expect(dutyTarget(duty(clause))).toEqual({
        selector: '[data-testid="cooperation-request"][data-request-id="req_42"]',
        label: 'answer',
      });
    // A clause without a form of its own has no target.
    expect(dutyTarget(duty('4.2'))).toBeNull();
    expect(dutyTarget(duty('4.2(9)'))).toBeNull();
    expect(dutyTarget(duty('6.2'))).toBeNull();
  });

  it('deep-links to the incident with the obligation to act on', () => {
    expect(dutyHref('inc_7', 'obl_0123abcd')).toBe('/incidents/inc_7?act=obl_0123abcd');
    expect(dutyAction(duty('3.1'), responder)).toEqual({
      to: '/incidents/inc_7?act=obl_0123abcd',
      label: 'nextAction.go.notice',
      primary: true,
    });
    expect(dutyAction(duty('4.2'), responder).label).toBe('work.act');
  });

  it('only offers to act on our own duty to a user who may act, on an incident that takes records', () => {
    expect(dutyAction(duty('3.3', { owedByUs: false }), responder)).toMatchObject({
      label: 'work.view',
      primary: false,
    });
    expect(dutyAction(duty('3.3'), { isAdmin: false, role: 'viewer' }).label).toBe('work.view');
    expect(dutyAction(duty('3.3'), null).label).toBe('work.view');
    // Closed: no containment form any more, but the duty stays ours (generic button, no wrong promise).
    expect(dutyAction(duty('3.3', { state: 'closed' }), responder).label).toBe('work.act');
    // Dismissed: Art 3.1 survives, and the notice form is still there.
    expect(dutyAction(duty('3.1', { state: 'dismissed' }), responder).label).toBe('nextAction.go.notice');
  });
});
