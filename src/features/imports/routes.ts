import { rm } from 'node:fs/promises';
import { Router, type RequestHandler } from 'express';
import multer from 'multer';
import { z } from 'zod';
import type { Services } from '../../services.js';
import { ACCESS, adminRoute, requireRole, requireSignedIn } from '../../platform/access.js';
import { ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { pageQuery, parseQuery, pathId, queryText } from '../../platform/params.js';
import { paginate } from '../../platform/pagination.js';
import { canSeeDepartment } from '../../platform/access.js';
import { IMPORT_LIMITS, ImportFileError } from './parse.js';
import { templateCsv, templateXlsx } from './template.js';
import { IMPORT_KIND_LABELS, IMPORT_KIND_PATHS, IMPORT_KINDS, type ImportKind } from './kinds.js';
import { COMMITMENT_MAX_ROWS } from './service.js';
import { incomingDir, privateDiskStorage } from '../../platform/uploads.js';
import { progressOf } from './progress.js';

const PAGE_SIZE = 30;

/**
 * Multipart parsing for the upload, mounted before the CSRF check (which needs the parsed `_csrf` field) but
 * after sign-in and role checks, so nobody without the right can make the server store a file.
 */
export function uploadMiddleware(uploadDir: string): RequestHandler[] {
  // The file waits there for its job (which removes it); the hourly sweep removes what an interrupted one left.
  const upload = multer({ storage: privateDiskStorage(incomingDir(uploadDir)), limits: { fileSize: IMPORT_LIMITS.maxBytes, files: 1, fields: 10 } }).single(
    'file',
  );
  const handle: RequestHandler = (req, res, next) => {
    // A file nobody took over (bad form, CSRF failure…) is deleted when the response ends.
    res.on('close', () => {
      if (req.file && !res.locals.uploadTaken) void rm(req.file.path, { force: true });
    });
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE') {
        req.uploadError = `文件超过 ${Math.round(IMPORT_LIMITS.maxBytes / 1024 / 1024)} MB 的上限，请拆分后分批导入`;
        return next();
      }
      next(err);
    });
  };
  return [requireSignedIn, requireRole(ACCESS['POST /admin/imports']!), handle];
}

const kindSchema = z.enum(IMPORT_KINDS, { error: '请选择数据类别' });
const listQuery = {
  page: pageQuery(PAGE_SIZE, 'admin'),
};

export function importRoutes(deps: Services): Router {
  const router = Router();
  const kindOptions = IMPORT_KINDS.map((value) => ({ value, text: IMPORT_KIND_LABELS[value] }));

  adminRoute(router, '/admin', 'GET', '/imports', async (req, res) => {
    const parsed = parseQuery(req, listQuery, { form: ['page'] });
    if (!parsed.ok) {
      return res.status(400).render('imports/list.njk', {
        title: '错误：批量导入记录',
        nav: 'imports',
        errors: parsed.errors,
        rows: [],
        canImport: req.user!.role === 'clerk',
      });
    }
    const page = parsed.data.page ?? 1;
    const { rows, total } = await deps.importRepo.page(req.user!, page, PAGE_SIZE);
    res.render('imports/list.njk', {
      title: '批量导入记录',
      nav: 'imports',
      rows: rows.map((r) => ({ ...r, kindLabel: IMPORT_KIND_LABELS[r.kind as ImportKind] ?? r.kind })),
      canImport: req.user!.role === 'clerk',
      pagination: paginate({ page, pageSize: PAGE_SIZE, total, basePath: '/admin/imports', query: {} }),
    });
  });

  const renderNew = (
    res: import('express').Response,
    values: Record<string, string>,
    errors?: { fields: Record<string, string>; list: { href: string; text: string }[] },
    status = 200,
  ) =>
    res.status(status).render('imports/new.njk', {
      title: `${errors ? '错误：' : ''}批量导入`,
      nav: 'imports',
      values,
      errors,
      kindOptions,
      maxMb: Math.round(IMPORT_LIMITS.maxBytes / 1024 / 1024),
      maxRows: IMPORT_LIMITS.maxRows,
      commitmentMaxRows: COMMITMENT_MAX_ROWS,
    });

  adminRoute(router, '/admin', 'GET', '/imports/new', (req, res) => renderNew(res, { kind: parseQuery(req, { kind: queryText(40) }).kind ?? 'penalty' }));

  adminRoute(router, '/admin', 'POST', '/imports', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = { kind: typeof body.kind === 'string' ? body.kind : '' };
    const kind = kindSchema.safeParse(body.kind);
    const fields: Record<string, string> = {};
    if (!kind.success) fields.kind = '请选择数据类别（行政许可、行政处罚或信用承诺）';
    if (req.uploadError) fields.file = req.uploadError;
    else if (!req.file) fields.file = '请选择要导入的文件（CSV 或 XLSX）';
    if (Object.keys(fields).length || !kind.success || !req.file) {
      return renderNew(res, values, { fields, list: Object.entries(fields).map(([k, text]) => ({ href: `#${k}`, text })) }, 400);
    }
    // multer stores the name as latin1; browsers send UTF-8.
    const originalName = Buffer.from(req.file.originalname, 'latin1').toString('utf8');
    try {
      res.locals.uploadTaken = true;
      const { id } = await deps.imports.start(kind.data, { path: req.file.path, originalName, size: req.file.size }, req.user!, req.ip ?? null);
      res.redirect(303, `/admin/imports/${id}`);
    } catch (err) {
      if (err instanceof ImportFileError) return renderNew(res, values, { fields: { file: err.message }, list: [{ href: '#file', text: err.message }] }, 400);
      throw err;
    }
  });

  adminRoute(router, '/admin', 'GET', '/imports/templates/:file', async (req, res) => {
    const m = /^(permit|penalty|commitment)\.(csv|xlsx)$/.exec(String(req.params.file));
    if (!m) throw new NotFoundError('模板不存在');
    const kind = m[1] as ImportKind;
    const name = `${IMPORT_KIND_LABELS[kind]}信息导入模板${kind === 'commitment' ? '' : '（2019版）'}.${m[2]}`;
    res.attachment(name);
    if (m[2] === 'csv') res.type('text/csv; charset=utf-8').send(templateCsv(kind));
    else res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await templateXlsx(kind));
  });

  adminRoute(router, '/admin', 'GET', '/imports/:id', async (req, res) => {
    const id = pathId(req, 'id', '导入记录不存在');
    const imp = await deps.importRepo.byId(id);
    if (!imp) throw new NotFoundError('导入记录不存在');
    if (!canSeeDepartment(req.user!, imp.departmentId)) throw new ForbiddenError('只能查看本部门的导入记录');
    res.render('imports/show.njk', {
      title: imp.status === 'failed' ? '错误：导入未完成' : '导入结果',
      nav: 'imports',
      imp,
      kindLabel: IMPORT_KIND_LABELS[imp.kind as ImportKind] ?? imp.kind,
      errors: (imp.errors as { row: number; column: string; message: string }[] | null) ?? [],
      running: imp.status === 'running' || imp.status === 'queued',
      progress: progressOf(imp),
      recordsPath: IMPORT_KIND_PATHS[imp.kind as ImportKind] ?? '/admin',
      tiers: imp.kind === 'penalty' && imp.status === 'succeeded' ? await deps.importRepo.penaltyTiers(id) : [],
      revoked: (imp.kind === 'penalty' || imp.kind === 'permit') && imp.status === 'succeeded' ? await deps.importRepo.revokedBy(imp.kind, id) : 0,
    });
  });

  return router;
}
