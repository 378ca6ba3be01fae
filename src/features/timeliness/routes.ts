import { Router } from 'express';
import { parseQuery } from '../../platform/params.js';
import { z } from 'zod';
import type { Services } from '../../services.js';
import { adminRoute } from '../../platform/access.js';
import { beijingToday, isoDay } from '../../domain/dates.js';
import { REVOCATION_WORKDAYS } from '../../domain/objection-deadlines.js';
import { REPORTING_DEADLINE_WORKDAYS } from '../../domain/workdays.js';

const queryShape = {
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM')
    .optional()
    .or(z.literal('')),
  by: z.enum(['department', 'county'], { error: '统计维度只能是部门或县（市、区）' }).optional().or(z.literal('')),
};

function monthRange(month: string): { from: Date; to: Date } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return { from: new Date(Date.UTC(y, m - 1, 1)), to: new Date(Date.UTC(y, m, 1)) };
}

/** The last 24 months, newest first, for the month picker. */
function recentMonths(today: string): { value: string; text: string }[] {
  const [y, m] = today.split('-').map(Number) as [number, number];
  return Array.from({ length: 24 }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 1 - i, 1));
    const value = d.toISOString().slice(0, 7);
    return { value, text: `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月` };
  });
}

export function timelinessRoutes(deps: Services): Router {
  const router = Router();

  // 条例 Art. 42: a revoked decision leaves publication within 1 working day of the update reaching the platform.
  adminRoute(router, '/admin', 'GET', '/revocations', async (req, res) => {
    const user = req.user!;
    const rows = await deps.timeliness.revocations(user.role === 'clerk' ? (user.departmentId ?? -1) : undefined, 500);
    const calendar = deps.publicity.calendar;
    const shown = rows.map((r) => {
      const dueBy = isoDay(r.dueBy);
      const withdrawnOn = r.withdrawnAt ? beijingToday(r.withdrawnAt) : null;
      const late = withdrawnOn ? Math.max(0, calendar.workingDaysBetween(dueBy, withdrawnOn)) : null;
      return {
        ...r,
        href: `/admin/${r.kind === 'permit' ? 'permits' : 'penalties'}/${r.id}`,
        kindLabel: r.kind === 'permit' ? '行政许可' : '行政处罚',
        dueBy,
        verdict: withdrawnOn === null ? '未撤下' : withdrawnOn <= dueBy ? '按时' : `超期 ${Math.max(1, late ?? 1)} 个工作日`,
        onTime: withdrawnOn !== null && withdrawnOn <= dueBy,
      };
    });
    res.render('admin/revocations.njk', {
      title: '撤销撤下情况',
      nav: 'revocations',
      rows: shown,
      onTime: shown.filter((r) => r.onTime).length,
      late: shown.filter((r) => !r.onTime).length,
      deadline: REVOCATION_WORKDAYS,
    });
  });

  adminRoute(router, '/admin', 'GET', '/timeliness', async (req, res) => {
    const parsed = parseQuery(req, queryShape, { form: ['month', 'by'] });
    const today = beijingToday();
    if (!parsed.ok) {
      // The form again with its error summary and what was typed; no figures for a month that cannot be read.
      return res.status(400).render('admin/timeliness.njk', {
        title: '错误：报送及时率',
        nav: 'timeliness',
        errors: parsed.errors,
        month: parsed.values.month,
        by: parsed.values.by,
        months: recentMonths(today),
        rows: [],
        late: [],
        overall: null,
        deadline: REPORTING_DEADLINE_WORKDAYS,
      });
    }
    const month = parsed.data.month || today.slice(0, 7);
    const by = parsed.data.by || 'department';
    const { from, to } = monthRange(month);
    const [rows, late] = await Promise.all([deps.timeliness.byGroup(by, from, to), deps.timeliness.lateRecords(from, to, 200)]);
    const total = rows.reduce((a, r) => a + r.total, 0);
    const onTime = rows.reduce((a, r) => a + r.onTime, 0);
    const judged = rows.reduce((a, r) => a + r.total - r.unknown, 0);
    res.render('admin/timeliness.njk', {
      title: '报送及时率',
      nav: 'timeliness',
      month,
      by,
      months: recentMonths(today),
      rows,
      late: late.map((r) => ({
        ...r,
        href: `/admin/${r.kind === 'permit' ? 'permits' : 'penalties'}/${r.id}`,
        kindLabel: r.kind === 'permit' ? '行政许可' : '行政处罚',
      })),
      overall: { total, onTime, rate: judged > 0 ? onTime / judged : null },
      deadline: REPORTING_DEADLINE_WORKDAYS,
    });
  });
  return router;
}
