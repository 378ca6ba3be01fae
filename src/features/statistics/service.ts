import { addMonths, beijingToday, dateColumn } from '../../domain/dates.js';
import type { TimelinessRepository } from '../timeliness/repository.js';
import type { StatisticsRepository, Collected, GroupCount, IssueListCount, MonthCount } from './repository.js';

/** One table of the public statistics: what the chart draws, the screen-reader table shows and the CSV holds. */
export interface StatTable {
  key: TableKey;
  title: string;
  head: string[];
  rows: string[][];
  /** Links of the first cell (county pages), by row. */
  links?: (string | null)[];
}

export const TABLE_KEYS = ['monthly', 'departments', 'counties', 'timeliness', 'lists'] as const;
export type TableKey = (typeof TABLE_KEYS)[number];

export interface PublicStatistics {
  /** The first day counted (Beijing), the first of the month eleven months back. */
  from: string;
  to: string;
  monthly: MonthCount[];
  departments: GroupCount[];
  counties: GroupCount[];
  timeliness: { name: string; judged: number; onTime: number; rate: number }[];
  lists: IssueListCount[];
  collected: Collected;
  computedAt: Date;
}

const TTL_MS = 10 * 60_000;

/**
 * The public 信用统计 (row 22 of the plan): records per month, department and county over the last 12 months,
 * 及时率 by department, list entries per issue and what has been collected. Aggregates over every record are
 * too dear per request at province scale, so one computation serves everyone for ten minutes.
 */
export class PublicStatisticsService {
  private cached: { at: number; day: string; value: Promise<PublicStatistics> } | null = null;

  constructor(
    private readonly repo: StatisticsRepository,
    private readonly timeliness: TimelinessRepository,
  ) {}

  get(): Promise<PublicStatistics> {
    const today = beijingToday();
    if (this.cached && this.cached.day === today && Date.now() - this.cached.at < TTL_MS) return this.cached.value;
    const value = this.compute(today);
    this.cached = { at: Date.now(), day: today, value };
    value.catch(() => (this.cached = null));
    return value;
  }

  private async compute(today: string): Promise<PublicStatistics> {
    const from = `${addMonths(today, -11).slice(0, 7)}-01`;
    const [monthly, departments, counties, timeliness, lists, collected] = await Promise.all([
      this.repo.recordsByMonth(from),
      this.repo.recordsBy('department', from),
      this.repo.recordsBy('county', from),
      this.timeliness.byGroup('department', dateColumn(from), new Date(dateColumn(today).getTime() + 86_400_000)),
      this.repo.listsByIssue(8),
      this.repo.collected(),
    ]);
    // Every month of the window, empty ones included, so the chart's axis is the calendar.
    const byMonth = new Map(monthly.map((m) => [m.month, m]));
    const months: MonthCount[] = [];
    for (let i = 0; i < 12; i++) {
      const month = addMonths(from, i).slice(0, 7);
      months.push(byMonth.get(month) ?? { month, permits: 0, penalties: 0 });
    }
    const ranked = timeliness
      .filter((t) => t.rate !== null && t.id !== null)
      .map((t) => ({ name: t.name, judged: t.total - t.unknown, onTime: t.onTime, rate: t.rate! }))
      .sort((a, b) => b.rate - a.rate || b.judged - a.judged || a.name.localeCompare(b.name, 'zh-CN'));
    return { from, to: today, monthly: months, departments, counties, timeliness: ranked, lists, collected, computedAt: new Date() };
  }
}

const pct = (r: number) => `${(Math.round(r * 1000) / 10).toFixed(1)}%`;

/** The tables of the page and of the CSV downloads, in one place so both always agree. */
export function statisticsTables(s: PublicStatistics): Record<TableKey, StatTable> {
  const group = (g: GroupCount) => [g.name, String(g.permits), String(g.penalties), String(g.permits + g.penalties)];
  return {
    monthly: {
      key: 'monthly',
      title: '各月归集的行政许可、行政处罚信息（按决定日期）',
      head: ['月份', '行政许可（条）', '行政处罚（条）', '合计（条）'],
      rows: s.monthly.map((m) => [m.month, String(m.permits), String(m.penalties), String(m.permits + m.penalties)]),
    },
    departments: {
      key: 'departments',
      title: '各部门报送的行政许可、行政处罚信息（近 12 个月）',
      head: ['报送部门', '行政许可（条）', '行政处罚（条）', '合计（条）'],
      rows: s.departments.map(group),
    },
    counties: {
      key: 'counties',
      title: '各县（市、区）的行政许可、行政处罚信息（近 12 个月）',
      head: ['县（市、区）', '行政许可（条）', '行政处罚（条）', '合计（条）'],
      rows: s.counties.map(group),
      links: s.counties.map((c) => (c.code ? `/counties/${c.code}` : null)),
    },
    timeliness: {
      key: 'timeliness',
      title: '各部门 7 个工作日内按时报送率排名（近 12 个月）',
      head: ['报送部门', '名次', '可判定（条）', '按时（条）', '按时报送率'],
      rows: s.timeliness.map((t, i) => [t.name, String(i + 1), String(t.judged), String(t.onTime), pct(t.rate)]),
    },
    lists: {
      key: 'lists',
      title: '各期红黑榜列入主体数',
      head: ['期次', '发布日期', '红名单（户）', '黑名单（户）'],
      rows: s.lists.map((l) => [l.title, beijingToday(l.publishedAt), String(l.red), String(l.black)]),
    },
  };
}
