import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HOLIDAYS } from './holidays-cn.js';
import { REPORTING_DEADLINE_WORKDAYS, WorkdayCalendar, calendarDay, isOnTime } from './workdays.js';

const DAY_MS = 86_400_000;
const cal = new WorkdayCalendar();

/** 'YYYY-MM-DD' of a UTC day number, by way of Date, independent of the module's own arithmetic. */
function iso(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}
function dayNumber(s: string): number {
  return Date.parse(`${s}T00:00:00Z`) / DAY_MS;
}
/** The obvious definition, day by day, straight from the data. */
function referenceIsWorkday(s: string): boolean {
  const kind = HOLIDAYS[s];
  if (kind !== undefined) return kind === 'work';
  const weekday = new Date(`${s}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

// Dates from half a year before the data to half a year after, so the fallback and the edges are exercised.
const anyDay = fc.integer({ min: dayNumber('2015-07-01'), max: dayNumber('2027-06-30') });

describe('holiday data (国务院办公厅 notices, 2016–2026)', () => {
  it('has make-up working days only on weekends', () => {
    for (const [day, kind] of Object.entries(HOLIDAYS)) {
      if (kind !== 'work') continue;
      const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
      expect([0, 6], day).toContain(weekday);
    }
  });

  it('has 元旦, 劳动节 and 国庆节 off in every year', () => {
    for (let year = 2016; year <= 2026; year++) {
      for (const day of ['01-01', '05-01', '10-01', '10-02', '10-03']) expect(HOLIDAYS[`${year}-${day}`], `${year}-${day}`).toBe('off');
    }
  });

  it('covers 2016 to 2026', () => {
    expect(cal.coverage()).toEqual({ from: '2016-01-01', to: '2026-12-31' });
    expect(cal.knows('2015-12-31')).toBe(false);
    expect(cal.knows('2016-01-01')).toBe(true);
    expect(cal.knows('2026-12-31')).toBe(true);
    expect(cal.knows('2027-01-01')).toBe(false);
  });
});

describe('spot checks against the notices', () => {
  it('2016 国庆: 10-01..10-07 off, Saturday 10-08 and Sunday 10-09 worked', () => {
    for (let d = 1; d <= 7; d++) expect(cal.isWorkday(`2016-10-0${d}`)).toBe(false);
    expect(cal.isWorkday('2016-10-08')).toBe(true);
    expect(cal.isWorkday('2016-10-09')).toBe(true);
  });

  it('2020 春节 as extended to 2 February (国办发明电〔2020〕1号): 01-24..02-02 off, 01-19 worked, 02-01 not', () => {
    expect(cal.isWorkday('2020-01-19')).toBe(true); // Sunday, make-up day of the original notice
    expect(cal.isWorkday('2020-01-23')).toBe(true);
    for (let t = dayNumber('2020-01-24'); t <= dayNumber('2020-02-02'); t++) expect(cal.isWorkday(iso(t)), iso(t)).toBe(false);
    expect(cal.isWorkday('2020-02-01')).toBe(false); // Saturday: the original make-up day, cancelled by the extension
    expect(cal.isWorkday('2020-02-03')).toBe(true);
  });

  it('2024 春节: Sunday 02-04 and Sunday 02-18 worked, 02-10..02-17 off', () => {
    expect(cal.isWorkday('2024-02-04')).toBe(true);
    expect(cal.isWorkday('2024-02-18')).toBe(true);
    for (let t = dayNumber('2024-02-10'); t <= dayNumber('2024-02-17'); t++) expect(cal.isWorkday(iso(t)), iso(t)).toBe(false);
    expect(cal.isWorkday('2024-02-09')).toBe(true); // 除夕 2024 was an ordinary working day
  });

  it('2025 春节: Sunday 01-26 and Saturday 02-08 worked, 01-28..02-04 off', () => {
    expect(cal.isWorkday('2025-01-26')).toBe(true);
    expect(cal.isWorkday('2025-02-08')).toBe(true);
    for (let t = dayNumber('2025-01-28'); t <= dayNumber('2025-02-04'); t++) expect(cal.isWorkday(iso(t)), iso(t)).toBe(false);
  });

  it('2026 (国办发明电〔2025〕7号)', () => {
    const worked = ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'];
    for (const d of worked) expect(cal.isWorkday(d), d).toBe(true);
    const off = [
      ['2026-01-01', '2026-01-03'],
      ['2026-02-15', '2026-02-23'],
      ['2026-04-04', '2026-04-06'],
      ['2026-05-01', '2026-05-05'],
      ['2026-06-19', '2026-06-21'],
      ['2026-09-25', '2026-09-27'],
      ['2026-10-01', '2026-10-07'],
    ] as const;
    for (const [a, b] of off) {
      for (let t = dayNumber(a); t <= dayNumber(b); t++) expect(cal.isWorkday(iso(t)), iso(t)).toBe(false);
      expect(cal.isWorkday(iso(dayNumber(b) + 1)) || [0, 6].includes(new Date((dayNumber(b) + 1) * DAY_MS).getUTCDay()), b).toBe(true);
    }
  });

  it('every day of 2016–2026 agrees with the data read day by day', () => {
    for (let t = dayNumber('2016-01-01'); t <= dayNumber('2026-12-31'); t++) {
      const d = iso(t);
      if (cal.isWorkday(d) !== referenceIsWorkday(d)) expect.fail(`${d}: ${cal.isWorkday(d)}`);
    }
  });

  it('weekends are off unless made up, weekdays are on unless a holiday', () => {
    expect(cal.isWorkday('2016-10-15')).toBe(false); // ordinary Saturday
    expect(cal.isWorkday('2016-10-16')).toBe(false); // ordinary Sunday
    expect(cal.isWorkday('2016-10-17')).toBe(true); // ordinary Monday
    expect(cal.isWorkday('2023-04-05')).toBe(false); // 清明 2023, a Wednesday
    expect(cal.isWorkday('2019-05-02')).toBe(false); // 劳动节 2019 (国办发明电〔2019〕3号), a Thursday
    expect(cal.isWorkday('2019-05-05')).toBe(true); // and its make-up Sunday
  });

  it('falls back to Monday–Friday outside the data', () => {
    expect(cal.isWorkday('2027-01-01')).toBe(true); // a Friday: 元旦 2027 is not known yet
    expect(cal.isWorkday('2027-01-02')).toBe(false);
    expect(cal.isWorkday('2015-10-01')).toBe(true); // a Thursday, 国庆 2015, not in the data
    expect(cal.workingDaysBetween('2026-12-31', '2027-01-08')).toBe(6);
    expect(cal.workingDaysBetween('2015-12-25', '2016-01-04')).toBe(5); // 12-28..12-31, 元旦 2016 off till 01-03, then 01-04
  });
});

describe('dates', () => {
  it('reads a Date at UTC midnight (a @db.Date value) as that calendar day', () => {
    expect(calendarDay(new Date('2016-10-08T00:00:00Z'))).toBe('2016-10-08');
    expect(cal.isWorkday(new Date('2016-10-08T00:00:00Z'))).toBe(true);
    expect(cal.isWorkday(new Date('2016-10-07T00:00:00Z'))).toBe(false);
  });

  it('reads a timestamp as its Asia/Shanghai calendar day', () => {
    expect(calendarDay(new Date('2016-10-07T15:59:59.999Z'))).toBe('2016-10-07');
    expect(calendarDay(new Date('2016-10-07T16:00:00Z'))).toBe('2016-10-08'); // 00:00 in Shanghai
    expect(calendarDay(new Date('2016-10-08T00:00:00+08:00'))).toBe('2016-10-08');
  });

  it('rejects malformed and impossible dates', () => {
    for (const bad of ['2016-2-3', '2016-02-30', '2015-02-29', '2016-13-01', '2016-00-10', '20160203', 'abc', '2016-02-03T00:00:00Z', '']) {
      expect(() => cal.isWorkday(bad), bad).toThrow(RangeError);
    }
    expect(() => cal.isWorkday(new Date(Number.NaN))).toThrow(RangeError);
    expect(cal.isWorkday('2016-02-29')).toBe(true);
  });
});

describe('workingDaysBetween', () => {
  it('counts working days after `from` up to and including `to`', () => {
    expect(cal.workingDaysBetween('2016-10-10', '2016-10-10')).toBe(0);
    expect(cal.workingDaysBetween('2016-10-10', '2016-10-11')).toBe(1);
    expect(cal.workingDaysBetween('2016-10-14', '2016-10-16')).toBe(0); // Friday to Sunday
    expect(cal.workingDaysBetween('2016-10-14', '2016-10-17')).toBe(1);
  });

  it('across 国庆 2016: decision Friday 09-30, report Monday 10-10 is 3 (10-08, 10-09 and 10-10)', () => {
    expect(cal.workingDaysBetween('2016-09-30', '2016-10-07')).toBe(0);
    expect(cal.workingDaysBetween('2016-09-30', '2016-10-08')).toBe(1);
    expect(cal.workingDaysBetween('2016-09-30', '2016-10-10')).toBe(3);
  });

  it('across 春节', () => {
    // 2024: 02-09 worked, 02-10..02-17 off, Sunday 02-18 worked, Monday 02-19.
    expect(cal.workingDaysBetween('2024-02-08', '2024-02-19')).toBe(3);
    // 2020, extended: nothing between Thursday 01-23 and Monday 02-03.
    expect(cal.workingDaysBetween('2020-01-23', '2020-02-02')).toBe(0);
    expect(cal.workingDaysBetween('2020-01-23', '2020-02-03')).toBe(1);
    // 2025: Saturday 01-25 off, Sunday 01-26 and Monday 01-27 worked, 01-28..02-04 off, Wednesday 02-05.
    expect(cal.workingDaysBetween('2025-01-24', '2025-02-05')).toBe(3);
  });

  it('counts a whole year as the notices give it', () => {
    // 2016: 261 Monday–Friday days, 17 of them holiday days off, 6 weekend days worked — which is also
    // 366 days − 105 weekend days − 11 statutory holidays, as it must be when every holiday is made up.
    expect(cal.workingDaysBetween('2015-12-31', '2016-12-31')).toBe(261 - 17 + 6);
    expect(cal.workingDaysBetween('2015-12-31', '2016-12-31')).toBe(366 - 105 - 11);
  });

  it('is negative when `to` is before `from`', () => {
    expect(cal.workingDaysBetween('2016-10-10', '2016-09-30')).toBe(-3);
  });

  it('Dates and strings give the same answer', () => {
    expect(cal.workingDaysBetween(new Date('2016-09-30T00:00:00Z'), new Date('2016-10-10T09:30:00+08:00'))).toBe(3);
  });
});

describe('addWorkingDays', () => {
  it('finds the n-th working day after a date', () => {
    expect(cal.addWorkingDays('2016-09-30', 0)).toBe('2016-09-30');
    expect(cal.addWorkingDays('2016-09-30', 1)).toBe('2016-10-08');
    expect(cal.addWorkingDays('2016-09-30', 7)).toBe('2016-10-14');
    expect(cal.addWorkingDays('2020-01-23', 1)).toBe('2020-02-03');
    expect(cal.addWorkingDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(cal.addWorkingDays('2016-10-01', 0)).toBe('2016-10-01');
  });

  it('rejects a negative or fractional n', () => {
    expect(() => cal.addWorkingDays('2016-10-01', -1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2016-10-01', 1.5)).toThrow(RangeError);
  });
});

describe('isOnTime (7 working days after the decision)', () => {
  it('is on time on the 7th working day, and on the weekend after it, late on the 8th', () => {
    expect(REPORTING_DEADLINE_WORKDAYS).toBe(7);
    // Decision Friday 2016-09-30: 10-08, 10-09, 10-10 … 10-14 is the 7th working day, Monday 10-17 the 8th.
    expect(isOnTime('2016-09-30', '2016-10-14', cal)).toBe(true);
    expect(isOnTime('2016-09-30', new Date('2016-10-14T23:59:59+08:00'), cal)).toBe(true);
    expect(isOnTime('2016-09-30', new Date('2016-10-16T15:59:59Z'), cal)).toBe(true); // Sunday 23:59:59 in Shanghai
    expect(isOnTime('2016-09-30', new Date('2016-10-16T16:00:00Z'), cal)).toBe(false); // Monday 00:00 in Shanghai
    expect(isOnTime('2016-09-30', '2016-10-17', cal)).toBe(false);
  });

  it('takes a @db.Date decision date at UTC midnight as that day', () => {
    expect(isOnTime(new Date('2016-09-30T00:00:00Z'), new Date('2016-10-14T10:00:00+08:00'), cal)).toBe(true);
    expect(isOnTime(new Date('2016-09-30T00:00:00Z'), new Date('2016-10-17T10:00:00+08:00'), cal)).toBe(false);
  });

  it('does not call a report dated before its decision late', () => {
    expect(isOnTime('2016-10-10', '2016-09-30', cal)).toBe(true);
  });
});

describe('overrides', () => {
  const next = new WorkdayCalendar(HOLIDAYS, { '2027-01-01': 'off', '2027-02-07': 'work', '2016-10-08': 'off' });

  it('extend the coverage and the days', () => {
    expect(next.coverage()).toEqual({ from: '2016-01-01', to: '2027-12-31' });
    expect(next.knows('2027-06-01')).toBe(true);
    expect(next.knows('2028-01-01')).toBe(false);
    expect(next.isWorkday('2027-01-01')).toBe(false);
    expect(next.isWorkday('2027-02-07')).toBe(true); // a Sunday
    expect(next.workingDaysBetween('2026-12-31', '2027-01-08')).toBe(5);
  });

  it('win over the national data', () => {
    expect(next.isWorkday('2016-10-08')).toBe(false);
    expect(next.workingDaysBetween('2016-09-30', '2016-10-10')).toBe(2);
    expect(cal.isWorkday('2016-10-08')).toBe(true); // the default calendar is untouched
  });

  it('are validated', () => {
    expect(() => new WorkdayCalendar(HOLIDAYS, { '2027-1-1': 'off' })).toThrow(RangeError);
    expect(() => new WorkdayCalendar(HOLIDAYS, { '2027-01-01': 'holiday' as 'off' })).toThrow(TypeError);
  });

  it('an empty calendar is the ordinary week and knows nothing', () => {
    const plain = new WorkdayCalendar({});
    expect(plain.coverage()).toBeNull();
    expect(plain.knows('2020-01-01')).toBe(false);
    expect(plain.isWorkday('2016-10-08')).toBe(false);
    expect(plain.workingDaysBetween('2016-09-30', '2016-10-10')).toBe(6);
  });
});

describe('properties', () => {
  it('addWorkingDays(d, n) is n working days after d, and the first such day', () => {
    fc.assert(
      fc.property(anyDay, fc.integer({ min: 0, max: 60 }), (d, n) => {
        const from = iso(d);
        const result = cal.addWorkingDays(from, n);
        expect(cal.workingDaysBetween(from, result)).toBe(n);
        if (n > 0) {
          expect(cal.isWorkday(result)).toBe(true);
          expect(cal.workingDaysBetween(from, iso(dayNumber(result) - 1))).toBe(n - 1);
        } else {
          expect(result).toBe(from);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('workingDaysBetween is monotonic in `to`', () => {
    fc.assert(
      fc.property(anyDay, anyDay, anyDay, (f, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(cal.workingDaysBetween(iso(f), iso(lo))).toBeLessThanOrEqual(cal.workingDaysBetween(iso(f), iso(hi)));
      }),
      { numRuns: 2000 },
    );
  });

  it('never counts more working days than calendar days, and is antisymmetric', () => {
    fc.assert(
      fc.property(anyDay, anyDay, (a, b) => {
        const n = cal.workingDaysBetween(iso(a), iso(b));
        expect(Math.abs(n)).toBeLessThanOrEqual(Math.abs(b - a));
        expect(Math.sign(n) * Math.sign(b - a)).toBeGreaterThanOrEqual(0);
        expect(cal.workingDaysBetween(iso(b), iso(a)) + n).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with counting day by day', () => {
    fc.assert(
      fc.property(anyDay, fc.integer({ min: 0, max: 400 }), (a, len) => {
        let expected = 0;
        for (let t = a + 1; t <= a + len; t++) if (referenceIsWorkday(iso(t))) expected++;
        expect(cal.workingDaysBetween(iso(a), iso(a + len))).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('reads a Date at UTC midnight and the same day as a string alike', () => {
    fc.assert(
      fc.property(anyDay, (d) => {
        expect(calendarDay(new Date(d * DAY_MS))).toBe(iso(d));
        expect(cal.isWorkday(new Date(d * DAY_MS))).toBe(cal.isWorkday(iso(d)));
      }),
    );
  });
});

describe('speed', () => {
  it('counts 1,000,000 random pairs within 2016–2026 quickly', () => {
    const first = dayNumber('2016-01-01');
    const pool = Array.from({ length: dayNumber('2026-12-31') - first + 1 }, (_, i) => iso(first + i));
    const picks = new Int32Array(2_000_000);
    // A fixed linear congruential sequence: the same pairs on every run.
    let seed = 12345;
    for (let i = 0; i < picks.length; i++) {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      picks[i] = seed % pool.length;
    }
    const started = performance.now();
    let sum = 0;
    for (let i = 0; i < picks.length; i += 2) sum += cal.workingDaysBetween(pool[picks[i] ?? 0] ?? '', pool[picks[i + 1] ?? 0] ?? '');
    const elapsed = performance.now() - started;
    expect(Number.isFinite(sum)).toBe(true);
    // Usually well under the bound (docs/performance.md#other); it is loose so a busy CI machine does not fail it, but a
    // day-by-day loop would.
    expect(elapsed).toBeLessThan(5000);
  });
});
