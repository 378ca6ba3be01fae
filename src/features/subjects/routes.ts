import { Router, type Request } from 'express';
import type { Services } from '../../services.js';
import { validateUscc } from '../../domain/identifiers.js';
import { BadRequestError, NotFoundError } from '../../platform/errors.js';
import { paginate } from '../../platform/pagination.js';
import { PROFILE_SECTIONS, SECTION_PAGE_ROWS, type ProfileSectionKey } from './profile.js';

/** The USCC of the path, checked (bad → 400); `canonical` false when it should be redirected to its normal form. */
function usccOf(req: Request): { value: string; canonical: boolean } {
  const input = String(req.params.uscc);
  const r = validateUscc(input);
  if (!r.ok) throw new BadRequestError(`“${input}”不是有效的统一社会信用代码：${r.reason}`);
  if (r.placeholder) throw new BadRequestError('00000000000000000X 是无代码个体工商户的占位符，不能用于查询');
  return { value: r.value, canonical: r.value === input };
}

/** A section page's `page` parameter: digits only, at least 1 (its upper bound is the section's own page count). */
function pageOf(req: Request): number {
  const raw = req.query.page;
  if (raw === undefined || raw === '') return 1;
  if (typeof raw !== 'string' || !/^[0-9]{1,6}$/.test(raw.trim()) || Number(raw) < 1) {
    throw new BadRequestError(`查询参数无效：页码应为正整数（“${String(raw).slice(0, 20)}”无效）`);
  }
  return Number(raw);
}

/** The credit profile page, /subjects/:uscc, and each record section's own pages, /subjects/:uscc/:section. */
export function subjectRoutes(deps: Services): Router {
  const router = Router();
  router.get('/subjects/:uscc', async (req, res) => {
    const uscc = usccOf(req);
    if (!uscc.canonical) return res.redirect(301, `/subjects/${uscc.value}`);
    const profile = await deps.profiles.byUscc(uscc.value);
    if (!profile) throw new NotFoundError(`未找到统一社会信用代码为 ${uscc.value} 的信用主体`);
    // 条例 Art. 40: a view of the public profile is counted for the subject's report.
    await deps.accessLog.portal(uscc.value);
    res.render('subjects/profile.njk', { title: `${profile.subject.name} - 信用信息`, nav: 'search', p: profile });
  });
  // A heavy subject's sections list their first rows on the profile; every record is reachable here, page by page.
  // The depth is bounded by the subject's own record count (one subject's records, in index order), not by a cap.
  router.get('/subjects/:uscc/:section', async (req, res) => {
    const section = String(req.params.section);
    if (!(PROFILE_SECTIONS as readonly string[]).includes(section)) throw new NotFoundError('您访问的页面不存在');
    const key = section as ProfileSectionKey;
    const uscc = usccOf(req);
    const page = pageOf(req);
    if (!uscc.canonical) return res.redirect(301, `/subjects/${uscc.value}/${key}${page > 1 ? `?page=${page}` : ''}`);
    const profile = await deps.profiles.byUscc(uscc.value, { section: key, limit: SECTION_PAGE_ROWS, offset: (page - 1) * SECTION_PAGE_ROWS });
    if (!profile) throw new NotFoundError(`未找到统一社会信用代码为 ${uscc.value} 的信用主体`);
    const s = profile.sections.find((x) => x.key === key)!;
    const pageCount = Math.max(1, Math.ceil(s.total / SECTION_PAGE_ROWS));
    if (page > pageCount) throw new BadRequestError(`查询参数无效：页码超出范围（共 ${pageCount} 页）`);
    await deps.accessLog.portal(uscc.value);
    res.render('subjects/section.njk', {
      title: `${s.title.replace(/^[一二三四五六七]、/, '')} - ${profile.subject.name} - 信用信息`,
      nav: 'search',
      p: profile,
      s,
      pagination: paginate({ page, pageSize: SECTION_PAGE_ROWS, total: s.total, basePath: `/subjects/${uscc.value}/${key}`, query: {} }),
      firstRow: (page - 1) * SECTION_PAGE_ROWS + 1,
    });
  });
  return router;
}
