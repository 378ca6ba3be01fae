import { Router, type Request, type Response } from 'express';
import type { Services } from '../../services.js';
import { adminRoute } from '../../platform/access.js';
import { NotFoundError } from '../../platform/errors.js';
import { formValues, parseForm, type FormErrors } from '../../platform/forms.js';
import { parseQuery, pathId, queryText } from '../../platform/params.js';
import { answerSchema, FEEDBACK_STATUSES, FEEDBACK_TYPES, type FeedbackStatusKey } from './feedback.js';

const statusOptions = [{ value: '', text: '全部' }, ...Object.entries(FEEDBACK_STATUSES).map(([value, text]) => ({ value, text }))];

/** The credit office's queue of 「我为政府网站找错」 reports: read, then answer (reply text and status), audited. */
export function feedbackAdminRoutes(deps: Services): Router {
  const router = Router();

  adminRoute(router, '/admin', 'GET', '/feedback', async (req, res) => {
    const raw = parseQuery(req, { status: queryText(20) }).status ?? '';
    const status = (raw in FEEDBACK_STATUSES ? raw : '') as FeedbackStatusKey | '';
    const rows = await deps.feedback.list(status);
    res.render('site/admin-list.njk', {
      title: '网站找错',
      nav: 'feedback',
      status,
      statusOptions,
      rows: rows.map((r) => ({ ...r, typeLabel: FEEDBACK_TYPES[r.problemType], statusLabel: FEEDBACK_STATUSES[r.status] })),
    });
  });

  const renderItem = async (req: Request, res: Response, values?: Record<string, string>, errors?: FormErrors, status = 200) => {
    const id = pathId(req, 'id', '该反馈不存在');
    const item = await deps.feedback.byId(id);
    if (!item) throw new NotFoundError('该反馈不存在');
    res.status(status).render('site/admin-item.njk', {
      title: `${errors ? '错误：' : ''}网站找错 ${item.refNo}`,
      nav: 'feedback',
      item: { ...item, typeLabel: FEEDBACK_TYPES[item.problemType], statusLabel: FEEDBACK_STATUSES[item.status] },
      values: values ?? { status: item.status === 'open' ? 'answered' : item.status, answer: item.reply ?? '' },
      errors,
      statusChoices: [
        { value: 'processing', text: FEEDBACK_STATUSES.processing },
        { value: 'answered', text: FEEDBACK_STATUSES.answered },
      ],
    });
  };

  adminRoute(router, '/admin', 'GET', '/feedback/:id', (req, res) => renderItem(req, res));

  adminRoute(router, '/admin', 'POST', '/feedback/:id', async (req, res) => {
    const id = pathId(req, 'id', '该反馈不存在');
    const values = formValues(req.body, ['status', 'answer'] as const);
    const parsed = parseForm(answerSchema, values);
    if (!parsed.ok) return renderItem(req, res, values, parsed.errors, 400);
    const item = await deps.feedback.byId(id);
    if (!item) throw new NotFoundError('该反馈不存在');
    await deps.feedback.answer(id, parsed.data, req.user!.id);
    await deps.audit.byRequest(req, {
      action: 'feedback.answer',
      targetType: 'feedback',
      targetId: id,
      detail: { refNo: item.refNo, status: parsed.data.status },
    });
    req.session.flash = { kind: 'success', text: `已${parsed.data.status === 'answered' ? '答复' : '更新'}反馈 ${item.refNo}` };
    res.redirect(303, `/admin/feedback/${id}`);
  });

  return router;
}
