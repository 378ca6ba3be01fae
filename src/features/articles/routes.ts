import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../../services.js';
import { adminRoute } from '../../platform/access.js';
import { BadRequestError, NotFoundError } from '../../platform/errors.js';
import { pageQuery, parseQuery, pathId, queryText } from '../../platform/params.js';
import { parseForm, type FormErrors } from '../../platform/forms.js';
import { paginate } from '../../platform/pagination.js';
import { plainText, sanitizeArticle } from './sanitize.js';
import { identifyDocument, memoryUpload, removeStored, sendAttachment, storeFiles, uploadedName } from '../../platform/attachments.js';

export const ARTICLE_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;
export const ARTICLE_ATTACHMENT_MAX_FILES = 5;

/** Multipart parsing for the attachment upload, mounted in app.ts before the CSRF check. */
export function articleAttachmentUpload() {
  return memoryUpload('POST /admin/articles/:id/attachments', { maxBytes: ARTICLE_ATTACHMENT_MAX_BYTES, maxFiles: ARTICLE_ATTACHMENT_MAX_FILES });
}

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

/** 政策法规 / 信用动态 / 通知公告: written by the credit office, published as sanitised HTML. */
export function articleRoutes(deps: Services): Router {
  const router = Router();
  const categoryOptions = Object.entries(ARTICLE_CATEGORIES).map(([value, text]) => ({ value, text }));

  // ---- public ----
  router.get('/policies', async (req, res) => {
    const query = parseQuery(req, { category: queryText(40), page: pageQuery(PAGE_SIZE, 'public') });
    const raw = query.category ?? '';
    if (raw && !(raw in ARTICLE_CATEGORIES)) throw new BadRequestError(`栏目“${raw}”不存在`);
    const category = (raw || 'policy') as Category;
    const page = query.page;
    const { rows, total } = await deps.articles.published(category, page, PAGE_SIZE);
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
    const a = await deps.articles.publishedById(pathId(req, 'id', '文章不存在'));
    if (!a) throw new NotFoundError('文章不存在或尚未发布');
    res.render('articles/show.njk', { title: a.title, nav: 'policies', a, categoryLabel: ARTICLE_CATEGORIES[a.category] });
  });

  router.get('/articles/:id/attachments/:attachmentId', async (req, res) => {
    const attachmentId = pathId(req, 'attachmentId', '附件不存在');
    const att = await deps.articles.publishedAttachment(pathId(req, 'id', '文章不存在'), attachmentId);
    await sendAttachment(res, deps.uploadDir, att);
  });

  // ---- back office ----
  adminRoute(router, '', 'GET', '/admin/articles', async (_req, res) => {
    const rows = await deps.articles.recent(200);
    res.render('articles/admin-list.njk', {
      title: '文章管理',
      nav: 'articles',
      rows: rows.map((r) => ({ ...r, categoryLabel: ARTICLE_CATEGORIES[r.category] })),
    });
  });

  const renderForm = async (res: Response, values: Record<string, string>, opts: { id?: number; errors?: FormErrors } = {}) =>
    res.status(opts.errors ? 400 : 200).render('articles/admin-form.njk', {
      title: `${opts.errors ? '错误：' : ''}${opts.id ? '修改文章' : '发布文章'}`,
      nav: 'articles',
      values,
      errors: opts.errors,
      id: opts.id ?? null,
      categoryOptions,
      attachments: opts.id ? await deps.articles.attachments(opts.id) : [],
      maxMb: ARTICLE_ATTACHMENT_MAX_BYTES / 1024 / 1024,
      maxFiles: ARTICLE_ATTACHMENT_MAX_FILES,
    });

  const articleValues = (a: { category: string; title: string; source: string | null; bodyHtml: string; publishedAt: Date | null }) => ({
    category: a.category,
    title: a.title,
    source: a.source ?? '',
    body: a.bodyHtml,
    publish: a.publishedAt ? '1' : '',
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
      if (!(await deps.articles.update(id, data, publishNow))) throw new NotFoundError('文章不存在');
    } else {
      articleId = await deps.articles.create(data, req.user!.id, publishNow);
    }
    await deps.audit.byRequest(req, {
      action: id ? 'article.update' : 'article.create',
      targetType: 'article',
      targetId: articleId!,
      detail: { title: d.title, published: publishNow },
    });
    req.session.flash = { kind: 'success', text: publishNow ? '文章已发布' : '文章已保存为草稿' };
    res.redirect(303, '/admin/articles');
  };

  adminRoute(router, '', 'POST', '/admin/articles', (req, res) => save(req, res));

  adminRoute(router, '', 'GET', '/admin/articles/:id/edit', async (req, res) => {
    const id = pathId(req, 'id', '文章不存在');
    const a = await deps.articles.byId(id);
    if (!a) throw new NotFoundError('文章不存在');
    await renderForm(res, articleValues(a), { id });
  });

  adminRoute(router, '', 'POST', '/admin/articles/:id', (req, res) => save(req, res, pathId(req, 'id', '文章不存在')));

  // ---- attachments (PDF, Word, Excel, ZIP), added and removed on the article's edit page ----
  adminRoute(router, '', 'POST', '/admin/articles/:id/attachments', async (req, res) => {
    const id = pathId(req, 'id', '文章不存在');
    const a = await deps.articles.byId(id);
    if (!a) throw new NotFoundError('文章不存在');
    const files = ((req.files as Express.Multer.File[] | undefined) ?? []).filter((f) => f.size > 0);
    const checked = await Promise.all(files.map(async (f) => ({ f, type: await identifyDocument(uploadedName(f), f.buffer) })));
    const problems = req.uploadError
      ? [req.uploadError]
      : files.length === 0
        ? ['请选择要上传的附件']
        : checked.flatMap((c) => ('error' in c.type ? [c.type.error] : []));
    if (problems.length) {
      return renderForm(res, articleValues(a), {
        id,
        errors: { fields: { attachments: problems.join('；') }, list: problems.map((text) => ({ href: '#attachments', text })) },
      });
    }
    const stored = await storeFiles(
      deps.uploadDir,
      checked.map(({ f, type }) => ({ originalname: f.originalname, buffer: f.buffer, mime: (type as { mime: string }).mime })),
    );
    const created = await deps.articles.addAttachments(id, stored, req.user!.id);
    for (const [i, c] of created.entries()) {
      await deps.audit.byRequest(req, {
        action: 'article.attachment.add',
        targetType: 'article',
        targetId: id,
        detail: { attachmentId: c.id, file: stored[i]!.fileName, bytes: stored[i]!.bytes, sha256: stored[i]!.sha256 },
      });
    }
    req.session.flash = { kind: 'success', text: `已上传 ${stored.length} 个附件` };
    res.redirect(303, `/admin/articles/${id}/edit`);
  });

  const findAttachment = async (req: Request) => {
    const attachmentId = pathId(req, 'attachmentId', '附件不存在');
    const att = await deps.articles.attachment(pathId(req, 'id', '文章不存在'), attachmentId);
    if (!att) throw new NotFoundError('附件不存在');
    return att;
  };

  adminRoute(router, '', 'GET', '/admin/articles/:id/attachments/:attachmentId', async (req, res) =>
    sendAttachment(res, deps.uploadDir, await findAttachment(req)),
  );

  adminRoute(router, '', 'POST', '/admin/articles/:id/attachments/:attachmentId/delete', async (req, res) => {
    const att = await findAttachment(req);
    await deps.articles.deleteAttachment(att.id);
    await removeStored(deps.uploadDir, att.storedAs);
    await deps.audit.byRequest(req, {
      action: 'article.attachment.delete',
      targetType: 'article',
      targetId: att.articleId,
      detail: { attachmentId: att.id, file: att.fileName, sha256: att.sha256 },
    });
    req.session.flash = { kind: 'success', text: `已删除附件“${att.fileName}”` };
    res.redirect(303, `/admin/articles/${att.articleId}/edit`);
  });

  return router;
}
