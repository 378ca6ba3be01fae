import { Router, type Response } from 'express';
import type { Services } from '../../services.js';
import { NotFoundError } from '../../platform/errors.js';
import { formValues, parseForm, type FormErrors } from '../../platform/forms.js';
import { parseQuery, queryText } from '../../platform/params.js';
import { pageLimiter, type Limit } from '../../platform/rate-limit.js';
import { beijingToday } from '../../domain/dates.js';
import { FEEDBACK_FIELDS, FEEDBACK_STATUSES, FEEDBACK_TYPES, feedbackSchema, newRefNo, REF_RE } from './feedback.js';
import { FRIEND_LINKS, SITE_MAP } from './links.js';

const typeOptions = Object.entries(FEEDBACK_TYPES).map(([value, text]) => ({ value, text }));

/** 政府网站发展指引's basics: 网站地图, 联系我们, and 「我为政府网站找错」 with its reference-number lookup. */
export function siteRoutes(deps: Services, opts: { limit?: Limit } = {}): Router {
  const router = Router();
  // Like the other public submissions: enough for a person, not for a script filling the queue.
  const limiter = pageLimiter(deps.rateLimits, 'feedback', opts.limit ?? { windowMs: 60 * 60_000, limit: 10 }, '提交过于频繁，请一小时后再试。');

  router.get('/sitemap', (_req, res) => res.render('site/sitemap.njk', { title: '网站地图', sections: SITE_MAP, friends: FRIEND_LINKS }));
  router.get('/contact', (_req, res) => res.render('site/contact.njk', { title: '联系我们', friends: FRIEND_LINKS }));

  const renderForm = (res: Response, values: Record<string, string>, errors?: FormErrors, status = 200) =>
    res.status(status).render('site/feedback.njk', { title: `${errors ? '错误：' : ''}我为政府网站找错`, values, errors, typeOptions });

  router.get('/feedback', (req, res) => {
    // The page a visitor came from, when a link passes it, so they need not copy the address.
    const page = parseQuery(req, { page: queryText(500) }).page ?? '';
    renderForm(res, { pageUrl: page.startsWith('/') ? page : '', problemType: '', content: '', contact: '' });
  });

  router.post('/feedback', limiter, async (req, res) => {
    const values = formValues(req.body, FEEDBACK_FIELDS);
    const parsed = parseForm(feedbackSchema, values);
    if (!parsed.ok) return renderForm(res, values, parsed.errors, 400);
    const saved = await deps.feedback.create(parsed.data, newRefNo(beijingToday()));
    req.session.flash = { kind: 'success', text: `已收到您的反馈，查询编号 ${saved.refNo}。请妥善保存，可凭编号查询办理结果。` };
    res.redirect(303, `/feedback/status?ref=${saved.refNo}`);
  });

  router.get('/feedback/status', async (req, res) => {
    const raw = (parseQuery(req, { ref: queryText(40) }).ref ?? '').trim().toUpperCase();
    if (!raw) return res.render('site/feedback-status.njk', { title: '找错办理结果查询', ref: '', item: null });
    if (!REF_RE.test(raw)) {
      const errors = {
        fields: { ref: '查询编号格式不正确，应为 ZC 加 14 位数字和字母' },
        list: [{ href: '#ref', text: '查询编号格式不正确，应为 ZC 加 14 位数字和字母' }],
      };
      return res.status(400).render('site/feedback-status.njk', { title: '错误：找错办理结果查询', ref: raw, item: null, errors });
    }
    const item = await deps.feedback.byRefNo(raw);
    if (!item) throw new NotFoundError(`未找到编号为 ${raw} 的反馈，请核对编号`);
    res.render('site/feedback-status.njk', {
      title: `找错办理结果 ${item.refNo}`,
      ref: raw,
      item: { ...item, typeLabel: FEEDBACK_TYPES[item.problemType], statusLabel: FEEDBACK_STATUSES[item.status] },
    });
  });

  return router;
}
