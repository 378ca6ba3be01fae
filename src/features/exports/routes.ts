import { Router } from 'express';
import { parseQuery, pathId, queryText } from '../../platform/params.js';
import { ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { STREAM_MAX_ROWS } from './service.js';
import { z } from 'zod';
import type { Services } from '../../services.js';
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

export function exportRoutes(deps: Services): Router {
  const router = Router();
  const render = (res: import('express').Response, values: Record<string, string>, errors?: unknown, status = 200) =>
    res.status(status).render('exports/new.njk', { title: `${errors ? '错误：' : ''}数据导出`, nav: 'exports', values, errors });

  adminRoute(router, '/admin', 'GET', '/exports', async (req, res) => {
    const q = parseQuery(req, { kind: queryText(40), since: queryText(40), format: queryText(40) });
    if (q.kind === undefined) return render(res, { kind: 'penalty', since: '', format: 'csv' });
    const values = { kind: q.kind ?? '', since: q.since ?? '', format: q.format ?? '' };
    const parsed = parseForm(exportSchema, values);
    if (!parsed.ok) return render(res, values, parsed.errors, 400);
    const { kind, format } = parsed.data;
    const since = parseDate(parsed.data.since)!;
    // Beijing midnight of the chosen day.
    const sinceAt = new Date(`${since}T00:00:00+08:00`);
    const fileName = `${KIND_LABELS[kind]}_${since.replace(/-/g, '')}起更新.${format}`;
    // A large export would hold the request (and a connection) for minutes: it becomes a background job writing a file.
    if ((await deps.exports.count(kind, sinceAt, deps.exports.streamMaxRows + 1)) > deps.exports.streamMaxRows) {
      const id = await deps.exports.requestFile(kind, since, format, fileName, req.user!);
      await deps.audit.byRequest(req, { action: 'export.queue', targetType: 'export_file', targetId: id, detail: { kind, since, format } });
      return res.redirect(303, `/admin/exports/files/${id}`);
    }
    res.attachment(fileName);
    res.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const count = format === 'csv' ? deps.exports.csv(kind, sinceAt, res) : deps.exports.xlsx(kind, sinceAt, res);
    return count.then((n) => deps.audit.byRequest(req, { action: 'export.run', targetType: kind, detail: { since, format, rows: n } }));
  });

  /** Only the user who asked for a file export may see or download it. */
  const ownFile = async (req: import('express').Request) => {
    const id = pathId(req, 'id', '导出文件不存在或已过期');
    const file = await deps.exportRepo.file(id);
    if (!file || file.expiresAt < new Date()) throw new NotFoundError('导出文件不存在或已过期（导出文件保留 24 小时）');
    if (file.userId !== req.user!.id) throw new ForbiddenError('只能下载本人发起的导出文件');
    return file;
  };

  adminRoute(router, '/admin', 'GET', '/exports/files/:id', async (req, res) => {
    const file = await ownFile(req);
    const pending = file.status === 'queued' || file.status === 'running';
    res.render('exports/file.njk', {
      title: file.status === 'failed' ? '错误：导出未完成' : '数据导出',
      nav: 'exports',
      file: { ...file, bytes: file.bytes === null ? null : Number(file.bytes) },
      kindLabel: KIND_LABELS[file.kind as 'permit' | 'penalty'] ?? file.kind,
      pending,
      threshold: STREAM_MAX_ROWS,
    });
  });

  adminRoute(router, '/admin', 'GET', '/exports/files/:id/download', async (req, res) => {
    const file = await ownFile(req);
    if (file.status !== 'done' || !file.path) throw new NotFoundError('导出文件尚未生成完毕');
    await deps.audit.byRequest(req, {
      action: 'export.download',
      targetType: 'export_file',
      targetId: file.id,
      detail: { kind: file.kind, since: file.since, format: file.format, rows: file.rows },
    });
    res.set('Cache-Control', 'no-store');
    res.download(deps.exports.filePath(file.path), file.fileName);
  });
  return router;
}
