import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../../services.js';
import { adminRoute, canSeeDepartment, departmentScope } from '../../platform/access.js';
import { ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { parseId, parseQuery, pathId, queryText } from '../../platform/params.js';
import { formValues, parseForm, type FormErrors } from '../../platform/forms.js';
import { maskIdNumber } from '../../domain/identifiers.js';
import { beijingToday, dateColumn, parseDate } from '../../domain/dates.js';
import { LIST_LABELS } from '../lists/service.js';

const measureSchema = z.object({
  listType: z.enum(['red', 'black'], { error: '请选择激励或惩戒' }),
  departmentId: z
    .string({ error: '请选择实施部门' })
    .refine((v) => parseId(v) !== null, '请选择实施部门')
    .transform((v) => parseId(v)!),
  legalBasis: z.string().trim().min(1, '请填写法律依据').max(1000, '法律依据最多 1000 个字'),
  text: z.string().trim().min(1, '请填写措施内容').max(2000, '措施内容最多 2000 个字'),
});

const feedbackSchema = z
  .object({
    status: z.enum(['implemented', 'notImplemented'], { error: '请选择实施情况' }),
    feedbackDate: z.string().trim().min(1, '请填写实施日期'),
    reason: z.string().trim().max(1000, '原因最多 1000 个字').optional(),
    detail: z.string().trim().max(2000, '说明最多 2000 个字').optional(),
  })
  .superRefine((v, ctx) => {
    const d = parseDate(v.feedbackDate);
    if (!d) ctx.addIssue({ code: 'custom', path: ['feedbackDate'], message: '实施日期不是有效日期，应为 YYYY-MM-DD' });
    else if (d > beijingToday()) ctx.addIssue({ code: 'custom', path: ['feedbackDate'], message: '实施日期不能晚于今天' });
    if (v.status === 'notImplemented' && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: '未实施时须说明原因' });
  });

export const TASK_STATUS_LABELS = { pending: '待反馈', implemented: '已实施', notImplemented: '未实施', stopped: '已停止' } as const;

