import { Router } from 'express';
import { parseQuery, queryText } from '../../platform/params.js';
import type { Services } from '../../services.js';
import { adminRoute } from '../../platform/access.js';
import { addDays, beijingToday, parseDate } from '../../domain/dates.js';
import { OBJECTION_STATUS_LABELS } from '../cases/objection/definition.js';
import { REPAIR_STATUS_LABELS } from '../cases/repair/definition.js';
import type { StatusCount } from './repository.js';

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
