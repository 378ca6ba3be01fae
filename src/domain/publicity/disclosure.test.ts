import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays } from '../dates.js';
import {
  archiveDue,
  archiveScanBound,
  breachPublic,
  challengeLimitEnds,
  countsAsDishonest,
  disclosureLastDay,
  dishonestyState,
  listEntryDisclosureLastDay,
} from './disclosure.js';

describe('archiving after 5 years (条例 Art. 19)', () => {
  it('discloses up to the same day five years on, archives from the day after', () => {
    expect(disclosureLastDay('2021-03-15')).toBe('2026-03-15');
    expect(archiveDue('2021-03-15', '2026-03-15', false)).toBe(false);
    expect(archiveDue('2021-03-15', '2026-03-16', false)).toBe(true);
    // 29 February: five years on is 28 February.
    expect(disclosureLastDay('2020-02-29')).toBe('2025-02-28');
  });

  it('never archives while the subject is on a black list', () => {
    expect(archiveDue('2015-01-01', '2026-12-03', true)).toBe(false);
  });

  it('the scan bound is exactly the last decision date due (month ends and 29 February included)', () => {
    const day = fc.integer({ min: 0, max: 20 * 366 }).map((n) => addDays('2015-01-01', n));
    fc.assert(
      fc.property(day, day, (decision, today) => {
        expect(decision <= archiveScanBound(today)).toBe(archiveDue(decision, today, false));
      }),
      { numRuns: 2000 },
    );
    expect(archiveScanBound('2025-03-01')).toBe('2020-02-29');
    expect(archiveScanBound('2025-02-28')).toBe('2020-02-27');
  });
});

describe('失信 state (条例 Art. 20)', () => {
  it('is 期限内 until 6 months after the decision, then 已生效', () => {
    expect(challengeLimitEnds('2026-01-10')).toBe('2026-07-10');
    expect(dishonestyState('2026-01-10', [], '2026-07-10')).toBe('withinLimits');
    expect(dishonestyState('2026-01-10', [], '2026-07-11')).toBe('final');
  });

  it('follows the latest challenge', () => {
    const review = { kind: 'review' as const, filedOn: '2026-02-01', outcome: null };
    expect(dishonestyState('2026-01-10', [review], '2027-01-01')).toBe('underReview');
    const upheld = { ...review, outcome: 'upheld' as const };
    expect(dishonestyState('2026-01-10', [upheld], '2026-03-01')).toBe('upheld');
    const suit = { kind: 'litigation' as const, filedOn: '2026-04-01', outcome: null };
    expect(dishonestyState('2026-01-10', [suit, upheld], '2026-05-01')).toBe('inLitigation');
    expect(dishonestyState('2026-01-10', [upheld, { ...suit, outcome: 'changed' as const }], '2026-09-01')).toBe('changed');
  });

  it('counts only 已生效 and 已维持 as 失信信息', () => {
    expect(['withinLimits', 'underReview', 'inLitigation', 'upheld', 'changed', 'final'].filter((s) => countsAsDishonest(s as never))).toEqual([
      'upheld',
      'final',
    ]);
  });
});

describe('list entries and broken commitments (Art. 19)', () => {
  it('an entry is disclosed 5 years from its basis, or until it ended when it was listed longer', () => {
    expect(listEntryDisclosureLastDay('2021-06-01', '2022-06-01')).toBe('2026-06-01');
    expect(listEntryDisclosureLastDay('2020-01-02', '2026-12-03')).toBe('2026-12-03');
    // 29 February: the same month arithmetic as the penalties.
    expect(listEntryDisclosureLastDay('2024-02-29', '2025-01-01')).toBe('2029-02-28');
  });

  it('a breach is public through the last day of its 5 years, and archiveScanBound is the last breach day already past', () => {
    expect(breachPublic('2021-12-03', '2026-12-03')).toBe(true);
    expect(breachPublic('2021-12-02', '2026-12-03')).toBe(false);
    for (const today of ['2026-12-03', '2029-03-01', '2028-02-29', '2026-03-31']) {
      const bound = archiveScanBound(today);
      expect(breachPublic(bound, today)).toBe(false);
      expect(breachPublic(addDays(bound, 1), today)).toBe(true);
    }
  });
});
