import { RECORD_ITEM_CODES } from '../catalogue/codes.js';
import { Router } from 'express';
import { z } from 'zod';
import { pageQuery, parseQuery, pathId, queryId } from '../../platform/params.js';
import type { Services } from '../../services.js';
import { GoneError, NotFoundError } from '../../platform/errors.js';
import { parseForm } from '../../platform/forms.js';
import { paginate } from '../../platform/pagination.js';
import { CATEGORY_KEYS, KIND_LABELS, type RecordKind } from '../../domain/publicity/fields.js';
import { beijingToday, parseDate } from '../../domain/dates.js';
import { displayRows, publicListRow } from './view-model.js';
import { PLURAL } from './admin-routes.js';
import { keywordRoute } from './repository.js';

const PAGE_SIZE = 20;

/** Shared by the public columns' GET filters (双公示, 信用承诺): an id 1–2147483647, else 400. */
export const optionalInt = queryId;

export const optionalDate = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      const d = parseDate(v);
      if (!d) {
        ctx.addIssue({ code: 'custom', message: `${label}“${v}”不是有效日期，应为 YYYY-MM-DD` });
        return z.NEVER;
      }
      return d;
    });

/** A public list's page number: 1 when absent, at most 50 pages / 1,000 records. */
export const pageParam = pageQuery(PAGE_SIZE, 'public');

/** Public filters are GET parameters so a filtered page can be bookmarked; unknown parameters are ignored. */
const filterSchema = z
  .object({
    q: z.string().trim().max(100, '关键词最多 100 个字').optional(),
    dept: optionalInt('部门'),
    county: optionalInt('县（市、区）'),
    category: z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (!v) return undefined;
        const key = CATEGORY_KEYS[v as keyof typeof CATEGORY_KEYS];
        if (!key) {
          ctx.addIssue({ code: 'custom', message: `相对人类别“${v}”无效` });
          return z.NEVER;
        }
        return key;
      }),
    from: optionalDate('起始日期'),
    to: optionalDate('截止日期'),
    page: pageParam,
  })
  .superRefine((f, ctx) => {
    if (f.from && f.to && f.from > f.to) ctx.addIssue({ code: 'custom', path: ['to'], message: '截止日期不能早于起始日期' });
  });

/** A filter parameter as typed, '' when absent: kept to fill the form and the pagination links, then checked by its column's schema. */
export const queryValue = z
  .string()
  .optional()
  .transform((v) => v ?? '');

/** The public record lists' filters as typed. */
const filterValues = { q: queryValue, dept: queryValue, county: queryValue, category: queryValue, from: queryValue, to: queryValue, page: queryValue };

/** The record fields (FieldDef keys) a public keyword is matched against, as keywordRoute sends it. */
function keywordTargets(q: string): string[] {
  const route = keywordRoute(q);
  return route === 'code' ? ['uscc', 'documentNo'] : route === 'documentNo' ? ['documentNo'] : ['subjectName'];
}

