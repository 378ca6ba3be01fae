import { describe, expect, it } from 'vitest';
import { formatSchedule, parseSchedule } from './schedule.js';
import { WorkdayCalendar } from '../../domain/workdays.js';
import { HOLIDAYS } from '../../domain/holidays-cn.js';

describe('holiday schedule entry', () => {
  it('reads the ways the office writes dates and ranges', () => {
    const r = parseSchedule(2027, '2027-01-01\n2027/2/6~2027/2/12，2027年4月5日', '2027-02-14 2/20');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect([...r.days].filter(([, k]) => k === 'off').map(([d]) => d)).toEqual([
      '2027-01-01',
      '2027-02-06',
      '2027-02-07',
      '2027-02-08',
      '2027-02-09',
      '2027-02-10',
      '2027-02-11',
      '2027-02-12',
      '2027-04-05',
    ]);
    expect(r.days.get('2027-02-20')).toBe('work');
    expect(formatSchedule(r.days)).toEqual({ offDays: '2027-01-01\n2027-02-06~2027-02-12\n2027-04-05', workDays: '2027-02-14\n2027-02-20' });
  });

  it('reports every problem at once', () => {
    const r = parseSchedule(2027, '2027-13-01\n2026-12-31\n2027-03-05~2027-03-01', '2027-02-15');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.message)).toEqual([
      '“2027-13-01”不是有效日期，应写作 2027-02-06 或 2027-02-06~2027-02-12',
      '“2027-03-05~2027-03-01”的结束日期早于开始日期',
      '2026-12-31 不在 2027 年内',
      '2027-02-15 是工作日（周一至周五），调休上班日应为周六或周日',
    ]);
  });

  it('round-trips the built-in 2026 schedule through the form and gives the same calendar', () => {
    const y2026 = new Map(Object.entries(HOLIDAYS).filter(([d]) => d.startsWith('2026-')));
    const text = formatSchedule(y2026);
    const r = parseSchedule(2026, text.offDays, text.workDays);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const a = new WorkdayCalendar(HOLIDAYS);
    const b = new WorkdayCalendar({ ...Object.fromEntries(Object.entries(HOLIDAYS).filter(([d]) => !d.startsWith('2026-'))), ...Object.fromEntries(r.days) });
    expect(b.workingDaysBetween('2025-12-31', '2026-12-31')).toBe(a.workingDaysBetween('2025-12-31', '2026-12-31'));
  });
});
