import { addMonths, beijingToday } from '../../src/domain/dates.js';

/**
 * Dates for tests, relative to today's Beijing calendar day: a test that writes a fixed date and compares it with
 * data the app computes from today turns red by itself as days pass (or at 16:00 UTC, when Beijing's day changes).
 */

/** The Beijing calendar day `offset` days from today, as YYYY-MM-DD. */
export function day(offset = 0, now = new Date()): string {
  const [y, m, d] = beijingToday(now).split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + offset)).toISOString().slice(0, 10);
}

/** The same day in the national template's YYYY/MM/DD. */
export const slashDay = (offset = 0): string => day(offset).replace(/-/g, '/');

/** `months` calendar months from the Beijing day `offset` days from today, as YYYY-MM-DD. */
export const monthsFrom = (months: number, offset = 0): string => addMonths(day(offset), months);

/** The Beijing year of today. */
export const thisYear = (): number => Number(day().slice(0, 4));
