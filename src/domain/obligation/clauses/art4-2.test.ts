import { describe, expect, it } from 'vitest';
import { deriveObligations, type ObligationInputs } from '../engine.js';

const H = 3_600_000;
const T0 = Date.parse('2026-11-28T01:00:00.000Z');

type Request = NonNullable<ObligationInputs['cooperationRequests']>[number];

function inputs(requests: Request[], over: Partial<ObligationInputs['agreement']> = {}): ObligationInputs {
  return {
    agreement: {
      id: 'agr_1',
      parameters: {
        noticeTargetHours: 24,
        containmentTargetHours: 24,
        itemRequestMinHours: 24,
        survivingArticles: [5, 8, 9],
      },
      effectiveFromMs: null,
      endsAtMs: null,
      ...over,
    },
    incident: { id: 'inc_1', reportingParty: 'B', discoveredAtMs: T0 - 10 * H, dismissedAtMs: null },
    notices: [],
    itemRequests: [],
    containment: [],
    waivers: [],
    cooperationRequests: requests,
  };
}

const req = (over: Partial<Request> = {}): Request => ({
  id: 'cor_1',
  fromParty: 'A',
  toParty: 'B',
  category: 'evidence_and_logs',
  requestedAtMs: T0,
  dueAtMs: T0 + 72 * H,
  respondedAtMs: null,
  deliverByMs: null,
  deliveredAtMs: null,
  ...over,
});

const art4 = (input: ObligationInputs, nowMs: number) =>
  deriveObligations(input, nowMs).filter((o) => o.clause.startsWith('4.2'));

describe('第4条第2項 (Art 4.2) cooperation requests', () => {
  it('a request is a duty of the requested party to the requester, clause 4.2(n) by category, due at dueAt', () => {
    const list = art4(
      inputs([req(), req({ id: 'cor_2', category: 'cause_analysis', fromParty: 'B', toParty: 'A' })]),
      T0,
    );
    expect(list.map((o) => [o.clause, o.owedBy, o.owedTo, o.sourceId, o.state])).toEqual([
      ['4.2(1)', 'A', 'B', 'cor_2', 'open'],
      ['4.2(7)', 'B', 'A', 'cor_1', 'open'],
    ]);
    expect(list[1]).toMatchObject({
      startsAtMs: T0,
      dueAtMs: T0 + 72 * H,
      sourceType: 'cooperation_request',
    });
    expect(list[1]!.basis).toMatchObject({
      article: '第4条第2項第7号',
      parameter: 'cooperationResponseHours',
    });
  });

  it('met by the first answer on time, met_late after dueAt, breached when unanswered past dueAt', () => {
    expect(art4(inputs([req({ respondedAtMs: T0 + 72 * H })]), T0 + 100 * H)[0]!.state).toBe('met');
    expect(art4(inputs([req({ respondedAtMs: T0 + 72 * H + 1 })]), T0 + 100 * H)[0]!.state).toBe('met_late');
    expect(art4(inputs([req()]), T0 + 72 * H)[0]!.state).toBe('open');
    expect(art4(inputs([req()]), T0 + 72 * H + 1)[0]!.state).toBe('breached');
  });

  it('an acceptance with deliverBy opens 4.2(n)-delivery from the acceptance, met by the delivery; none without deliverBy', () => {
    const accepted = req({ respondedAtMs: T0 + H, deliverByMs: T0 + 48 * H });
    let list = art4(inputs([accepted]), T0 + 2 * H);
    expect(list.map((o) => [o.clause, o.state])).toEqual([
      ['4.2(7)', 'met'],
      ['4.2(7)-delivery', 'open'],
    ]);
    expect(list[1]).toMatchObject({ owedBy: 'B', owedTo: 'A', startsAtMs: T0 + H, dueAtMs: T0 + 48 * H });
    expect(art4(inputs([accepted]), T0 + 49 * H)[1]!.state).toBe('breached');
    list = art4(inputs([{ ...accepted, deliveredAtMs: T0 + 50 * H }]), T0 + 60 * H);
    expect(list[1]!.state).toBe('met_late');
    expect(list[1]!.metBy).toMatchObject({ type: 'cooperation_request', id: 'cor_1', atMs: T0 + 50 * H });
    expect(art4(inputs([req({ respondedAtMs: T0 + H })]), T0 + 2 * H).map((o) => o.clause)).toEqual([
      '4.2(7)',
    ]);
  });

  it('dismissal lapses a duty not yet due; Art 4 does not survive: a request after the end opens nothing, one made during the term stays owed', () => {
    const dismissed = inputs([req()]);
    dismissed.incident = { ...dismissed.incident, dismissedAtMs: T0 + H };
    expect(art4(dismissed, T0 + 100 * H)[0]).toMatchObject({
      state: 'waived',
      waiver: { reason: 'incident_dismissed' },
    });
    const ended = { endsAtMs: T0 + 24 * H };
    const during = art4(inputs([req()], ended), T0 + 100 * H);
    expect(during.map((o) => [o.clause, o.state, o.survives])).toEqual([['4.2(7)', 'breached', false]]);
    expect(
      art4(inputs([req({ requestedAtMs: T0 + 25 * H, dueAtMs: T0 + 97 * H })], ended), T0 + 30 * H),
    ).toEqual([]);
  });

  it('inputs without cooperation requests (older callers) derive no Art 4 duties', () => {
    const input = inputs([]);
    delete input.cooperationRequests;
    expect(art4(input, T0)).toEqual([]);
  });
});
