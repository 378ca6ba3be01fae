import { Router, type Request, type Response } from 'express';
import { pageLimiter, type Limit } from '../../platform/rate-limit.js';
import type { AppDeps } from '../../deps.js';
import { adminRoute } from '../../platform/access.js';
import { BadRequestError, NotFoundError } from '../../platform/errors.js';
import { parseQuery, pathId, queryText } from '../../platform/params.js';
import { parseForm, type FormErrors } from '../../platform/forms.js';
import { maskIdNumber, validateIdNumber } from '../../domain/identifiers.js';
import { beijingToday, isoDay } from '../../domain/dates.js';
import type { ObjectionStatus } from '../../generated/prisma/enums.js';
import { attachmentParser, acceptedFiles, sendAttachment } from '../../platform/attachments.js';
import { CASE_NO_RE, conflictAsForm, deadline, maskName } from '../cases/case.js';
import { ACCEPT_WORKDAYS, ANSWER_WORKDAYS, OBJECTION_STATUS_LABELS, OPEN_STATUSES, objectionTarget, sameSubject } from './service.js';
import { CORRECTION_HINTS, OBJECTION_KIND_LABELS, adminHref, type ObjectionKind } from './kinds.js';
import { answerSchema, objectionSchema, officeDecisionSchema } from './schemas.js';

const KINDS: Record<string, ObjectionKind> = { permits: 'permit', penalties: 'penalty' };

/** Where each kind's objection form lives, beside the record's own public page. */
export const OBJECTION_FORM_PATHS = ['/publicity/:plural/:id/objection', '/lists/entries/:id/objection', '/commitments/:id/objection'] as const;
const formPath = (kind: ObjectionKind, id: number) =>
  kind === 'entry'
    ? `/lists/entries/${id}/objection`
    : kind === 'commitment'
      ? `/commitments/${id}/objection`
      : `/publicity/${kind === 'permit' ? 'permits' : 'penalties'}/${id}/objection`;

/** A document number shown on a case page: a person's masked (anything that is a valid ID number is one). */
const shownCode = (code: string) => (validateIdNumber(code).ok ? maskIdNumber(code) : code);

/**
 * Multipart parsing of the public objection and repair forms, before the CSRF check, behind one per-IP limit
 * shared by all of them (mounted in app.ts): enough for a subject with several records, too few to flood the office.
 */
export function caseUploadMiddleware(limit: Limit = { windowMs: 60 * 60_000, limit: 20 }) {
  return [pageLimiter(limit, '提交过于频繁，请一小时后再试。'), attachmentParser()];
}

function kindOf(plural: unknown): ObjectionKind {
  const kind = KINDS[String(plural)];
  if (!kind) throw new NotFoundError();
  return kind;
}

