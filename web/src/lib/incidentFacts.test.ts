import { describe, expect, it } from 'vitest';
import type { Incident } from '../api/incidentTypes';
import { factsErrors, factsFromIncident, factsPatch, splitDataItems } from './incidentFacts';

// Only the fields the facts form reads; the rest of an Incident does not matter here.
const incident = {
  id: 'inc_1',
  agreementId: 'agr_1',
  version: 3,
  title: '委託先端末のマルウェア感染',
  summary: '',
  infoCategories: ['personal'],
  kinds: ['cyber_attack'],
  causeEntity: 'subcontractor',
  occurredAt: null,
  discoveredAt: '2026-11-27T14:40:00.000Z', // 23:40 JST
  affectedPersons: 1200,
  affectedPersonsEstimated: true,
  affectedRecords: null,
  affectedRecordsEstimated: false,
  dataItems: ['氏名', '住所'],
  sensitiveData: false,
  financialHarmRisk: false,
  improperPurpose: true,
  encrypted: false,
} as unknown as Incident;

describe('incident facts form', () => {
  it('round-trips: an untouched form sends nothing', () => {
    const f = factsFromIncident(incident);
    expect(f.discoveredAt).toBe('2026-11-27T23:40');
    expect(f.occurredAt).toBe('');
    expect(f.affectedRecords).toBe('');
    expect(f.dataItems).toBe('氏名、住所');
    expect(factsPatch(incident, f)).toEqual({});
    expect(factsErrors(f)).toEqual([]);
  });

  it('sends only the changed fields, with times in Japan time', () => {
    const f = {
      ...factsFromIncident(incident),
      summary: ' 続報で判明 ',
      occurredAt: '2026-11-26T09:00',
      affectedPersons: 1500,
      affectedPersonsEstimated: false,
      dataItems: '氏名, 住所\n電話番号、氏名',
      kinds: ['human_error', 'cyber_attack'] as Incident['kinds'],
      encrypted: true,
    };
    expect(factsPatch(incident, f)).toEqual({
      summary: '続報で判明',
      occurredAt: '2026-11-26T09:00:00+09:00',
      affectedPersons: 1500,
      affectedPersonsEstimated: false,
      kinds: ['human_error', 'cyber_attack'],
      dataItems: ['氏名', '住所', '電話番号'],
      encrypted: true,
    });
  });

  it('clears a known value back to unknown (null), and ignores set order', () => {
    const f = {
      ...factsFromIncident(incident),
      affectedPersons: '',
      infoCategories: ['personal'] as Incident['infoCategories'],
    };
    expect(factsPatch(incident, f)).toEqual({ affectedPersons: null });
    const withOccurred = { ...incident, occurredAt: '2026-11-26T00:00:00.000Z' } as Incident;
    expect(factsPatch(withOccurred, { ...factsFromIncident(withOccurred), occurredAt: '' })).toEqual({
      occurredAt: null,
    });
  });

  it('moves the discovery time (the Art 3 clocks follow on the server)', () => {
    const f = { ...factsFromIncident(incident), discoveredAt: '2026-11-27T22:10' };
    expect(factsPatch(incident, f)).toEqual({ discoveredAt: '2026-11-27T22:10:00+09:00' });
  });

  it('names what is not valid yet and sends no invalid time', () => {
    const f = {
      ...factsFromIncident(incident),
      title: '  ',
      discoveredAt: '2026-02-30T10:00',
      occurredAt: 'x',
    };
    expect(factsErrors(f)).toEqual(['title', 'discoveredAt', 'occurredAt']);
    expect(factsPatch(incident, f)).toEqual({ title: '' });
  });

  it('splits data items on 、 , ， and new lines, without duplicates or blanks', () => {
    expect(splitDataItems(' 氏名 ,, 住所，電話番号\n\n氏名 ')).toEqual(['氏名', '住所', '電話番号']);
    expect(splitDataItems('')).toEqual([]);
  });
});