export function publicityPublicRoutes(deps: Services): Router {
  const router = Router();

  router.get('/publicity', async (_req, res) => {
    const today = beijingToday();
    const [permits, penalties, permitCount, penaltyCount, shown] = await Promise.all([
      deps.publicityRepo.latest('permit', today, 8),
      deps.publicityRepo.latest('penalty', today, 8),
      deps.publicityRepo.publicCount('permit', today),
      deps.publicityRepo.publicCount('penalty', today),
      deps.catalogue.publicFields(),
    ]);
    // 条例 Art. 11, 18: an item switched off as a whole shows a notice instead of its records (and counts nothing).
    const permitsHidden = !shown.showsItem(RECORD_ITEM_CODES.permit);
    const penaltiesHidden = !shown.showsItem(RECORD_ITEM_CODES.penalty);
    res.render('publicity/index.njk', {
      title: '双公示',
      nav: 'publicity',
      permits: permitsHidden ? [] : permits.map((r) => publicListRow('permit', r, shown.hiddenKeys('permit'))),
      penalties: penaltiesHidden ? [] : penalties.map((r) => publicListRow('penalty', r, shown.hiddenKeys('penalty'))),
      permitsHidden,
      penaltiesHidden,
      permitCount: permitsHidden ? 0 : permitCount,
      penaltyCount: penaltiesHidden ? 0 : penaltyCount,
    });
  });

  for (const kind of ['permit', 'penalty'] as const satisfies RecordKind[]) {
    const base = `/publicity/${PLURAL[kind]}`;
    router.get(base, async (req, res) => {
      const { page, ...values } = parseQuery(req, filterValues);
      const parsed = parseForm(filterSchema, { ...values, page: page || undefined });
      if (!parsed.ok) {
        return res.status(400).render('errors/400.njk', { title: '请求有误', message: '查询条件有误，请修改后重试：', problems: parsed.errors.list });
      }
      const f = parsed.data;
      const today = beijingToday();
      const shown = await deps.catalogue.publicFields();
      const hidden = shown.hiddenKeys(kind);
      // The whole item off: no query at all, a notice instead of the column.
      const itemHidden = !shown.showsItem(RECORD_ITEM_CODES[kind]);
      // A keyword aimed at a field the catalogue keeps off public pages finds nothing: otherwise typing a non-public
      // 文号 would tell the reader which record carries it.
      const aimedAtHidden = f.q ? keywordTargets(f.q).every((key) => hidden.has(key)) : false;
      const [{ rows, total, more }, departments, counties] = await Promise.all([
        aimedAtHidden || itemHidden ? { rows: [], total: 0, more: false } : deps.publicityRepo.publicPage(kind, f, today, f.page, PAGE_SIZE),
        deps.publicityRepo.departmentOptions(),
        deps.publicityRepo.countyOptions(),
      ]);
      const disputed = await deps.cases.disputedAmong(
        kind,
        rows.map((r) => r.id as number),
      );
      res.render('publicity/list.njk', {
        title: KIND_LABELS[kind],
        nav: 'publicity',
        kind,
        kindLabel: KIND_LABELS[kind],
        base,
        values,
        rows: rows.map((r) => ({ ...publicListRow(kind, r, hidden), disputed: disputed.has(r.id as number) })),
        itemHidden,
        total,
        more,
        departmentOptions: [{ value: '', text: '全部部门' }, ...departments.map((d) => ({ value: String(d.id), text: d.name }))],
        countyOptions: [{ value: '', text: '全部县（市、区）' }, ...counties.map((c) => ({ value: String(c.id), text: c.name }))],
        categoryOptions: [{ value: '', text: '全部类别' }, ...Object.keys(CATEGORY_KEYS).map((k) => ({ value: k, text: k }))],
        pagination: paginate({ page: f.page, pageSize: PAGE_SIZE, total, basePath: base, query: values }),
      });
    });

    router.get(`${base}/:id`, async (req, res) => {
      const id = pathId(req, 'id', '该记录不存在、已撤回或已过公示期');
      const [rec, open, shown] = await Promise.all([
        deps.publicityRepo.publicDetail(kind, id, beijingToday()),
        deps.cases.disputedAmong(kind, [id]),
        deps.catalogue.publicFields(),
      ]);
      if (!rec) {
        // 条例 Art. 42: a revoked decision is gone for good, and the page says so rather than "not found".
        if (await deps.publicityRepo.isRevoked(kind, id)) throw new GoneError(`该${KIND_LABELS[kind]}决定已被依法撤销，相关信息已停止公示`);
        throw new NotFoundError('该记录不存在、已撤回或已过公示期');
      }
      // The same answer for every id when the item is off, so no id can be probed.
      if (!shown.showsItem(RECORD_ITEM_CODES[kind])) throw new NotFoundError('该类信息不向社会公开');
      const disputed = open.size > 0;
      const hidden = shown.hiddenKeys(kind);
      res.render('publicity/detail.njk', {
        title: `${KIND_LABELS[kind]}信息`,
        nav: 'publicity',
        kind,
        kindLabel: KIND_LABELS[kind],
        base,
        subjectName: hidden.has('subjectName') ? '（不公开）' : rec.subjectName,
        rows: displayRows(kind, rec, { publicView: true, hidden }),
        department: (rec.department as { name: string } | null)?.name ?? '',
        reportedAt: rec.reportedAt,
        uscc: rec.subjectCategory === 'natural' || hidden.has('uscc') ? null : rec.uscc,
        disputed,
        objectionHref: `${base}/${id}/objection`,
        repairHref: kind === 'penalty' ? `${base}/${id}/repair` : null,
      });
    });
  }
  return router;
}
