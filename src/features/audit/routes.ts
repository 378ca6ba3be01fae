import { Router } from 'express';
import { pageQuery, parseQuery } from '../../platform/params.js';
import { z } from 'zod';
import type { Services } from '../../services.js';
import { adminRoute } from '../../platform/access.js';
import { AUDIT_ACTIONS } from '../../platform/audit.js';
import { paginate } from '../../platform/pagination.js';

const PAGE_SIZE = 50;
const ACTION_OPTIONS = [{ value: '', text: '全部操作' }, ...Object.entries(AUDIT_ACTIONS).map(([value, text]) => ({ value, text }))];
const day = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(s)), '不是有效日期');

const filterShape = {
  user: z.string().trim().max(64, '用户名过长').optional(),
  action: z.string().trim().max(64).optional(),
  from: day.optional().or(z.literal('')),
  to: day.optional().or(z.literal('')),
  page: pageQuery(PAGE_SIZE, 'admin'),
};

/** Beijing time: a calendar day starts at 16:00 UTC the day before. */
function beijingMidnight(day: string, addDays = 0): Date {
  const d = new Date(`${day}T00:00:00+08:00`);
  d.setUTCDate(d.getUTCDate() + addDays);
  return d;
}

export function auditRoutes(deps: Services): Router {
  const router = Router();
  adminRoute(router, '/admin', 'GET', '/audit', async (req, res) => {
    // The filter form shows its own errors, with what was typed.
    const parsed = parseQuery(req, filterShape, { form: ['user', 'action', 'from', 'to'] });
    const values = parsed.values;
    if (!parsed.ok) {
      return res
        .status(400)
        .render('admin/audit.njk', { title: '错误：审计日志', values, errors: parsed.errors, actionOptions: ACTION_OPTIONS, rows: [], nav: 'audit' });
    }
    const f = parsed.data;
    const page = f.page ?? 1;
    const { rows, total } = await deps.auditLog.page(
      {
        ...(f.user ? { user: f.user } : {}),
        ...(f.action ? { action: f.action } : {}),
        ...(f.from ? { from: beijingMidnight(f.from) } : {}),
        ...(f.to ? { toExclusive: beijingMidnight(f.to, 1) } : {}),
      },
      page,
      PAGE_SIZE,
    );
    res.render('admin/audit.njk', {
      title: '审计日志',
      values,
      actionOptions: ACTION_OPTIONS,
      rows: rows.map((r) => ({ ...r, actionLabel: AUDIT_ACTIONS[r.action] ?? r.action, detailText: r.detail ? JSON.stringify(r.detail) : '' })),
      pagination: paginate({ page, pageSize: PAGE_SIZE, total, basePath: '/admin/audit', query: values }),
      nav: 'audit',
    });
  });
  return router;
}
