import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../../deps.js';
import { adminRoute, canSeeDepartment, departmentScope } from '../../platform/access.js';
import { BadRequestError, ForbiddenError, NotFoundError, idParam } from '../../platform/errors.js';
import { parseForm, type FormErrors } from '../../platform/forms.js';
import { paginate } from '../../platform/pagination.js';
import { maskIdNumber } from '../../domain/identifiers.js';
import { CATEGORY_LABELS, SUBJECT_CATEGORIES } from '../../domain/publicity/fields.js';
import { beijingToday } from '../../domain/publicity/schemas.js';
import { LETTER_VARIANTS, letterVariant, renderLetter } from './letter.js';
import { COMMITMENT_TYPES, DISCLOSURE, FULFILMENT, commitmentSchema, fulfilmentSchema } from './schemas.js';

const PAGE_SIZE = 20;
const letters = LETTER_VARIANTS.map((v) => ({ slug: v.slug, title: v.title, label: v.label }));
const PUBLIC = '可向社会公开';
const opts = (xs: readonly string[]) => xs.map((x) => ({ value: x, text: x }));

/** What the public sees of a commitment: a natural person's number masked. */
function publicView(c: { promisorCategory: string; promisorCode: string } & Record<string, unknown>) {
  return { ...c, promisorCode: c.promisorCategory === 'natural' ? maskIdNumber(c.promisorCode) : c.promisorCode, categoryLabel: CATEGORY_LABELS[c.promisorCategory as keyof typeof CATEGORY_LABELS] };
}

export function commitmentRoutes(deps: AppDeps): Router {
  const router = Router();

  // ---- public column ----
  router.get('/commitments', async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 100) : '';
    const type = typeof req.query.type === 'string' ? req.query.type : '';
    if (type && !(COMMITMENT_TYPES as readonly string[]).includes(type)) throw new BadRequestError(`承诺类型“${type}”不存在`);
    const page = req.query.page === undefined ? 1 : Number(req.query.page);
    if (!Number.isInteger(page) || page < 1 || page > 10000) throw new BadRequestError('页码无效');
    const where = { disclosure: PUBLIC, ...(type ? { commitmentType: type } : {}), ...(q ? { OR: [{ promisorName: { contains: q } }, { code: q }] } : {}) };
    const [rows, total] = await Promise.all([
      deps.db.commitment.findMany({ where, orderBy: [{ madeOn: 'desc' }, { id: 'desc' }], skip: (page - 1) * PAGE_SIZE, take: PAGE_SIZE, include: { department: { select: { name: true } } } }),
      deps.db.commitment.count({ where }),
    ]);
    res.render('commitments/list.njk', {
      title: '信用承诺',
      nav: 'commitments',
      values: { q, type },
      typeOptions: [{ value: '', text: '全部类型' }, ...opts(COMMITMENT_TYPES)],
      rows: rows.map(publicView),
      total,
      letters,
      pagination: paginate({ page, pageSize: PAGE_SIZE, total, basePath: '/commitments', query: { q, type } }),
    });
  });

  // The blank letter a subject prints and signs: public, registered before /commitments/:id.
  router.get('/commitments/letters/:file', async (req, res) => {
    const m = /^([a-z]+)\.pdf$/.exec(String(req.params.file));
    const variant = m ? letterVariant(m[1]!) : undefined;
    if (!variant) throw new NotFoundError('没有这种信用承诺书');
    const pdf = await renderLetter(variant);
    res.attachment(`${variant.title}（空白）.pdf`);
    res.type('application/pdf').set('Cache-Control', 'public, max-age=3600').send(pdf);
  });

  router.get('/commitments/:id', async (req, res) => {
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || id <= 0) throw new BadRequestError('编号无效');
    const c = await deps.db.commitment.findFirst({ where: { id, disclosure: PUBLIC }, include: { department: { select: { name: true } } } });
    if (!c) throw new NotFoundError('该承诺不存在或不向社会公开');
    res.render('commitments/show.njk', { title: '信用承诺', nav: 'commitments', c: publicView(c) });
  });

  // ---- back office (the accepting department) ----
  adminRoute(router, '', 'GET', '/admin/commitments', async (req, res) => {
    const rows = await deps.db.commitment.findMany({ where: departmentScope(req.user!), orderBy: { id: 'desc' }, take: 200 });
    res.render('commitments/admin-list.njk', { title: '信用承诺', nav: 'commitments-admin', rows, canCreate: req.user!.role === 'clerk', fulfilmentOptions: opts(FULFILMENT), letters });
  });

  const renderForm = (res: Response, values: Record<string, string>, errors?: FormErrors) =>
    res.status(errors ? 400 : 200).render('commitments/admin-form.njk', {
      title: `${errors ? '错误：' : ''}录入信用承诺`,
      nav: 'commitments-admin',
      values,
      errors,
      categoryOptions: opts(SUBJECT_CATEGORIES),
      typeOptions: opts(COMMITMENT_TYPES),
      disclosureOptions: opts(DISCLOSURE),
      letters,
    });

  adminRoute(router, '', 'GET', '/admin/commitments/new', (_req, res) => renderForm(res, { promisorCategory: '法人及非法人组织', disclosure: PUBLIC, madeOn: beijingToday() }));

  adminRoute(router, '', 'POST', '/admin/commitments', async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, string>;
    const parsed = parseForm(commitmentSchema(), body);
    if (!parsed.ok) return renderForm(res, body, parsed.errors);
    const d = parsed.data;
    const user = req.user!;
    if (user.departmentId === null) throw new ForbiddenError('您的账号未分配部门');
    const c = await deps.commitments.createOne(d, user.departmentId, user.id);
    await deps.audit.byRequest(req, { action: 'commitment.create', targetType: 'commitment', targetId: c.id, detail: { code: c.code } });
    req.session.flash = { kind: 'success', text: `已录入信用承诺（承诺编码 ${c.code}）` };
    res.redirect(303, '/admin/commitments');
  });

  adminRoute(router, '', 'POST', '/admin/commitments/:id/fulfilment', async (req, res) => {
    const id = idParam(req.params.id, '承诺不存在');
    const c = await deps.db.commitment.findUnique({ where: { id }, select: { departmentId: true } });
    if (!c) throw new NotFoundError('承诺不存在');
    if (!canSeeDepartment(req.user!, c.departmentId)) throw new ForbiddenError('只能更新本部门受理的承诺');
    const parsed = parseForm(fulfilmentSchema, req.body ?? {});
    if (!parsed.ok) {
      req.session.flash = { kind: 'error', text: parsed.errors.list.map((e) => e.text).join('；') };
      return res.redirect(303, '/admin/commitments');
    }
    await deps.db.commitment.update({ where: { id }, data: { fulfilment: parsed.data.fulfilment, unfulfilledContent: parsed.data.unfulfilledContent || null, liabilityPursued: parsed.data.liabilityPursued || null } });
    await deps.audit.byRequest(req, { action: 'commitment.fulfilment', targetType: 'commitment', targetId: id, detail: { fulfilment: parsed.data.fulfilment } });
    req.session.flash = { kind: 'success', text: '已更新履行状态' };
    res.redirect(303, '/admin/commitments');
  });

  return router;
}
