import { describe, expect, it } from 'vitest';
import { deriveObligations, type Obligation, type ObligationInputs } from '../engine.js';

const H = 3_600_000;
const PUBLISHED = Date.parse('2026-11-28T01:00:00.000Z');
const ANN = 'ann_0123456789abcdefghjkmnpqrs';

function inputs(
  over: Partial<ObligationInputs> = {},
  survivingArticles = [5, 8, 9],
  endsAtMs: number | null = null,
) {
  return {
    agreement: {
      id: 'agr_0123456789abcdefghjkmnpqrs',
      parameters: {
        noticeTargetHours: 24,
        containmentTargetHours: 24,
        itemRequestMinHours: 24,
        survivingArticles,
      },
      effectiveFromMs: null,
      endsAtMs,
    },
    incident: {
      id: 'inc_0123456789abcdefghjkmnpqrs',
      reportingParty: 'B',
      discoveredAtMs: PUBLISHED - 48 * H,
      dismissedAtMs: null,
    },
    notices: [],
    itemRequests: [],
    containment: [],
    waivers: [],
    emergencyAnnouncements: [{ id: ANN, byParty: 'A', publishedAtMs: PUBLISHED }],
    ...over,
  } satisfies ObligationInputs;
}

const sixTwo = (list: Obligation[]) => list.filter((o) => o.clause === '6.2');

describe('第6条第2項 (Art 6.2): consult after an emergency announcement', () => {
  it('owed by the publisher to the other party, due 24 h after the publication', () => {
    const [o] = sixTwo(deriveObligations(inputs(), PUBLISHED + H));
    expect(o).toMatchObject({
      owedBy: 'A',
      owedTo: 'B',
      state: 'open',
      sourceType: 'announcement',
      sourceId: ANN,
      startsAtMs: PUBLISHED,
      dueAtMs: PUBLISHED + 24 * H,
      survives: false,
    });
    expect(o?.basis.article).toBe('第6条第2項');
    expect(sixTwo(deriveObligations(inputs(), PUBLISHED + 25 * H))[0]?.state).toBe('breached');
    expect(sixTwo(deriveObligations(inputs({ emergencyAnnouncements: [] }), PUBLISHED))).toEqual([]);
  });

  it('met by an agreed consultation on that announcement only (not one on another subject)', () => {
    const agreed = (subjectType: string, subjectId: string, atMs: number) => ({
      id: `cns_${subjectType}`,
      subjectType,
      subjectId,
      agreedAtMs: atMs,
    });
    const other = inputs({
      agreedConsultations: [agreed('incident', 'inc_0123456789abcdefghjkmnpqrs', PUBLISHED + H)],
    });
    expect(sixTwo(deriveObligations(other, PUBLISHED + 2 * H))[0]?.state).toBe('open');
    const met = inputs({ agreedConsultations: [agreed('announcement', ANN, PUBLISHED + 3 * H)] });
    expect(sixTwo(deriveObligations(met, PUBLISHED + 30 * H))[0]).toMatchObject({
      state: 'met',
      metBy: { type: 'consultation', id: 'cns_announcement', atMs: PUBLISHED + 3 * H },
    });
    const late = inputs({ agreedConsultations: [agreed('announcement', ANN, PUBLISHED + 30 * H)] });
    expect(sixTwo(deriveObligations(late, PUBLISHED + 31 * H))[0]?.state).toBe('met_late');
  });

  it('Art 11.3: a publication after the end opens no duty unless the parties made Art 6 survive', () => {
    const endedBefore = PUBLISHED - H;
    expect(sixTwo(deriveObligations(inputs({}, [5, 8, 9], endedBefore), PUBLISHED + H))).toEqual([]);
    expect(sixTwo(deriveObligations(inputs({}, [5, 6, 8, 9], endedBefore), PUBLISHED + H))).toHaveLength(1);
    // Published while in force: owed even though the agreement ended since.
    expect(sixTwo(deriveObligations(inputs({}, [5, 8, 9], PUBLISHED + H), PUBLISHED + 2 * H))).toHaveLength(
      1,
    );
  });
});
