import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { adminRoute } from '../../platform/access.js';
import { parseForm } from '../../platform/forms.js';
import { KIND_LABELS } from '../../domain/publicity/fields.js';
import { parseDate } from '../../domain/dates.js';

const exportSchema = z.object({
  kind: z.enum(['permit', 'penalty'], { error: '请选择数据类别' }),
  since: z
    .string()
    .trim()
    .min(1, '请填写起始日期')
    .refine((v) => parseDate(v) !== null, '起始日期不是有效日期，应为 YYYY-MM-DD'),
  format: z.enum(['csv', 'xlsx'], { error: '请选择文件格式' }),
});

export function exportRoutes(deps: AppDeps): Router {
  const router = Router();
  const render = (res: import('express').Response, values: Record<string, string>, errors?: unknown, status = 200) =>
    res.status(status).render('exports/new.njk', { title: `${errors ? '错误：' : ''}数据导出`, nav: 'exports', values, errors });

  adminRoute(router, '/admin', 'GET', '/exports', (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    if (q.kind === undefined) return render(res, { kind: 'penalty', since: '', format: 'csv' });
    const values = { kind: q.kind ?? '', since: q.since ?? '', format: q.format ?? '' };
    const parsed = parseForm(exportSchema, values);
    if (!parsed.ok) return render(res, values, parsed.errors, 400);
    const { kind, format } = parsed.data;
    const since = parseDate(parsed.data.since)!;
    // Beijing midnight of the chosen day.
    const sinceAt = new Date(`${since}T00:00:00+08:00`);
    res.attachment(`${KIND_LABELS[kind]}_${since.replace(/-/g, '')}起更新.${format}`);
    res.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const count = format === 'csv' ? deps.exports.csv(kind, sinceAt, res) : deps.exports.xlsx(kind, sinceAt, res);
    return count.then((n) => deps.audit.byRequest(req, { action: 'export.run', targetType: kind, detail: { since, format, rows: n } }));
  });
  return router;
}
