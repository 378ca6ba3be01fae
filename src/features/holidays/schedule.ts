import type { DayKind } from '../../domain/workdays.js';
import { DAY_MS, dateColumn, epochDay, parseDate } from '../../domain/dates.js';

/**
 * A year's holiday schedule as the State Council publishes it: the days off (放假, often as ranges such as
 * 2027-02-06~2027-02-12 or 2027/2/6-2/12) and the 调休 working days. Typed by the credit office, so the parser
 * accepts the usual ways of writing dates and reports every bad entry at once.
 */

export interface ScheduleProblem {
  field: 'offDays' | 'workDays';
  message: string;
}

const toDay = epochDay;
const fromDay = (d: number) => new Date(d * DAY_MS).toISOString().slice(0, 10);
const weekday = (iso: string) => dateColumn(iso).getUTCDay();

/** 2027-2-6, 2027/02/06, 2027年2月6日 → 2027-02-06; a bare 2/12 takes the year given. */
function normalise(token: string, year: number): string | null {
  const t = token.trim().replace(/年|月/g, '-').replace(/日/g, '').replace(/\//g, '-');
  const full = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  const short = /^(\d{1,2})-(\d{1,2})$/.exec(t);
  const [y, m, d] = full ? [full[1], full[2], full[3]] : short ? [String(year), short[1], short[2]] : [];
  if (!y || !m || !d) return null;
  return parseDate(`${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`);
}

function parseList(text: string, year: number, field: ScheduleProblem['field'], problems: ScheduleProblem[]): string[] {
  const out: string[] = [];
  for (const raw of text
    .split(/[\n,，;；、\s]+/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [a, b, ...rest] = raw.split(/~|～|至|—|–/);
    const range =
      b === undefined && /^\d{4}[-/]\d{1,2}[-/]\d{1,2}-\d{1,2}[-/]\d{1,2}$/.test(raw)
        ? raw.replace(/^(\d{4}[-/]\d{1,2}[-/]\d{1,2})-/, '$1~').split('~')
        : [a, b];
    const from = normalise(range[0] ?? '', year);
    const to = range[1] === undefined ? from : normalise(range[1], year);
    if (rest.length || !from || !to) {
      problems.push({ field, message: `“${raw}”不是有效日期，应写作 ${year}-02-06 或 ${year}-02-06~${year}-02-12` });
      continue;
    }
    if (to < from) {
      problems.push({ field, message: `“${raw}”的结束日期早于开始日期` });
      continue;
    }
    for (let d = toDay(from); d <= toDay(to); d++) out.push(fromDay(d));
  }
  for (const d of out) if (!d.startsWith(`${year}-`)) problems.push({ field, message: `${d} 不在 ${year} 年内` });
  return out;
}

/** The schedule as date → 'off' | 'work' for WorkdayCalendar overrides, or every problem found. */
export function parseSchedule(
  year: number,
  offText: string,
  workText: string,
): { ok: true; days: Map<string, DayKind> } | { ok: false; problems: ScheduleProblem[] } {
  const problems: ScheduleProblem[] = [];
  const off = parseList(offText, year, 'offDays', problems);
  const work = parseList(workText, year, 'workDays', problems);
  if (!off.length && !problems.length) problems.push({ field: 'offDays', message: '请填写放假日期' });
  const days = new Map<string, DayKind>();
  for (const d of off) days.set(d, 'off');
  for (const d of work) {
    if (days.get(d) === 'off') problems.push({ field: 'workDays', message: `${d} 既是放假日又是调休上班日` });
    const w = weekday(d);
    if (w !== 0 && w !== 6) problems.push({ field: 'workDays', message: `${d} 是工作日（周一至周五），调休上班日应为周六或周日` });
    days.set(d, 'work');
  }
  return problems.length ? { ok: false, problems } : { ok: true, days };
}

/** Back to the two text fields, one range per line, for editing a saved year. */
export function formatSchedule(days: ReadonlyMap<string, DayKind>): { offDays: string; workDays: string } {
  const lines = (kind: DayKind) => {
    const sorted = [...days]
      .filter(([, k]) => k === kind)
      .map(([d]) => d)
      .sort();
    const out: string[] = [];
    for (let i = 0; i < sorted.length;) {
      let j = i;
      while (j + 1 < sorted.length && toDay(sorted[j + 1]!) === toDay(sorted[j]!) + 1) j++;
      out.push(i === j ? sorted[i]! : `${sorted[i]}~${sorted[j]}`);
      i = j + 1;
    }
    return out.join('\n');
  };
  return { offDays: lines('off'), workDays: lines('work') };
}
