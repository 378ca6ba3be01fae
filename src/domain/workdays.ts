/**
 * China's working-day calendar, for the 双公示 timeliness rule (及时率): an administrative licence or penalty
 * decision must be published within REPORTING_DEADLINE_WORKDAYS working days after the day it was made.
 *
 * A working day is Monday–Friday, except the statutory holiday days off, plus the 调休 weekend days that the
 * State Council's yearly notice makes working days. The national schedule for 2016–2026 is HOLIDAYS
 * (holidays-cn.ts); later years come from an admin-maintained table passed as `overrides`.
 *
 * Dates. Every method takes a calendar date as either
 *  - a string 'YYYY-MM-DD' (exactly that form; anything else throws a RangeError), or
 *  - a Date, read as the calendar day it falls on in Asia/Shanghai (UTC+8 all year, no daylight saving since
 *    1991). A @db.Date value, which Prisma hands over as UTC midnight, is 08:00 of that same day in Shanghai,
 *    so it maps to the day stored; a timestamp such as a report's createdAt maps to the Shanghai day it
 *    happened on (2024-01-01T17:00Z is 2024-01-02 01:00 in Shanghai, so 2024-01-02).
 *
 * Outside the years that have data (see coverage() and knows()), the calendar falls back to the ordinary
 * week: Monday–Friday working. Callers that publish a figure should check knows() for the dates involved and
 * flag figures computed on the fallback.
 *
 * Speed: the constructor builds a cumulative index over the covered years (one Int32Array entry per day), so
 * every method except addWorkingDays is O(1), and addWorkingDays is O(log n).
 */
import { HOLIDAYS } from './holidays-cn.js';

export type DayKind = 'off' | 'work';
export type HolidayMap = Readonly<Record<string, DayKind>>;
/** 'YYYY-MM-DD', or a Date read as a calendar day in Asia/Shanghai. */
export type CalendarDate = Date | string;

/** 双公示: publish within 7 working days after the decision date (作出决定之日起7个工作日内). */
export const REPORTING_DEADLINE_WORKDAYS = 7;

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

// ---------------------------------------------------------------------------------------------
// Day numbers: days since 1970-01-01, as integers. Civil-date conversions are Howard Hinnant's
// days_from_civil / civil_from_days (proleptic Gregorian), which avoid Date and its 0–99 year quirk.
// ---------------------------------------------------------------------------------------------

