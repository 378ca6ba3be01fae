import { Router } from 'express';
import { parseQuery, queryText } from '../../platform/params.js';
import type { Services } from '../../services.js';
import { adminRoute } from '../../platform/access.js';
import { addDays, beijingToday, parseDate } from '../../domain/dates.js';
import { OBJECTION_STATUS_LABELS } from '../cases/objection/definition.js';
import { REPAIR_STATUS_LABELS } from '../cases/repair/definition.js';
import type { StatusCount } from './repository.js';
import { NotFoundError } from '../../platform/errors.js';
import { csvLine } from '../../platform/csv-cell.js';
import { barChartSvg } from './charts.js';
import { statisticsTables, TABLE_KEYS, type PublicStatistics } from './service.js';

/** The charts of the public page: which table each draws and how. */
function charts(s: PublicStatistics) {
  const TOP = 20;
  return {
    monthly: barChartSvg({
      label: '各月归集的行政许可、行政处罚信息柱状图',
      categories: s.monthly.map((m) => m.month),
      series: [
        { name: '行政许可', data: s.monthly.map((m) => m.permits) },
        { name: '行政处罚', data: s.monthly.map((m) => m.penalties) },
      ],
    }),
    departments: barChartSvg({
      label: `报送信息最多的 ${Math.min(TOP, s.departments.length)} 个部门条形图`,
      categories: s.departments.slice(0, TOP).map((d) => d.name),
      series: [
        { name: '行政许可', data: s.departments.slice(0, TOP).map((d) => d.permits) },
        { name: '行政处罚', data: s.departments.slice(0, TOP).map((d) => d.penalties) },
      ],
      horizontal: true,
    }),
    counties: barChartSvg({
      label: '各县（市、区）行政许可、行政处罚信息条形图',
      categories: s.counties.map((d) => d.name),
      series: [
        { name: '行政许可', data: s.counties.map((d) => d.permits) },
        { name: '行政处罚', data: s.counties.map((d) => d.penalties) },
      ],
      horizontal: true,
    }),
    timeliness: barChartSvg({
      label: `按时报送率前 ${Math.min(TOP, s.timeliness.length)} 名部门条形图`,
      categories: s.timeliness.slice(0, TOP).map((t) => t.name),
      series: [{ name: '按时报送率', data: s.timeliness.slice(0, TOP).map((t) => t.rate) }],
      horizontal: true,
      percent: true,
    }),
    lists: barChartSvg({
      label: '各期红黑榜列入主体数柱状图',
      categories: s.lists.map((l) => l.title),
      series: [
        { name: '红名单', data: s.lists.map((l) => l.red) },
        { name: '黑名单', data: s.lists.map((l) => l.black) },
      ],
    }),
  };
}

/** The public 信用统计 page and its CSV downloads. */
export function publicStatisticsRoutes(deps: Services): Router {
  const router = Router();
  router.get('/statistics', async (_req, res) => {
    const s = await deps.publicStatistics.get();
    res.render('statistics/public.njk', { title: '信用统计', nav: 'statistics', s, tables: statisticsTables(s), charts: charts(s), keys: TABLE_KEYS });
  });
  router.get('/statistics/:file', async (req, res) => {
    const m = /^([a-z]+)\.csv$/.exec(String(req.params.file));
    const key = TABLE_KEYS.find((k) => k === m?.[1]);
    if (!key) throw new NotFoundError('没有这个统计表');
    const t = statisticsTables(await deps.publicStatistics.get())[key];
    // With a byte-order mark: Excel, which most readers open it in, otherwise takes UTF-8 for GBK.
    const body = '\ufeff' + csvLine(t.head) + t.rows.map((r) => csvLine(r)).join('');
    res
      .type('text/csv; charset=utf-8')
      .attachment(`${t.title.replace(/[（）\s]/g, '')}.csv`)
      .send(body);
  });
  return router;
}

/** 信用报告使用量 and other platform statistics for the credit office. */
export function statisticsRoutes(deps: Services): Router {
  const router = Router();
  adminRoute(router, '/admin', 'GET', '/statistics', async (req, res) => {
    const today = beijingToday();
    const q = parseQuery(req, { from: queryText(40), to: queryText(40) });
    const from = q.from ? parseDate(q.from) : addDays(today, -29);
    const to = q.to ? parseDate(q.to) : today;
    const values = { from: q.from ?? from ?? '', to: q.to ?? to ?? '' };
    let usage;
    let error: string | null = null;
    if (!from || !to) error = '日期格式应为 YYYY-MM-DD';
    else {
      try {
        usage = await deps.reports.usage({ from, to });
      } catch (err) {
        if (!(err instanceof RangeError)) throw err;
        error = err.message;
      }
    }
    const range = from && to ? { gte: new Date(`${from}T00:00:00+08:00`), lt: new Date(Date.parse(`${to}T00:00:00+08:00`) + 86_400_000) } : undefined;
    const [counts, timeliness, checks, objections, repairs] = await Promise.all([
      deps.stats.counts(),
      deps.timeliness.summary(),
      range ? deps.statistics.creditChecks(range) : null,
      range ? deps.statistics.objectionsByStatus(range) : [],
      range ? deps.statistics.repairsByStatus(range) : [],
    ]);
    // Cases filed in the period, by where they stand now.
    const byStatus = <S extends string>(rows: StatusCount<S>[], labels: Record<S, string>) => ({
      total: rows.reduce((n, r) => n + r.count, 0),
      parts: rows.map((r) => `${labels[r.status]} ${r.count}`).join('，'),
    });
    res.status(error ? 400 : 200).render('statistics/index.njk', {
      title: `${error ? '错误：' : ''}统计`,
      nav: 'statistics',
      values,
      usage,
      error,
      counts,
      timeliness,
      checks,
      cases: range ? { objections: byStatus(objections, OBJECTION_STATUS_LABELS), repairs: byStatus(repairs, REPAIR_STATUS_LABELS) } : null,
    });
  });
  return router;
}
