import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, beijingToday, compactDay, dateColumn, epochDay, isoDay, parseDate } from './dates.js';

describe('Beijing calendar days', () => {
  it('takes the Beijing day of an instant, which runs 8 hours ahead of UTC', () => {
    expect(beijingToday(new Date('2026-12-31T15:59:59Z'))).toBe('2026-12-31');
    expect(beijingToday(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect(beijingToday(new Date('2027-02-10T15:30:00Z'))).toBe('2027-02-10');
  });

  it('round-trips a day through its DATE column value, days since 1970 and day arithmetic', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: -4000, max: 4000 }),
        (d, n) => {
          const day = d.toISOString().slice(0, 10);
          expect(isoDay(dateColumn(day))).toBe(day);
          expect(epochDay(addDays(day, n)) - epochDay(day)).toBe(n);
          expect(addDays(addDays(day, n), -n)).toBe(day);
        },
      ),
    );
    expect(isoDay(null)).toBe('');
    expect(isoDay('2026-03-05T12:00:00')).toBe('2026-03-05');
    expect(compactDay('2026-03-05')).toBe('20260305');
  });

  it('adds calendar months, keeping to the end of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-04-01', -3)).toBe('2026-01-01');
    expect(addMonths('2026-12-15', 36)).toBe('2029-12-15');
  });

  it('parses the ways the template and people write a day, and refuses days that do not exist', () => {
    for (const s of ['2026/3/5', '2026-03-05', '20260305', '2026.3.5', '2026年3月5日', ' 2026/03/05 ']) expect(parseDate(s)).toBe('2026-03-05');
    for (const s of ['2026/2/30', '2026-13-01', '26/3/5', '', 'abc', '2026/3/5 10:00']) expect(parseDate(s)).toBeNull();
  });
});
