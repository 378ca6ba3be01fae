import { Router, type Request, type Response } from 'express';
import type { Services } from '../../services.js';
import { adminRoute, canSeeDepartment } from '../../platform/access.js';
import { ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { parseQuery, pathId } from '../../platform/params.js';
import { formValues, parseForm, type FormErrors } from '../../platform/forms.js';
import { paginate } from '../../platform/pagination.js';
import { maskIdNumber } from '../../domain/identifiers.js';
import { CATEGORY_LABELS, SUBJECT_CATEGORIES } from '../../domain/publicity/fields.js';
import { beijingToday } from '../../domain/dates.js';
import { z } from 'zod';
import { optionalDate, optionalInt, pageParam, queryValue } from '../publicity/public-routes.js';
import { LETTER_VARIANTS, letterVariant, renderLetter } from './letter.js';
import { PUBLIC } from './repository.js';
import { brokenCommitmentTier, tierLabel } from '../../domain/adverse-tiers.js';
import { COMMITMENT_ITEM_CODE } from '../catalogue/codes.js';
import { COMMITMENT_TYPES, DISCLOSURE, FULFILMENT, commitmentSchema, fulfilmentSchema } from './schemas.js';

const PAGE_SIZE = 20;
const letters = LETTER_VARIANTS.map((v) => ({ slug: v.slug, title: v.title, label: v.label }));
const opts = (xs: readonly string[]) => xs.map((x) => ({ value: x, text: x }));

/**
 * What the public sees of a commitment: a natural person's number masked; a field the catalogue (item XYCN) does not
 * mark 社会公开 empty (条例 Art. 11, 18). A hidden 履行状态 takes its tier and the 违诺 details with it.
 */
function publicView(
  c: { promisorCategory: string; promisorCode: string; fulfilment?: string | null } & Record<string, unknown>,
  hidden: ReadonlySet<string> = new Set(),
) {
  const blanked: Record<string, null> = {};
  for (const key of hidden) blanked[key] = null;
  const fulfilmentHidden = hidden.has('fulfilment');
  return {
    ...c,
    ...blanked,
    ...(fulfilmentHidden ? { unfulfilledContent: null, liabilityPursued: null } : {}),
    fulfilmentHidden,
    // A broken commitment is adverse information and shows its tier (src/domain/adverse-tiers.ts).
    tier: fulfilmentHidden ? null : tierLabel(brokenCommitmentTier(c.fulfilment)),
    promisorCode: c.promisorCategory === 'natural' ? maskIdNumber(c.promisorCode) : c.promisorCode,
    categoryLabel: CATEGORY_LABELS[c.promisorCategory as keyof typeof CATEGORY_LABELS],
  };
}

/** The public column's filters, as GET parameters so a filtered page can be bookmarked. */
const listFilterSchema = z
  .object({
    type: z
      .string()
      .optional()
      .refine((v) => !v || (COMMITMENT_TYPES as readonly string[]).includes(v), { message: '承诺类型无效' }),
    dept: optionalInt('受理单位'),
    from: optionalDate('起始日期'),
    to: optionalDate('截止日期'),
    page: pageParam,
  })
  .superRefine((f, ctx) => {
    if (f.from && f.to && f.from > f.to) ctx.addIssue({ code: 'custom', path: ['to'], message: '截止日期不能早于起始日期' });
  });

/** The public column's filters as typed ('' when absent; the keyword trimmed to 100 characters), checked by listFilterSchema. */
const listFilterValues = {
  q: queryValue.transform((v) => v.trim().slice(0, 100)),
  type: queryValue,
  dept: queryValue,
  from: queryValue,
  to: queryValue,
  page: queryValue,
};

export function commitmentRoutes(deps: Services): Router {
  const router = Router();

  // ---- public column ----
  router.get('/commitments', async (req, res) => {
    const { page, ...values } = parseQuery(req, listFilterValues);
    const parsed = parseForm(listFilterSchema, { ...values, page: page || undefined });
    if (!parsed.ok)
      return res.status(400).render('errors/400.njk', { title: '请求有误', message: '查询条件有误，请修改后重试：', problems: parsed.errors.list });
    const f = parsed.data;
    const shown = await deps.catalogue.publicFields();
    const itemHidden = !shown.showsItem(COMMITMENT_ITEM_CODE);
    const hidden = shown.hiddenCommitmentKeys();
    // A filter on a field the public may not see would reveal its values, so it is not applied (nor the whole
    // column queried when the item is off).
    const filter = {
      ...f,
      type: hidden.has('commitmentType') ? undefined : f.type,
      from: hidden.has('madeOn') ? undefined : f.from,
      to: hidden.has('madeOn') ? undefined : f.to,
      q: values.q,
      searchCode: !hidden.has('code'),
    };
    const [{ rows, total }, departments] = await Promise.all([
      itemHidden ? { rows: [], total: 0 } : deps.commitmentRepo.publicPage(filter, f.page, PAGE_SIZE),
      deps.publicityRepo.departmentOptions(),
    ]);
    res.render('commitments/list.njk', {
      title: '信用承诺',
      nav: 'commitments',
      values,
      typeOptions: [{ value: '', text: '全部类型' }, ...opts(COMMITMENT_TYPES)],
      departmentOptions: [{ value: '', text: '全部受理单位' }, ...departments.map((d) => ({ value: String(d.id), text: d.name }))],
      rows: rows.map((r) => publicView(r, hidden)),
      itemHidden,
      total,
      letters,
      pagination: paginate({ page: f.page, pageSize: PAGE_SIZE, total, basePath: '/commitments', query: values }),
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
    const id = pathId(req, 'id', '该承诺不存在或不向社会公开');
    const shown = await deps.catalogue.publicFields();
    // The whole item switched off: no commitment page is public (the same answer for every id, so nothing is probed).
    if (!shown.showsItem(COMMITMENT_ITEM_CODE)) throw new NotFoundError('该类信息不向社会公开');
    const [c, open] = await Promise.all([deps.commitmentRepo.publicOne(id), deps.cases.disputedAmong('commitment', [id])]);
    if (!c) throw new NotFoundError('该承诺不存在或不向社会公开');
    const disputed = open.size > 0;
    res.render('commitments/show.njk', { title: '信用承诺', nav: 'commitments', c: publicView(c, shown.hiddenCommitmentKeys()), disputed });
  });

  // ---- back office (the accepting department) ----
  /** The department's commitments; with `fulfilment`, again with that commitment's form refused (400), values kept. */
  const renderList = async (req: Request, res: Response, fulfilment?: { id: number; values: Record<string, string>; errors: FormErrors }) => {
    const rows = await deps.commitmentRepo.latestFor(req.user!);
    const ids: Record<string, string> = { fulfilment: 'f', unfulfilledContent: 'u', liabilityPursued: 'l' };
    res.status(fulfilment ? 400 : 200).render('commitments/admin-list.njk', {
      title: `${fulfilment ? '错误：' : ''}信用承诺`,
      nav: 'commitments-admin',
      rows: rows.map((r) => ({ ...r, tier: tierLabel(brokenCommitmentTier(r.fulfilment)) })),
      canCreate: req.user!.role === 'clerk',
      fulfilmentOptions: opts(FULFILMENT),
      letters,
      refused: fulfilment ? { id: fulfilment.id, values: fulfilment.values, fields: fulfilment.errors.fields } : null,
      errors: fulfilment
        ? {
            fields: {},
            list: Object.entries(fulfilment.errors.fields).map(([field, text]) => ({ href: `#${ids[field] ?? 'f'}-${fulfilment.id}`, text })),
          }
        : undefined,
    });
  };

  adminRoute(router, '', 'GET', '/admin/commitments', (req, res) => renderList(req, res));

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

  adminRoute(router, '', 'GET', '/admin/commitments/new', (_req, res) =>
    renderForm(res, { promisorCategory: '法人及非法人组织', disclosure: PUBLIC, madeOn: beijingToday() }),
  );

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
    const id = pathId(req, 'id', '承诺不存在');
    const c = await deps.commitmentRepo.departmentOf(id);
    if (!c) throw new NotFoundError('承诺不存在');
    if (!canSeeDepartment(req.user!, c.departmentId)) throw new ForbiddenError('只能更新本部门受理的承诺');
    const parsed = parseForm(fulfilmentSchema, req.body ?? {});
    if (!parsed.ok) {
      const values = formValues(req.body, ['fulfilment', 'unfulfilledContent', 'liabilityPursued']);
      return renderList(req, res, { id, values, errors: parsed.errors });
    }
    await deps.commitmentRepo.updateFulfilment(
      id,
      {
        fulfilment: parsed.data.fulfilment,
        unfulfilledContent: parsed.data.unfulfilledContent || null,
        liabilityPursued: parsed.data.liabilityPursued || null,
      },
      beijingToday(),
    );
    await deps.audit.byRequest(req, {
      action: 'commitment.fulfilment',
      targetType: 'commitment',
      targetId: id,
      detail: { fulfilment: parsed.data.fulfilment },
    });
    req.session.flash = { kind: 'success', text: '已更新履行状态' };
    res.redirect(303, '/admin/commitments');
  });

  return router;
}
