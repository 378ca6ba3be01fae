import { LIST_ITEM_CODES, RECORD_ITEM_CODES } from '../catalogue/codes.js';
import { Router, type Response } from 'express';
import { formValues, textErrors } from '../../platform/forms.js';
import { NARROW_SEARCH, maxPage, parseQuery, queryText } from '../../platform/params.js';
import { pageLimiter } from '../../platform/rate-limit.js';
import type { Services } from '../../services.js';
import { maskIdNumber, validateIdNumber } from '../../domain/identifiers.js';
import { DOC_TYPE_KEYS, DOC_TYPE_LABELS } from '../../domain/publicity/fields.js';
import { beijingToday } from '../../domain/dates.js';
import { paginate } from '../../platform/pagination.js';
import { parseSubjectCode } from '../subjects/repository.js';
import { STATUS_LABELS } from '../subjects/profile.js';
import { publicListRow } from '../publicity/view-model.js';
import { normaliseTerm, SEARCH_COUNT_CAP, type SearchHit } from './repository.js';

const PAGE_SIZE = 20;
const DOC_TYPE_OPTIONS = Object.entries(DOC_TYPE_KEYS).map(([text, value]) => ({ value, text }));

/** /search: the words or code searched for (trimmed) and the page as typed ('' when absent; checked below to answer on the search page). */
const searchQuery = {
  q: queryText(100).transform((v) => (v ?? '').trim()),
  page: queryText(20).transform((v) => v ?? ''),
};

/** /search/person (GET): only the name may be carried over, to fill in the form; a number in the URL is not looked up. */
const personQuery = {
  name: queryText(50).transform((v) => (v ?? '').trim()),
  id: queryText(40).transform((v) => (v ?? '').trim()),
  type: queryText(40).transform((v) => v || 'residentId'),
};

/**
 * A query of letters and digits one or two characters off the 18 of a 统一社会信用代码 is a mistyped code (a
 * character dropped or doubled), not a name: no other code has that length, and a name search would only answer
 * 「未找到」. Says so, or null for anything else.
 */
export function nearUsccLength(q: string): string | null {
  const compact = q.replace(/\s+/g, '');
  if (![16, 17, 19, 20].includes(compact.length) || !/^[0-9A-Za-z]+$/.test(compact) || !/[0-9]/.test(compact)) return null;
  return `统一社会信用代码应为 18 位，“${compact}”是 ${compact.length} 位，请核对后重新输入`;
}

const PERSON_FIELDS = ['name', 'id', 'type'] as const;
const PERSON_MAX = { name: 50, id: 40, type: 40 } as const;