function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Days since 1970-01-01 → [year, month, day] by integer arithmetic (Hinnant's civil_from_days). */
export function civilFromDays(day: number): [number, number, number] {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

function yearOf(day: number): number {
  return civilFromDays(day)[0];
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** The value of `len` ASCII digits of s from `at`, or -1 if one of them is not a digit. */
function digits(s: string, at: number, len: number): number {
  let n = 0;
  for (let i = at; i < at + len; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

function parseDay(s: string): number {
  if (s.length === 10 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45) {
    const y = digits(s, 0, 4);
    const m = digits(s, 5, 2);
    const d = digits(s, 8, 2);
    if (y >= 0 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m)) return daysFromCivil(y, m, d);
  }
  throw new RangeError(`日期格式错误：${JSON.stringify(s)}，应为 YYYY-MM-DD 形式的有效日期`);
}

/** Day number of a calendar date (see the module comment for how strings and Dates are read). */
function toDay(date: CalendarDate): number {
  if (typeof date === 'string') return parseDay(date);
  const t = date.getTime();
  if (Number.isNaN(t)) throw new RangeError('日期无效（Invalid Date）');
  return Math.floor((t + SHANGHAI_OFFSET_MS) / DAY_MS);
}

function formatDay(day: number): string {
  const [y, m, d] = civilFromDays(day);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** The Asia/Shanghai calendar day of a date, as 'YYYY-MM-DD' (a valid string is returned as it is). */
export function calendarDay(date: CalendarDate): string {
  return formatDay(toDay(date));
}

/** 0 = Sunday … 6 = Saturday. Day 0, 1970-01-01, was a Thursday. */
function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/**
 * A running count of Monday–Friday days, for any integer day: weekdaysTo(b) - weekdaysTo(a) is the number of
 * Monday–Friday days in (a, b]. Counted in whole weeks from Monday 1970-01-05 (day 4).
 */
function weekdaysTo(day: number): number {
  const k = day - 4;
  const weeks = Math.floor(k / 7);
  return weeks * 5 + Math.min(k - weeks * 7 + 1, 5);
}

// ---------------------------------------------------------------------------------------------

export class WorkdayCalendar {
  /** First day of the first covered year; with #adjust, the index over the covered span. */
  readonly #start: number;
  /** #adjust[i] = Σ over days start..start+i of (is working day − is Monday–Friday): the holidays' correction. */
  readonly #adjust: Int32Array;
  /** The correction for every day after the covered span. */
  readonly #adjustAfter: number;
  readonly #years: ReadonlySet<number>;

  /**
   * @param holidays  the national schedule, 'YYYY-MM-DD' → 'off' | 'work' (default HOLIDAYS, 2016–2026)
   * @param overrides entries that replace or extend it, e.g. the admin table's 2027+ schedule or a local
   *                  correction; an override wins over the same date in `holidays`. Setting a weekday to 'work'
   *                  or a weekend day to 'off' restores the ordinary week for that date.
   * A year counts as known (knows(), coverage()) as soon as either map has an entry in it, so a new year's
   * schedule should be entered whole. Throws a RangeError on a malformed date and a TypeError on a value that
   * is neither 'off' nor 'work'.
   */
  constructor(holidays: HolidayMap = HOLIDAYS, overrides: HolidayMap = {}) {
    const kinds = new Map<number, DayKind>();
    for (const map of [holidays, overrides]) {
      for (const [key, kind] of Object.entries(map)) {
        if (kind !== 'off' && kind !== 'work') {
          throw new TypeError(`节假日数据错误：${key} 的取值 ${JSON.stringify(kind)} 应为 'off' 或 'work'`);
        }
        kinds.set(parseDay(key), kind);
      }
    }
    const years = new Set<number>();
    for (const day of kinds.keys()) years.add(yearOf(day));
    this.#years = years;

    if (years.size === 0) {
      this.#start = 0;
      this.#adjust = new Int32Array(0);
      this.#adjustAfter = 0;
      return;
    }
    const start = daysFromCivil(Math.min(...years), 1, 1);
    const end = daysFromCivil(Math.max(...years), 12, 31);
    const adjust = new Int32Array(end - start + 1);
    let running = 0;
    for (let day = start; day <= end; day++) {
      const kind = kinds.get(day);
      if (kind !== undefined) {
        const weekday = weekdayOf(day);
        const ordinary = weekday !== 0 && weekday !== 6;
        running += (kind === 'work' ? 1 : 0) - (ordinary ? 1 : 0);
      }
      adjust[day - start] = running;
    }
    this.#start = start;
    this.#adjust = adjust;
    this.#adjustAfter = running;
  }

  /**
   * A running count of working days: #count(b) - #count(a) is the number of working days in (a, b].
   * Before the covered span the holiday correction is 0, after it the span's total.
   */
  #count(day: number): number {
    const i = day - this.#start;
    if (i < 0) return weekdaysTo(day);
    if (i >= this.#adjust.length) return weekdaysTo(day) + this.#adjustAfter;
    return weekdaysTo(day) + (this.#adjust[i] ?? 0);
  }

  /** Whether the date is a working day (a 调休 Saturday or Sunday is; a holiday on a weekday is not). */
  isWorkday(date: CalendarDate): boolean {
    const day = toDay(date);
    return this.#count(day) - this.#count(day - 1) === 1;
  }

  /**
   * The number of working days after `from`, up to and including `to`: a report on the next working day
   * is 1, on the same day 0, and on a day off right after `from` also 0 (no working day has passed).
   * If `to` is before `from` the result is negative, minus the working days after `to` up to and including
   * `from`, so that workingDaysBetween(a, b) === -workingDaysBetween(b, a).
   */
  workingDaysBetween(from: CalendarDate, to: CalendarDate): number {
    return this.#count(toDay(to)) - this.#count(toDay(from));
  }

  /**
   * The date n working days after `from`, as 'YYYY-MM-DD': the first day d with workingDaysBetween(from, d)
   * === n, which for n ≥ 1 is a working day. n = 0 gives `from` itself (a working day or not).
   * n must be a non-negative integer (RangeError otherwise).
   */
  addWorkingDays(from: CalendarDate, n: number): string {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`工作日数应为非负整数，收到 ${n}`);
    const start = toDay(from);
    if (n === 0) return formatDay(start);
    const target = this.#count(start) + n;
    // A day adds at most one working day, so start + n - 1 is still short of the target.
    let lo = start + n - 1;
    let hi = start + n;
    for (let step = 1; this.#count(hi) < target; step *= 2) {
      lo = hi;
      hi += step;
    }
    // #count(lo) < target <= #count(hi): find the first day that reaches it.
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (this.#count(mid) < target) lo = mid;
      else hi = mid;
    }
    return formatDay(hi);
  }

  /**
   * The span of years with data, 'YYYY-01-01' to 'YYYY-12-31', or null for a calendar without any entry.
   * If the overrides skip a year (2028 entered before 2027), the span includes the gap: use knows() to ask
   * about a particular date.
   */
  coverage(): { from: string; to: string } | null {
    if (this.#years.size === 0) return null;
    const last = this.#start + this.#adjust.length - 1;
    return { from: formatDay(this.#start), to: formatDay(last) };
  }

  /** Whether the date's year has holiday data; false means isWorkday() etc. fell back to Monday–Friday. */
  knows(date: CalendarDate): boolean {
    return this.#years.has(yearOf(toDay(date)));
  }
}

/**
 * Whether a 双公示 record was reported in time: at most REPORTING_DEADLINE_WORKDAYS working days after the
 * decision date (the decision day itself does not count). reportedAt is usually a timestamp and is taken as
 * its Asia/Shanghai calendar day, so a report at any time on the 7th working day, or on the days off right
 * after it, is on time, and one on the 8th working day is late. A report dated before the decision (a data
 * error) is not late and returns true; data-quality checks should flag it separately.
 */
export function isOnTime(decisionDate: CalendarDate, reportedAt: CalendarDate, calendar: WorkdayCalendar): boolean {
  return calendar.workingDaysBetween(decisionDate, reportedAt) <= REPORTING_DEADLINE_WORKDAYS;
}
