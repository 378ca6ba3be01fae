import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import { z } from 'zod';
import type { Services } from '../../services.js';
import { ACCESS, adminRoute, canSeeDepartment, departmentScope, requireRole, requireSignedIn } from '../../platform/access.js';
import { BadRequestError, ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { pageQuery, parseQuery, pathId, queryId } from '../../platform/params.js';
import { paginate } from '../../platform/pagination.js';
import { textErrors } from '../../platform/forms.js';
import { ImportFileError } from '../imports/parse.js';
import { MAX_WATCH_CODES, codesFromFile, codesFromText, type CodeLine } from './codes.js';
import { CHANGE_TYPES } from './snapshot.js';

const PAGE_SIZE = 50;
/** A code-list file: 10,000 codes of 18 characters fit well within this, in CSV or XLSX. */
const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** The multipart parsing of a code-list upload, after sign-in and role, before the CSRF check reads its token. */
export function watchListUpload(path: 'POST /admin/watch-lists' | 'POST /admin/watch-lists/:id/codes'): RequestHandler[] {
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 10 } }).single('file');
  const handle: RequestHandler = (req, res, next) =>
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError) {
        req.uploadError = `代码清单文件不超过 ${MAX_FILE_BYTES / 1024 / 1024} MB，且只能上传一个文件`;
        return next();
      }
      next(err);
    });
  return [requireSignedIn, requireRole(ACCESS[path]!), handle];
}

/** The unread count beside 「关注动态」 in the back-office navigation, for the roles that have an inbox. */
export function watchUnreadCount(deps: Services): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const user = req.user;
    if (!user || req.method !== 'GET' || (user.role !== 'clerk' && user.role !== 'reviewer')) return next();
    deps.watchRepo
      .unreadCount(departmentScope(user))
      .then((n) => {
        res.locals.watchUnread = n;
        next();
      })
      .catch(next);
  };
}

const nameSchema = z.string().trim().min(1, '请填写名单名称').max(100, '名单名称最多 100 个字');

const noticeQuery = {
  page: pageQuery(PAGE_SIZE, 'admin'),
  list: queryId('名单'),
  type: z.enum(['', ...CHANGE_TYPES], { error: '变化类型无效' }).optional(),
  unread: z.enum(['', '1'], { error: '参数无效' }).optional(),
};