/** 联合奖惩: the measure catalogue, the implementing departments' tasks and their feedback. */
export function measureRoutes(deps: Services): Router {
  const router = Router();

  const renderCatalogue = async (req: Request, res: Response, values: Record<string, string> = { listType: 'black' }, errors?: FormErrors, status = 200) => {
    const [measures, departments] = await Promise.all([deps.measures.catalogue(), deps.measures.departmentOptions()]);
    res.status(status).render('measures/catalogue.njk', {
      title: `${errors ? '错误：' : ''}联合奖惩措施`,
      nav: 'measures',
      measures: measures.map((m) => ({ ...m, listLabel: m.listType === 'red' ? '激励（红名单）' : '惩戒（黑名单）' })),
      departmentOptions: [{ value: '', text: '请选择' }, ...departments.map((d) => ({ value: String(d.id), text: d.name }))],
      values,
      errors,
      canEdit: req.user!.role === 'reviewer',
    });
  };

  adminRoute(router, '/admin', 'GET', '/measures', (req, res) => renderCatalogue(req, res));

  adminRoute(router, '/admin', 'POST', '/measures', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, string>;
    const parsed = parseForm(measureSchema, body);
    if (!parsed.ok) return renderCatalogue(req, res, body, parsed.errors, 400);
    const measureId = await deps.measures.create(parsed.data);
    await deps.audit.byRequest(req, { action: 'measure.create', targetType: 'measure', targetId: measureId, detail: { listType: parsed.data.listType } });
    req.session.flash = { kind: 'success', text: '已添加措施；此后发布的榜单条目会为实施部门生成任务' };
    res.redirect(303, '/admin/measures');
  });

  adminRoute(router, '/admin', 'POST', '/measures/:id/deactivate', async (req, res) => {
    const id = pathId(req, 'id', '措施不存在');
    if (!(await deps.measures.deactivate(id))) throw new NotFoundError('措施不存在');
    await deps.audit.byRequest(req, { action: 'measure.deactivate', targetType: 'measure', targetId: id });
    req.session.flash = { kind: 'success', text: '已停用该措施' };
    res.redirect(303, '/admin/measures');
  });

  /** The task list; with `feedback`, again with that task's feedback form refused (400), its values kept. */
  const renderTasks = async (
    req: Request,
    res: Response,
    status: keyof typeof TASK_STATUS_LABELS,
    feedback?: { taskId: number; values: Record<string, string>; errors: FormErrors },
  ) => {
    const tasks = await deps.measures.tasks(departmentScope(req.user!), status);
    const ids: Record<string, string> = { status: 'status', feedbackDate: 'date', reason: 'reason', detail: 'detail' };
    res.status(feedback ? 400 : 200).render('measures/tasks.njk', {
      title: `${feedback ? '错误：' : ''}联合奖惩任务`,
      nav: 'tasks',
      status,
      statusOptions: Object.entries(TASK_STATUS_LABELS).map(([value, text]) => ({ value, text })),
      tasks: tasks.map((t) => ({
        ...t,
        code: t.entry.uscc ?? (t.entry.docNumber ? maskIdNumber(t.entry.docNumber) : ''),
        listLabel: LIST_LABELS[t.entry.listType],
        statusLabel: TASK_STATUS_LABELS[t.status],
      })),
      feedback: feedback ? { taskId: feedback.taskId, values: feedback.values, fields: feedback.errors.fields } : null,
      errors: feedback
        ? {
            fields: {},
            list: Object.entries(feedback.errors.fields).map(([field, text]) => ({ href: `#${ids[field] ?? 'status'}-${feedback.taskId}`, text })),
          }
        : undefined,
    });
  };

  adminRoute(router, '/admin', 'GET', '/tasks', async (req, res) => {
    const query = parseQuery(req, { status: queryText(40) });
    const status = query.status && query.status in TASK_STATUS_LABELS ? query.status : 'pending';
    await renderTasks(req, res, status as keyof typeof TASK_STATUS_LABELS);
  });

  adminRoute(router, '/admin', 'POST', '/tasks/:id/feedback', async (req, res) => {
    const id = pathId(req, 'id', '任务不存在');
    const task = await deps.measures.task(id);
    if (!task) throw new NotFoundError('任务不存在');
    if (!canSeeDepartment(req.user!, task.departmentId)) throw new ForbiddenError('只能反馈本部门的任务');
    const parsed = parseForm(feedbackSchema, req.body ?? {});
    if (!parsed.ok) {
      const values = formValues(req.body, ['status', 'feedbackDate', 'reason', 'detail']);
      return renderTasks(req, res, 'pending', { taskId: id, values, errors: parsed.errors });
    }
    if (task.status === 'stopped') {
      req.session.flash = { kind: 'error', text: '该主体已退出名单，措施已停止，无需反馈' };
      return res.redirect(303, '/admin/tasks');
    }
    const d = parsed.data;
    await deps.measures.recordFeedback(id, {
      status: d.status,
      feedbackDate: dateColumn(parseDate(d.feedbackDate)!),
      reason: d.reason || null,
      detail: d.detail || null,
      feedbackById: req.user!.id,
    });
    await deps.audit.byRequest(req, { action: 'measure.feedback', targetType: 'measureTask', targetId: id, detail: { status: d.status } });
    req.session.flash = { kind: 'success', text: '已记录反馈' };
    res.redirect(303, '/admin/tasks');
  });

  adminRoute(router, '/admin', 'GET', '/measures/stats', async (_req, res) => {
    const stats = (await deps.measures.feedbackByDepartment())
      .map((r) => ({ ...r, rate: r.total ? r.answered / r.total : null }))
      .sort((a, b) => (a.rate ?? 2) - (b.rate ?? 2));
    res.render('measures/stats.njk', { title: '联合奖惩反馈率', nav: 'measures', stats });
  });

  return router;
}
