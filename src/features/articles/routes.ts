import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { adminRoute } from '../../platform/access.js';
import { BadRequestError, NotFoundError, idParam } from '../../platform/errors.js';
import { parseForm, type FormErrors } from '../../platform/forms.js';
import { paginate } from '../../platform/pagination.js';
import { plainText, sanitizeArticle } from './sanitize.js';

export const ARTICLE_CATEGORIES = { policy: '政策法规', news: '信用动态', notice: '通知公告' } as const;
type Category = keyof typeof ARTICLE_CATEGORIES;
const PAGE_SIZE = 20;

const articleSchema = z.object({
  category: z.enum(['policy', 'news', 'notice'], { error: '请选择栏目' }),
  title: z.string().trim().min(1, '请填写标题').max(200, '标题最多 200 个字'),
  source: z.string().trim().max(100, '来源最多 100 个字').optional(),
  body: z.string().trim().min(1, '请填写正文').max(200_000, '正文过长'),
  publish: z.string().optional(),
});

const idOf = (raw: unknown) => idParam(raw, '文章不存在');

/** 政策法规 / 信用动态 / 通知公告: written by the credit office, published as sanitised HTML. */
export function articleRoutes(deps: AppDeps): Router {
  const router = Router();
  const categoryOptions = Object.entries(ARTICLE_CATEGORIES).map(([value, text]) => ({ value, text }));

  // ---- public ----
  router.get('/policies', async (req, res) => {
    const raw = typeof req.query.category === 'string' ? req.query.category : '';
    if (raw && !(raw in ARTICLE_CATEGORIES)) throw new BadRequestError(`栏目“${raw}”不存在`);
    const category = (raw || 'policy') as Category;
    const page = req.query.page === undefined ? 1 : Number(req.query.page);
    if (!Number.isInteger(page) || page < 1 || page > 10000) throw new BadRequestError('页码无效');
    const where = { category, publishedAt: { not: null } };
    const [rows, total] = await Promise.all([
      deps.db.article.findMany({ where, orderBy: [{ publishedAt: 'desc' }, { id: 'desc' }], skip: (page - 1) * PAGE_SIZE, take: PAGE_SIZE }),
      deps.db.article.count({ where }),
    ]);
    res.render('articles/list.njk', {
      title: ARTICLE_CATEGORIES[category],
      nav: 'policies',
      category,
      categories: categoryOptions,
      rows: rows.map((r) => ({ id: r.id, title: r.title, publishedAt: r.publishedAt, excerpt: plainText(r.bodyHtml) })),
      pagination: paginate({ page, pageSize: PAGE_SIZE, total, basePath: '/policies', query: { category: raw } }),
    });
  });

  router.get('/articles/:id', async (req, res) => {
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || id <= 0) throw new BadRequestError('文章编号无效');
    const a = await deps.db.article.findFirst({ where: { id, publishedAt: { not: null } } });
    if (!a) throw new NotFoundError('文章不存在或尚未发布');
    res.render('articles/show.njk', { title: a.title, nav: 'policies', a, categoryLabel: ARTICLE_CATEGORIES[a.category] });
  });

  // ---- back office ----
  adminRoute(router, '', 'GET', '/admin/articles', async (_req, res) => {
    const rows = await deps.db.article.findMany({ orderBy: { id: 'desc' }, take: 200 });
    res.render('articles/admin-list.njk', { title: '文章管理', nav: 'articles', rows: rows.map((r) => ({ ...r, categoryLabel: ARTICLE_CATEGORIES[r.category] })) });
  });

  const renderForm = (res: Response, values: Record<string, string>, opts: { id?: number; errors?: FormErrors } = {}) =>
    res.status(opts.errors ? 400 : 200).render('articles/admin-form.njk', {
      title: `${opts.errors ? '错误：' : ''}${opts.id ? '修改文章' : '发布文章'}`,
      nav: 'articles',
      values,
      errors: opts.errors,
      id: opts.id ?? null,
      categoryOptions,
    });

  adminRoute(router, '', 'GET', '/admin/articles/new', (_req, res) => renderForm(res, { category: 'news' }));

  const save = async (req: Request, res: Response, id?: number) => {
    const body = (req.body ?? {}) as Record<string, string>;
    const parsed = parseForm(articleSchema, body);
    if (!parsed.ok) return renderForm(res, body, { ...(id ? { id } : {}), errors: parsed.errors });
    const d = parsed.data;
    const data = { category: d.category, title: d.title, source: d.source || null, bodyHtml: sanitizeArticle(d.body) };
    const publishNow = d.publish === '1';
    let articleId = id;
    if (id) {
      const found = await deps.db.article.findUnique({ where: { id }, select: { publishedAt: true } });
      if (!found) throw new NotFoundError('文章不存在');
      await deps.db.article.update({ where: { id }, data: { ...data, publishedAt: publishNow ? (found.publishedAt ?? new Date()) : null } });
    } else {
      articleId = (await deps.db.article.create({ data: { ...data, createdById: req.user!.id, publishedAt: publishNow ? new Date() : null }, select: { id: true } })).id;
    }
    await deps.audit.byRequest(req, { action: id ? 'article.update' : 'article.create', targetType: 'article', targetId: articleId!, detail: { title: d.title, published: publishNow } });
    req.session.flash = { kind: 'success', text: publishNow ? '文章已发布' : '文章已保存为草稿' };
    res.redirect(303, '/admin/articles');
  };

  adminRoute(router, '', 'POST', '/admin/articles', (req, res) => save(req, res));

  adminRoute(router, '', 'GET', '/admin/articles/:id/edit', async (req, res) => {
    const id = idOf(req.params.id);
    const a = await deps.db.article.findUnique({ where: { id } });
    if (!a) throw new NotFoundError('文章不存在');
    await renderForm(res, { category: a.category, title: a.title, source: a.source ?? '', body: a.bodyHtml, publish: a.publishedAt ? '1' : '' }, { id });
  });

  adminRoute(router, '', 'POST', '/admin/articles/:id', (req, res) => save(req, res, idOf(req.params.id)));

  return router;
}
