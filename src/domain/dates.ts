/**
 * Calendar days as the portal keeps them (docs/dates.md): a day is a 'YYYY-MM-DD' string of the Beijing calendar
 * (UTC+8 all year, no daylight saving since 1991), whatever the server's time zone. A PostgreSQL DATE column is
 * handed over by Prisma as that day's UTC midnight, so `dateColumn()` and `isoDay()` convert between the two without
 * any time-zone arithmetic; only an instant (a timestamp, "now") needs `beijingToday()`.
 *
 * Working days (the State Council schedule and 调休) are in workdays.ts, which reads days the same way.
 */

export const DAY_MS = 86_400_000;
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** The Beijing calendar day an instant falls on (today by default). */
export function beijingToday(now: Date = new Date()): string {
  return new Date(now.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** The value a DATE column takes for a day. */
export function dateColumn(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

/** The day a DATE column value stands for ('' for none); a string is cut to its first ten characters. */
export function isoDay(value: Date | string | null | undefined): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return value ? String(value).slice(0, 10) : '';
}

/** Days since 1970-01-01 of a day. */
export function epochDay(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / DAY_MS;
}

/** The day `days` days after `day` (before, when negative). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The same day `months` calendar months later (earlier when negative), kept within the target month's length. */
export function addMonths(day: string, months: number): string {
  // Arithmetic rather than three Date objects: seed:scale calls this several times per generated penalty, where
  // the Date version was the largest single cost (docs/performance.md#loading-the-scale-data).
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const index = y * 12 + m - 1 + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const lastDay = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

/** 'YYYYMMDD', as case and report numbers carry a day. */
export function compactDay(day: string): string {
  return day.replaceAll('-', '');
}

const DATE_RE = /^(\d{4})[/\-.年]?(\d{1,2})[/\-.月]?(\d{1,2})日?$/;

/** National template dates are YYYY/MM/DD; YYYY-MM-DD, YYYYMMDD and 2024年3月5日 are accepted too. Returns YYYY-MM-DD, or null when it is not a real calendar day. */
export function parseDate(input: string): string | null {
  const m = DATE_RE.exec(input.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}