export function searchRoutes(deps: Services, opts: { personLimit?: { windowMs: number; limit: number } } = {}): Router {
  const router = Router();

  router.get('/search', async (req, res) => {
    const { q, page: pageRaw } = parseQuery(req, searchQuery);
    const render = (status: number, data: Record<string, unknown>) =>
      res.status(status).render('search/index.njk', { title: '信用查询', nav: 'search', q, ...data });
    if (!q) return render(200, {});
    const page = pageRaw === '' ? 1 : Number(pageRaw);
    if (!/^[0-9]{1,10}$/.test(pageRaw || '1') || page < 1)
      return render(400, { title: '错误：信用查询', error: `页码“${pageRaw.slice(0, 20)}”无效，应为正整数` });
    if (page > Math.min(SEARCH_COUNT_CAP / PAGE_SIZE, maxPage(PAGE_SIZE, 'public'))) return render(400, { title: '错误：信用查询', error: NARROW_SEARCH });

    const near = nearUsccLength(q);
    if (near) return render(400, { title: '错误：信用查询', error: near });
    const code = parseSubjectCode(q);
    if (code.kind === 'invalid') {
      // Meant as a code but broken: say what is wrong instead of "no results".
      return render(400, { title: '错误：信用查询', error: `“${q}”不是有效的代码：${code.reason}` });
    }
    let hits: SearchHit[];
    let total: number;
    let more = false;
    let exact = false;
    const today = beijingToday();
    const shown = await deps.catalogue.publicFields();
    const hiddenBase = shown.hiddenLegalPersonKeys();
    if (code.kind === 'notACode') {
      const term = normaliseTerm(q);
      ({ hits, total, more } = await deps.search.byName(term, page, PAGE_SIZE, today));
    } else {
      // A 组织机构代码 or 工商注册号 the catalogue keeps off public pages is no search key: a hit would tell whose it is.
      const codeHidden = (code.kind === 'orgCode' && hiddenBase.has('orgCode')) || (code.kind === 'regNo' && hiddenBase.has('regNo'));
      hits = codeHidden ? [] : await deps.search.byCode(code, today);
      total = hits.length;
      exact = true;
    }
    render(200, {
      exact,
      total,
      more,
      codeKind: code.kind === 'notACode' ? null : { uscc: '统一社会信用代码', orgCode: '组织机构代码', regNo: '工商注册号' }[code.kind],
      // 条例 Art. 11: base data (FRJC) and list badges (HONGMD, HEIMD) only as far as the catalogue makes them public.
      results: hits.map((h) => ({
        ...h,
        href: h.uscc ? `/subjects/${h.uscc}` : null,
        legalRepresentative: hiddenBase.has('legalRepresentative') ? null : h.legalRepresentative,
        regNo: hiddenBase.has('regNo') ? null : h.regNo,
        statusLabel: hiddenBase.has('status') ? '—' : (STATUS_LABELS[h.status] ?? h.status),
        red: h.red && shown.showsItem(LIST_ITEM_CODES.red),
        black: h.black && shown.showsItem(LIST_ITEM_CODES.black),
      })),
      pagination: exact ? null : paginate({ page, pageSize: PAGE_SIZE, total, basePath: '/search', query: { q } }),
    });
  });

  const personLimiter = pageLimiter(
    deps.rateLimits,
    'person-search',
    opts.personLimit ?? { windowMs: 60_000, limit: 20 },
    '自然人信息查询过于频繁，请稍后再试。',
  );

  /*
   * The lookup is a POST (CSRF-protected like every form) and its answer is rendered in the response, never
   * behind a redirect: the document number must not reach a URL, where browser history, proxies and access logs
   * would keep it. The GET shows the empty form.
   */
  const renderPerson = (res: Response, status: number, values: Record<(typeof PERSON_FIELDS)[number], string>, data: Record<string, unknown>) => {
    // a result names a person: no cache may keep it
    res.set('Cache-Control', 'no-store');
    res.status(status).render('search/person.njk', {
      title: status === 400 ? '错误：自然人信息查询' : '自然人信息查询',
      nav: 'search',
      // the number is never written back into the page, not even into a refused form
      values: { ...values, id: '' },
      docTypeOptions: DOC_TYPE_OPTIONS,
      ...data,
    });
  };
  const fieldErrors = (fields: Record<string, string>) => ({ errors: { fields, list: Object.entries(fields).map(([k, text]) => ({ href: `#${k}`, text })) } });

  router.get('/search/person', (req, res) => {
    const { name, id, type } = parseQuery(req, personQuery);
    // An old bookmark or a hand-made link with the number: answer on the form instead of looking it up.
    if (id)
      return renderPerson(res, 400, { name, id: '', type }, fieldErrors({ id: '为保护个人信息，证件号码不能放在网址中提交，请在下方重新填写后点击“查询”' }));
    renderPerson(res, 200, { name, id: '', type }, {});
  });

  router.post('/search/person', personLimiter, async (req, res) => {
    const typed = formValues(req.body, PERSON_FIELDS);
    const name = typed.name.trim();
    const id = typed.id.trim().toUpperCase();
    const type = typed.type || 'residentId';
    const values = { name, id, type };
    const render = (status: number, data: Record<string, unknown>) => renderPerson(res, status, values, data);
    const fields: Record<string, string> = textErrors({ name, id, type });
    for (const k of PERSON_FIELDS) if (!fields[k] && values[k].length > PERSON_MAX[k]) fields[k] = `不超过 ${PERSON_MAX[k]} 个字符`;
    if (!name && !fields.name) fields.name = '请填写姓名（须与证件上的姓名完全一致）';
    if (!id && !fields.id) fields.id = '请填写证件号码';
    if (!(type in DOC_TYPE_LABELS)) fields.type = '证件类型无效';
    let number = id;
    if (id && !fields.id && type === 'residentId') {
      const r = validateIdNumber(id);
      if (!r.ok) fields.id = `身份证号码有误：${r.reason}`;
      else number = r.value;
    }
    if (Object.keys(fields).length) return render(400, fieldErrors(fields));

    const docType = type as keyof typeof DOC_TYPE_LABELS;
    const person = await deps.search.findPerson(docType, number, name);
    const masked = maskIdNumber(number);
    // Every lookup of a person is kept: when, from where, which (masked) number, and whether it hit.
    await deps.audit.record({ action: 'person.search', ip: req.ip ?? null, detail: { docType, docNumber: masked, hit: !!person } });
    if (!person) return render(200, { searched: true, found: false, masked });
    const penalties = await deps.search.personPenalties(person.id, beijingToday());
    const [disputed, shown] = await Promise.all([
      deps.cases.disputedAmong(
        'penalty',
        penalties.map((p) => p.id),
      ),
      deps.catalogue.publicFields(),
    ]);
    const hidden = shown.hiddenKeys('penalty');
    // The 行政处罚 item switched off as a whole: a notice instead of the records.
    const penaltiesHidden = !shown.showsItem(RECORD_ITEM_CODES.penalty);
    render(200, {
      searched: true,
      found: true,
      masked,
      person: { name: person.name, docTypeLabel: DOC_TYPE_LABELS[docType] },
      penaltiesHidden,
      penalties: (penaltiesHidden ? [] : penalties).map((p) => ({
        ...publicListRow('penalty', p as unknown as Record<string, unknown>, hidden),
        violationType: hidden.has('violationType') ? '' : p.violationType,
        disputed: disputed.has(p.id),
      })),
    });
  });

  return router;
}
