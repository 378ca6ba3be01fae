import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyFeed, asOfLabel, checkAsOf, mirrorView, parseFeedQuery, type FeedEvent } from './service.js';

describe('parseFeedQuery', () => {
  it('takes a cursor and an optional limit of 1–1000', () => {
    expect(parseFeedQuery({ since: '0' })).toEqual({ ok: true, since: 0n, limit: 100 });
    expect(parseFeedQuery({ since: '123456789012345678', limit: '1000' })).toEqual({ ok: true, since: 123456789012345678n, limit: 1000 });
  });

  it('refuses anything else with a Chinese message, never throws', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (since, limit) => {
        const r = parseFeedQuery({ since, limit });
        if (!r.ok) expect(r.error).toMatch(/[\u4e00-\u9fff]/);
        else expect(r.limit).toBeGreaterThanOrEqual(1);
      }),
    );
    for (const q of [{}, { since: '-1' }, { since: '1.5' }, { since: ['1', '2'] }, { since: '0', limit: '0' }, { since: '0', limit: '1001' }])
      expect(parseFeedQuery(q).ok, JSON.stringify(q)).toBe(false);
  });
});

describe('checkAsOf', () => {
  const today = '2026-12-04';
  it('accepts a real day between the history start and today', () => {
    expect(checkAsOf('', '2026-01-01', today)).toEqual({ ok: true, day: null });
    expect(checkAsOf('2026-06-30', '2026-01-01', today)).toEqual({ ok: true, day: '2026-06-30' });
    expect(checkAsOf(today, '2026-01-01', today)).toEqual({ ok: true, day: today });
  });
  it('refuses impossible, future and too early days, saying why', () => {
    expect(checkAsOf('2026-02-30', '2026-01-01', today)).toMatchObject({ ok: false, error: expect.stringContaining('有效日期') });
    expect(checkAsOf('2026/06/30', '2026-01-01', today)).toMatchObject({ ok: false });
    expect(checkAsOf('2026-12-05', '2026-01-01', today)).toMatchObject({ ok: false, error: expect.stringContaining('不能晚于今天') });
    expect(checkAsOf('2025-12-31', '2026-01-01', today)).toMatchObject({ ok: false, error: expect.stringContaining('2026-01-01') });
    expect(checkAsOf('2026-06-30', null, today)).toMatchObject({ ok: false, error: expect.stringContaining('尚无公示历史') });
  });
  it('labels the day as the reports print it', () => {
    expect(asOfLabel('2026-03-09')).toBe('截至 2026年03月09日');
  });
});

describe('mirrorView', () => {
  const ev = (over: Partial<FeedEvent>): FeedEvent => ({
    cursor: '1',
    occurredAt: '2026-12-01T00:00:00.000Z',
    effectiveOn: '2026-12-01',
    kind: 'penalty',
    id: 1,
    subjectKey: null,
    event: 'published',
    reason: null,
    payload: { documentNo: 'A', publicityEndDate: '2027-01-01' },
    ...over,
  });
  it('keeps the latest state: a tombstone removes, an update replaces; future and past-period items are not shown', () => {
    const state = new Map<string, FeedEvent>();
    applyFeed(state, [
      ev({}),
      ev({ id: 2 }),
      ev({ id: 2, event: 'withdrawn', payload: null }),
      ev({ id: 3, payload: { documentNo: 'C', publicityEndDate: '2026-12-03' } }),
      ev({ id: 4, kind: 'list_entry', effectiveOn: '2026-12-10', payload: { validUntil: '2027-01-01' } }),
      ev({ id: 1, event: 'updated', payload: { documentNo: 'A2', publicityEndDate: '2027-01-01' } }),
    ]);
    expect([...mirrorView(state, '2026-12-04')]).toEqual([['penalty:1', { documentNo: 'A2', publicityEndDate: '2027-01-01' }]]);
  });
});