export function objectionRoutes(deps: AppDeps): Router {
  const router = Router();

  // ---- the public side ----
  const renderForm = async (res: Response, kind: ObjectionKind, id: number, values: Record<string, string>, errors?: FormErrors, status = 200) => {
    const rec = await deps.objections.publicRecord(kind, id);
    res.status(status).render('objections/new.njk', {
      title: `${errors ? '错误：' : ''}我要异议`,
      nav: 'objections',
      kindLabel: OBJECTION_KIND_LABELS[kind],
      recordHref: rec.publicHref,
      action: formPath(kind, id),
      rec: { subjectName: rec.subjectName, documentNo: rec.documentNo, department: rec.departmentName },
      open: (await deps.objections.openAmong(kind, [id])).size > 0,
      values,
      errors,
      acceptDays: ACCEPT_WORKDAYS,
      answerDays: ANSWER_WORKDAYS,
    });
  };

  const showForm = (kindFor: (req: Request) => ObjectionKind) => async (req: Request, res: Response) =>
    renderForm(res, kindFor(req), pathId(req, 'id', '该记录不存在'), {});
  const submit = (kindFor: (req: Request) => ObjectionKind) => async (req: Request, res: Response) => {
    const kind = kindFor(req);
    const id = pathId(req, 'id', '该记录不存在');
    const body = (req.body ?? {}) as Record<string, string>;
    const parsed = parseForm(objectionSchema, body);
    const { files, error: badFile } = acceptedFiles(req);
    const errors: FormErrors = parsed.ok ? { fields: {}, list: [] } : parsed.errors;
    if (parsed.ok) {
      const rec = await deps.objections.publicRecord(kind, id);
      if (!sameSubject(parsed.data.subjectCode, rec)) {
        errors.fields.subjectCode = '填写的代码与该记录的行政相对人不一致：只能对本单位（本人）的记录提出异议';
        errors.list.push({ href: '#subjectCode', text: errors.fields.subjectCode });
      }
    }
    if (badFile) {
      errors.fields.attachments = badFile;
      errors.list.push({ href: '#attachments', text: badFile });
    }
    if (!parsed.ok || errors.list.length) return renderForm(res, kind, id, body, errors, 400);
    const caseNo = await deps.objections.file(kind, id, parsed.data, files, req.ip ?? null);
    req.session.flash = { kind: 'success', text: `异议已提交，案件编号 ${caseNo}。请记下编号，凭编号查询办理进度。` };
    res.redirect(303, `/objections/${caseNo}`);
  };
  const byPlural = (req: Request) => kindOf(req.params.plural);
  const fixed = (kind: ObjectionKind) => () => kind;
  for (const [path, kindFor] of [
    [OBJECTION_FORM_PATHS[0], byPlural],
    [OBJECTION_FORM_PATHS[1], fixed('entry')],
    [OBJECTION_FORM_PATHS[2], fixed('commitment')],
  ] as const) {
    router.get(path, showForm(kindFor));
    router.post(path, submit(kindFor));
  }

  router.get('/objections', async (req, res) => {
    const no = (parseQuery(req, { no: queryText(40) }).no ?? '').trim().toUpperCase();
    let error = '';
    if (no) {
      if (CASE_NO_RE.test(no)) return res.redirect(303, `/${no.startsWith('YY') ? 'objections' : 'repairs'}/${no}`);
      error = '案件编号应为 YY 或 XF 开头的 16 位编号，例如 YY20261127ABC234';
    }
    res.status(error ? 400 : 200).render('objections/index.njk', {
      title: `${error ? '错误：' : ''}异议与信用修复`,
      nav: 'objections',
      values: { no },
      errors: error ? { fields: { no: error }, list: [{ href: '#no', text: error }] } : undefined,
      rules: (await deps.repairs.rules()).filter((r) => r.active),
      acceptDays: ACCEPT_WORKDAYS,
      answerDays: ANSWER_WORKDAYS,
    });
  });

  router.get('/objections/:no', async (req, res) => {
    const no = String(req.params.no).toUpperCase();
    if (!CASE_NO_RE.test(no)) throw new BadRequestError('案件编号格式不正确');
    const o = await deps.objections.byCaseNo(no);
    if (!o) throw new NotFoundError(`未找到案件编号为 ${no} 的异议，请核对编号`);
    const target = objectionTarget(o);
    const rec = await deps.objections.publicRecord(target.kind, target.id).catch(() => null);
    res.render('objections/case.njk', {
      title: `异议办理进度 ${o.caseNo}`,
      nav: 'objections',
      o: {
        ...o,
        statusLabel: OBJECTION_STATUS_LABELS[o.status],
        applicant: maskName(o.applicantName),
        subjectCode: shownCode(o.subjectCode),
        kindLabel: OBJECTION_KIND_LABELS[target.kind],
        recordHref: rec?.publicHref ?? null,
        acceptBy: isoDay(o.acceptBy),
        answerBy: isoDay(o.answerBy),
        open: OPEN_STATUSES.includes(o.status),
      },
    });
  });

  // ---- the back office ----
  adminRoute(router, '', 'GET', '/admin/objections', async (req, res) => {
    const query = parseQuery(req, { status: queryText(40) });
    const status = (Object.keys(OBJECTION_STATUS_LABELS) as ObjectionStatus[]).includes(query.status as ObjectionStatus)
      ? (query.status as ObjectionStatus)
      : '';
    const rows = await deps.objections.listFor(req.user!, status);
    const today = beijingToday();
    const cal = deps.publicity.calendar;
    res.render('objections/admin-list.njk', {
      title: '异议处理',
      nav: 'objections-admin',
      status,
      statusOptions: [{ value: '', text: '全部' }, ...Object.entries(OBJECTION_STATUS_LABELS).map(([value, text]) => ({ value, text }))],
      rows: rows.map((o) => ({
        ...o,
        statusLabel: OBJECTION_STATUS_LABELS[o.status],
        due:
          o.status === 'submitted'
            ? deadline(isoDay(o.acceptBy), today, cal)
            : o.status === 'accepted' && o.answerBy
              ? deadline(isoDay(o.answerBy), today, cal)
              : null,
      })),
    });
  });

  const renderCase = async (req: Request, res: Response, id: number, errors?: FormErrors, status = 200) => {
    const o = await deps.objections.forUser(id, req.user!);
    const today = beijingToday();
    const cal = deps.publicity.calendar;
    const target = objectionTarget(o);
    const issueId = target.kind === 'entry' ? await deps.objections.entryIssueId(target.id) : undefined;
    const user = req.user!;
    res.status(status).render('objections/admin-case.njk', {
      title: `${errors ? '错误：' : ''}异议 ${o.caseNo}`,
      nav: 'objections-admin',
      o: {
        ...o,
        statusLabel: OBJECTION_STATUS_LABELS[o.status],
        kindLabel: OBJECTION_KIND_LABELS[target.kind],
        subjectCode: shownCode(o.subjectCode),
        recordHref: adminHref(target.kind, { id: target.id, ...(issueId ? { issueId } : {}) }),
        correctionHint: CORRECTION_HINTS[target.kind],
        submittedDay: beijingToday(o.submittedAt),
        acceptDue: deadline(isoDay(o.acceptBy), today, cal, o.status === 'submitted'),
        answerDue: o.answerBy ? deadline(isoDay(o.answerBy), today, cal, o.status === 'accepted') : null,
      },
      canDecide: user.role === 'reviewer' && o.status === 'submitted',
      canAnswer: user.role === 'clerk' && user.departmentId === o.departmentId && o.status === 'accepted',
      values: (req.body ?? {}) as Record<string, string>,
      errors,
    });
  };

  adminRoute(router, '', 'GET', '/admin/objections/:id', async (req, res) => renderCase(req, res, pathId(req, 'id', '异议不存在')));

  adminRoute(router, '', 'GET', '/admin/objections/:id/attachments/:attachmentId', async (req, res) => {
    const o = await deps.objections.forUser(pathId(req, 'id', '异议不存在'), req.user!);
    await sendAttachment(
      res,
      deps.uploadDir,
      o.attachments.find((x) => x.id === pathId(req, 'attachmentId', '附件不存在')),
    );
  });

  adminRoute(router, '', 'POST', '/admin/objections/:id/decision', async (req, res) => {
    const id = pathId(req, 'id', '异议不存在');
    const parsed = parseForm(officeDecisionSchema, req.body ?? {});
    if (!parsed.ok) return renderCase(req, res, id, parsed.errors, 400);
    const failed = await conflictAsForm(() => deps.objections.decide(id, parsed.data.decision, parsed.data.note, req.user!, req.ip ?? null));
    if (failed) return renderCase(req, res, id, failed, 409);
    req.session.flash = {
      kind: 'success',
      text: parsed.data.decision === 'accept' ? `已受理，已转数据来源单位核查（${ANSWER_WORKDAYS} 个工作日内答复）` : '已决定不予受理',
    };
    res.redirect(303, `/admin/objections/${id}`);
  });

  adminRoute(router, '', 'POST', '/admin/objections/:id/answer', async (req, res) => {
    const id = pathId(req, 'id', '异议不存在');
    const parsed = parseForm(answerSchema, req.body ?? {});
    if (!parsed.ok) return renderCase(req, res, id, parsed.errors, 400);
    const failed = await conflictAsForm(() => deps.objections.answer(id, parsed.data.outcome, parsed.data.answer, req.user!, req.ip ?? null));
    if (failed) return renderCase(req, res, id, failed, 409);
    req.session.flash = { kind: 'success', text: '已答复，申请人可凭案件编号查看结果' };
    res.redirect(303, `/admin/objections/${id}`);
  });

  return router;
}