/** 关注名单 and 「关注动态」 in the back office (issue #17): a department's lists, the credit office sees all. */
export function watchListRoutes(deps: Services): Router {
  const router = Router();

  /** Typed codes and the uploaded file, or the Chinese message of what is wrong with the form itself. */
  const readCodes = async (req: Request): Promise<{ lines: CodeLine[] } | { error: string; field: string }> => {
    const body = (req.body ?? {}) as Record<string, string>;
    if (req.uploadError) return { error: req.uploadError, field: 'file' };
    const typed = textErrors({ codes: body.codes ?? '' });
    if (typed.codes) return { error: `统一社会信用代码${typed.codes}`, field: 'codes' };
    const lines = codesFromText(body.codes ?? '');
    if (req.file) {
      try {
        // Rows of the file are numbered as Excel shows them; typed lines keep their own numbers, so say which is which.
        const fromFile = await codesFromFile({ originalname: Buffer.from(req.file.originalname, 'latin1').toString('utf8'), buffer: req.file.buffer });
        if (lines.length && fromFile.length) {
          return { error: '请只用一种方式提交代码：在文本框中输入，或上传文件', field: 'codes' };
        }
        lines.push(...fromFile);
      } catch (e) {
        if (e instanceof ImportFileError) return { error: e.message, field: 'file' };
        throw e;
      }
    }
    if (!lines.length) return { error: '请输入或上传至少一个统一社会信用代码', field: 'codes' };
    return { lines };
  };

  const scopeOf = (req: Request) => departmentScope(req.user!);

  const renderIndex = async (
    req: Request,
    res: Response,
    extra: { errors?: { fields: Record<string, string>; list: { href: string; text: string }[] }; values?: Record<string, string> } = {},
    status = 200,
  ) => {
    const lists = await deps.watchRepo.lists(scopeOf(req));
    res.status(status).render('watch-lists/index.njk', {
      title: `${extra.errors ? '错误：' : ''}关注名单`,
      nav: 'watch-lists',
      lists,
      values: extra.values ?? {},
      errors: extra.errors,
      maxCodes: MAX_WATCH_CODES,
    });
  };

  const formErrors = (field: string, messages: string[]) => ({
    fields: { [field]: messages[0]! },
    list: messages.map((text) => ({ href: `#${field}`, text })),
  });

  adminRoute(router, '/admin', 'GET', '/watch-lists', (req, res) => renderIndex(req, res));

  adminRoute(router, '/admin', 'POST', '/watch-lists', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, string>;
    const values = { name: String(body.name ?? ''), codes: String(body.codes ?? '') };
    const name = nameSchema.safeParse(body.name);
    if (!name.success) return renderIndex(req, res, { errors: formErrors('name', [name.error.issues[0]!.message]), values }, 400);
    const departmentId = req.user!.departmentId;
    if (departmentId === null) throw new ForbiddenError('没有所属部门的账号不能创建关注名单');
    if (await deps.watchRepo.listByName({ departmentId }, name.data)) {
      return renderIndex(req, res, { errors: formErrors('name', [`本部门已有名为「${name.data}」的关注名单，请换一个名称`]), values }, 400);
    }
    const read = await readCodes(req);
    if ('error' in read) return renderIndex(req, res, { errors: formErrors(read.field, [read.error]), values }, 400);
    const saved = await deps.watch.saveCodes({ departmentId }, name.data, read.lines, { replace: false, createdById: req.user!.id });
    if (!saved.ok) return renderIndex(req, res, { errors: formErrors('codes', saved.messages), values }, 400);
    await deps.audit.byRequest(req, {
      action: 'watchlist.create',
      targetType: 'watchList',
      targetId: saved.id,
      detail: { name: name.data, codes: saved.total },
    });
    req.session.flash = {
      kind: 'success',
      text: `已创建关注名单「${name.data}」，共 ${saved.total} 个代码；系统将在几分钟内建立基线，此后的公示信息变化会出现在「关注动态」中`,
    };
    res.redirect(303, `/admin/watch-lists/${saved.id}`);
  });

  const load = async (req: Request) => {
    const list = await deps.watchRepo.list(pathId(req, 'id', '关注名单不存在'));
    if (!list || list.apiKeyId !== null) throw new NotFoundError('关注名单不存在');
    if (!canSeeDepartment(req.user!, list.departmentId)) throw new ForbiddenError('只能查看本部门的关注名单');
    return list;
  };
  /** Changing a list is for its own department: the credit office reads every list but edits only its own. */
  const loadOwn = async (req: Request) => {
    const list = await load(req);
    if (list.departmentId !== req.user!.departmentId) throw new ForbiddenError('只能修改本部门的关注名单');
    return list;
  };

  const renderShow = async (
    req: Request,
    res: Response,
    extra: { errors?: ReturnType<typeof formErrors>; values?: Record<string, string> } = {},
    status = 200,
  ) => {
    const list = await load(req);
    const { page } = parseQuery(req, { page: pageQuery(PAGE_SIZE, 'admin') });
    const { rows, total } = await deps.watchRepo.items(list.id, PAGE_SIZE, (page - 1) * PAGE_SIZE);
    res.status(status).render('watch-lists/show.njk', {
      title: `${extra.errors ? '错误：' : ''}关注名单：${list.name}`,
      nav: 'watch-lists',
      list,
      rows,
      canEdit: list.departmentId === req.user!.departmentId,
      values: extra.values ?? {},
      errors: extra.errors,
      maxCodes: MAX_WATCH_CODES,
      pagination: paginate({ page, pageSize: PAGE_SIZE, total, basePath: `/admin/watch-lists/${list.id}`, query: {} }),
    });
  };

  adminRoute(router, '/admin', 'GET', '/watch-lists/:id', (req, res) => renderShow(req, res));

  adminRoute(router, '/admin', 'POST', '/watch-lists/:id/codes', async (req, res) => {
    const list = await loadOwn(req);
    const body = (req.body ?? {}) as Record<string, string>;
    const values = { codes: String(body.codes ?? '') };
    const read = await readCodes(req);
    if ('error' in read) return renderShow(req, res, { errors: formErrors(read.field, [read.error]), values }, 400);
    const saved = await deps.watch.saveCodes({ departmentId: list.departmentId! }, list.name, read.lines, { replace: false, createdById: req.user!.id });
    if (!saved.ok) return renderShow(req, res, { errors: formErrors('codes', saved.messages), values }, 400);
    await deps.audit.byRequest(req, {
      action: 'watchlist.add',
      targetType: 'watchList',
      targetId: list.id,
      detail: { added: read.lines.length, total: saved.total },
    });
    req.session.flash = { kind: 'success', text: `已保存，名单现有 ${saved.total} 个代码` };
    res.redirect(303, `/admin/watch-lists/${list.id}`);
  });

  adminRoute(router, '/admin', 'POST', '/watch-lists/:id/codes/remove', async (req, res) => {
    const list = await loadOwn(req);
    const uscc = String((req.body as Record<string, unknown>)?.uscc ?? '').trim();
    if (!/^[0-9A-Z]{18}$/.test(uscc)) throw new BadRequestError('代码无效');
    if (!(await deps.watchRepo.removeCode(list.id, uscc))) throw new NotFoundError('名单中没有该代码');
    await deps.audit.byRequest(req, { action: 'watchlist.remove', targetType: 'watchList', targetId: list.id, detail: { uscc } });
    req.session.flash = { kind: 'success', text: `已从名单移除 ${uscc}` };
    res.redirect(303, `/admin/watch-lists/${list.id}`);
  });

  adminRoute(router, '/admin', 'POST', '/watch-lists/scan', async (req, res) => {
    await deps.watch.requestScan();
    await deps.audit.byRequest(req, { action: 'watchlist.scan', targetType: 'watchList' });
    req.session.flash = { kind: 'success', text: '已开始检查关注主体的公示信息变化，结果稍后出现在「关注动态」中' };
    res.redirect(303, '/admin/watch-notices');
  });

  // --- 「关注动态」 ---

  adminRoute(router, '/admin', 'GET', '/watch-notices', async (req, res) => {
    const parsed = parseQuery(req, noticeQuery, { form: ['list', 'type', 'unread'] });
    const lists = await deps.watchRepo.lists(scopeOf(req));
    const common = {
      nav: 'watch-notices',
      values: parsed.values,
      listOptions: [{ value: '', text: '全部名单' }, ...lists.map((l) => ({ value: String(l.id), text: l.name }))],
      typeOptions: [{ value: '', text: '全部类型' }, ...CHANGE_TYPES.map((t) => ({ value: t, text: t }))],
    };
    if (!parsed.ok) return res.status(400).render('watch-lists/notices.njk', { ...common, title: '错误：关注动态', errors: parsed.errors, rows: [] });
    const { page, list, type, unread } = parsed.data;
    const filter = { ...scopeOf(req), ...(list ? { listId: list } : {}), ...(type ? { type } : {}), ...(unread ? { unread: true } : {}) };
    const [{ rows, total }, unreadTotal] = await Promise.all([
      deps.watchRepo.notices(filter, PAGE_SIZE, (page - 1) * PAGE_SIZE),
      deps.watchRepo.unreadCount(scopeOf(req)),
    ]);
    res.render('watch-lists/notices.njk', {
      ...common,
      title: '关注动态',
      rows,
      unreadTotal,
      pagination: paginate({
        page,
        pageSize: PAGE_SIZE,
        total,
        basePath: '/admin/watch-notices',
        query: { list: list ? String(list) : undefined, type: type || undefined, unread: unread || undefined },
      }),
    });
  });

  adminRoute(router, '/admin', 'GET', '/watch-notices/:id', async (req, res) => {
    const notice = await deps.watchRepo.notice(pathId(req, 'id', '动态不存在'));
    if (!notice || notice.list.apiKeyId !== null) throw new NotFoundError('动态不存在');
    if (!canSeeDepartment(req.user!, notice.list.departmentId)) throw new ForbiddenError('只能查看本部门的关注动态');
    res.render('watch-lists/notice.njk', { title: '关注动态详情', nav: 'watch-notices', notice });
  });

  adminRoute(router, '/admin', 'POST', '/watch-notices/read', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const raw = body.ids === undefined ? [] : Array.isArray(body.ids) ? body.ids : [body.ids];
    const ids = raw.map((v) => Number(v)).filter((n) => Number.isInteger(n) && n > 0 && n <= 2_147_483_647);
    const now = new Date();
    let n: number;
    if (body.all === '1') n = await deps.watchRepo.markAllRead(scopeOf(req), now);
    else if (!ids.length || ids.length > 500) throw new BadRequestError('请选择要标记为已读的动态（一次最多 500 条）');
    else n = await deps.watchRepo.markRead(ids, scopeOf(req), now);
    await deps.audit.byRequest(req, { action: 'watchnotice.read', targetType: 'watchNotice', detail: { count: n, all: body.all === '1' } });
    req.session.flash = { kind: 'success', text: `已将 ${n} 条动态标记为已读` };
    res.redirect(303, '/admin/watch-notices');
  });

  // --- API keys' webhooks: the delivery log (admins, beside the keys) ---

  adminRoute(router, '/admin', 'GET', '/api-keys/:id/deliveries', async (req, res) => {
    const key = await deps.watchRepo.apiKey(pathId(req, 'id', '密钥不存在'));
    if (!key) throw new NotFoundError('密钥不存在');
    const { page } = parseQuery(req, { page: pageQuery(PAGE_SIZE, 'admin') });
    const [webhook, { rows, total }] = await Promise.all([
      deps.watchRepo.webhook(key.id),
      deps.watchRepo.deliveries(key.id, PAGE_SIZE, (page - 1) * PAGE_SIZE),
    ]);
    res.render('watch-lists/deliveries.njk', {
      title: `推送记录：${key.name}`,
      nav: 'api-keys',
      key,
      webhook,
      rows,
      pagination: paginate({ page, pageSize: PAGE_SIZE, total, basePath: `/admin/api-keys/${key.id}/deliveries`, query: {} }),
    });
  });

  // Last of the routes: the authorisation walk visits routes in this order, and a deleted list would 404 the rest.
  adminRoute(router, '/admin', 'POST', '/watch-lists/:id/delete', async (req, res) => {
    const list = await loadOwn(req);
    await deps.watchRepo.deleteList(list.id);
    await deps.audit.byRequest(req, { action: 'watchlist.delete', targetType: 'watchList', targetId: list.id, detail: { name: list.name } });
    req.session.flash = { kind: 'success', text: `已删除关注名单「${list.name}」及其关注动态` };
    res.redirect(303, '/admin/watch-lists');
  });

  return router;
}
