import { Router, type Request, type Response } from 'express';
import type { Services } from '../../services.js';
import { adminRoute } from '../../platform/access.js';
import { ConflictError, NotFoundError } from '../../platform/errors.js';
import { parseId, parseQuery, pathId, queryText } from '../../platform/params.js';
import { formValues, parseForm, type FormErrors } from '../../platform/forms.js';
import { maskIdNumber } from '../../domain/identifiers.js';
import { CATEGORY_LABELS, DOC_TYPES, SUBJECT_CATEGORIES } from '../../domain/publicity/fields.js';
import { beijingToday, isoDay } from '../../domain/dates.js';
import {
  DEFAULT_NOTICE_DAYS,
  DEFAULT_OBJECTION_DAYS,
  RESPONSIBLE_ROLES,
  issueSchema,
  nominationSchema,
  noticeSchema,
  personField,
  priorNoticeSchema,
  reasonSchema,
  reviewRequestSchema,
  reviewSchema,
} from './schemas.js';
import { priorNoticeContent, renderPriorNotice } from './prior-notice.js';
import { requestBaseUrl } from '../reports/routes.js';
import { entryStage, listTier, personsText } from './procedure.js';
import { acceptedFiles, sendAttachment, storeFiles } from '../../platform/attachments.js';
import { LIST_LABELS, NOMINATION_STATUS_LABELS, priorNoticeOf } from './service.js';
import type { NominationStatusFilter } from './repository.js';

const STATUS_FILTERS = ['', 'pending', 'accepted', 'rejected', 'listed'] as const;

export function listAdminRoutes(deps: Services): Router {
  const router = Router();

  // ---- nominations (clerks) and their review (credit office) ----
  adminRoute(router, '/admin', 'GET', '/nominations', async (req, res) => {
    const query = parseQuery(req, { status: queryText(40) });
    const status = STATUS_FILTERS.includes(query.status as never) ? (query.status as string) : '';
    const rows = await deps.listRepo.nominationsFor(req.user!, status as NominationStatusFilter);
    res.render('lists/admin-nominations.njk', {
      title: '红黑名单推荐',
      nav: 'nominations',
      status,
      rows: rows.map((r) => ({ ...r, listLabel: LIST_LABELS[r.listType], statusLabel: NOMINATION_STATUS_LABELS[r.status] })),
      canNominate: req.user!.role === 'clerk',
      statusOptions: [{ value: '', text: '全部' }, ...Object.entries(NOMINATION_STATUS_LABELS).map(([value, text]) => ({ value, text }))],
    });
  });

  const renderForm = (res: Response, values: Record<string, string>, errors?: FormErrors, status = 200) =>
    res.status(status).render('lists/admin-nomination-form.njk', {
      title: `${errors ? '错误：' : ''}推荐列入红黑名单`,
      nav: 'nominations',
      values,
      errors,
      categoryOptions: SUBJECT_CATEGORIES.map((c) => ({ value: c, text: c })),
      personFields: RESPONSIBLE_ROLES.map((r) => ({ name: personField(r.key), label: r.label })),
      docTypeOptions: [{ value: '', text: '（法人等主体不填）' }, ...DOC_TYPES.map((d) => ({ value: d, text: d }))],
    });

  adminRoute(router, '/admin', 'GET', '/nominations/new', (_req, res) => renderForm(res, { listType: 'black', subjectCategory: CATEGORY_LABELS.legal }));

  adminRoute(router, '/admin', 'POST', '/nominations', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, string>;
    const parsed = parseForm(nominationSchema(), body);
    const { files, error: badFile } = acceptedFiles(req);
    if (!parsed.ok || badFile) {
      const errors: FormErrors = parsed.ok ? { fields: {}, list: [] } : parsed.errors;
      if (badFile) {
        errors.fields.attachments = badFile;
        errors.list.push({ href: '#attachments', text: badFile });
      }
      return renderForm(res, { ...body, docNumber: '' }, errors, 400);
    }
    // 条例 Art. 20: a black-list entry rests only on 失信信息 (src/features/disclosure).
    const basisProblem = parsed.data.listType === 'black' ? await deps.disclosure.basisProblem(parsed.data) : null;
    if (basisProblem)
      return renderForm(res, { ...body, docNumber: '' }, { fields: { basisDocNo: basisProblem }, list: [{ href: '#basisDocNo', text: basisProblem }] }, 400);
    const id = await deps.lists.nominate(parsed.data, req.user!, req.ip ?? null);
    if (files.length) {
      const stored = await storeFiles(deps.uploadDir, files);
      await deps.listRepo.addAttachments(id, stored);
    }
    req.session.flash = { kind: 'success', text: '已提交推荐，等待信用办审核' };
    res.redirect(303, `/admin/nominations/${id}`);
  });

  /** The nomination page; `form` names the form that was refused (its values kept), so its errors show beside it. */
  const renderNomination = async (
    req: Request,
    res: Response,
    id: number,
    errors?: FormErrors,
    status = 200,
    form?: { name: 'review' | 'priorNotice' | 'reviewRequest'; values: Record<string, string> },
  ) => {
    const n = await deps.lists.nominationForUser(id, req.user!);
    const today = beijingToday();
    const user = req.user!;
    const mayAct = user.role === 'reviewer' || (user.role === 'clerk' && user.departmentId === n.departmentId);
    const black = n.listType === 'black';
    const objectionEndsOn = n.objectionEndsOn ? isoDay(n.objectionEndsOn) : null;
    res.status(status).render('lists/admin-nomination.njk', {
      title: `${errors ? '错误：' : ''}推荐详情`,
      nav: 'nominations',
      n: {
        ...n,
        docNumber: n.docNumber ? maskIdNumber(n.docNumber) : null,
        listLabel: LIST_LABELS[n.listType],
        statusLabel: NOMINATION_STATUS_LABELS[n.status],
        categoryLabel: CATEGORY_LABELS[n.subjectCategory],
        persons: personsText(n.responsiblePersons),
        tier: listTier(n.listType),
        // Where its entry stands (公示中, withdrawn …); objections are not looked up here, the issue page shows them.
        stage: n.entry?.issue.publishedAt ? entryStage(n.entry, today, false) : null,
      },
      priorNotice: black
        ? {
            served: n.priorNoticeServedOn !== null,
            servedOn: n.priorNoticeServedOn ? isoDay(n.priorNoticeServedOn) : null,
            objectionEndsOn,
            windowOpen: objectionEndsOn !== null && objectionEndsOn >= today,
            canEdit: mayAct && (n.status === 'pending' || n.status === 'accepted'),
            values:
              form?.name === 'priorNotice'
                ? form.values
                : {
                    noticeNo: n.priorNoticeNo ?? '',
                    measures: n.priorNoticeMeasures ?? '',
                    servedOn: n.priorNoticeServedOn ? isoDay(n.priorNoticeServedOn) : today,
                    objectionDays: String(n.objectionDays ?? DEFAULT_OBJECTION_DAYS),
                  },
          }
        : null,
      reviewRequest:
        black && n.entry
          ? {
              requestedOn: n.entry.reviewRequestedOn ? isoDay(n.entry.reviewRequestedOn) : null,
              note: n.entry.reviewNote,
              canEdit: mayAct,
              values: form?.name === 'reviewRequest' ? form.values : { requestedOn: today, note: '' },
            }
          : null,
      canReview: user.role === 'reviewer' && n.status === 'pending',
      errors,
    });
  };

  adminRoute(router, '/admin', 'GET', '/nominations/:id', async (req, res) => renderNomination(req, res, pathId(req, 'id', '推荐不存在')));

  adminRoute(router, '/admin', 'GET', '/nominations/:id/attachments/:attachmentId', async (req, res) => {
    const n = await deps.lists.nominationForUser(pathId(req, 'id', '推荐不存在'), req.user!);
    const a = await deps.listRepo.attachment(n.id, pathId(req, 'attachmentId', '附件不存在'));
    await sendAttachment(res, deps.uploadDir, a);
  });

  adminRoute(router, '/admin', 'POST', '/nominations/:id/review', async (req, res) => {
    const id = pathId(req, 'id', '推荐不存在');
    const parsed = parseForm(reviewSchema, req.body ?? {});
    if (!parsed.ok) return renderNomination(req, res, id, parsed.errors, 400, { name: 'review', values: {} });
    await deps.lists.review(id, parsed.data.decision, parsed.data.comment, req.user!, req.ip ?? null);
    req.session.flash = { kind: 'success', text: parsed.data.decision === 'accept' ? '已审核通过，可编入榜单' : '已审核不予通过' };
    res.redirect(303, `/admin/nominations/${id}`);
  });

  // ---- black list: prior notice (事前告知, 条例 Art. 28) and the provincial review request ----
  adminRoute(router, '/admin', 'POST', '/nominations/:id/prior-notice', async (req, res) => {
    const id = pathId(req, 'id', '推荐不存在');
    const parsed = parseForm(priorNoticeSchema(), req.body ?? {});
    if (!parsed.ok) {
      const values = formValues(req.body, ['noticeNo', 'measures', 'servedOn', 'objectionDays']);
      return renderNomination(req, res, id, parsed.errors, 400, { name: 'priorNotice', values });
    }
    const endsOn = await deps.lists.servePriorNotice(id, parsed.data, req.user!, req.ip ?? null);
    req.session.flash = { kind: 'success', text: `已登记事前告知书送达，异议期至 ${endsOn}` };
    res.redirect(303, `/admin/nominations/${id}`);
  });

  adminRoute(router, '/admin', 'GET', '/nominations/:id/prior-notice.pdf', async (req, res) => {
    const n = await deps.lists.nominationForUser(pathId(req, 'id', '推荐不存在'), req.user!);
    const notice = priorNoticeOf(n);
    if (!notice) throw new NotFoundError('尚未登记事前告知书');
    const issued = await deps.reports.issueDocument({
      docNo: notice.docNo!,
      content: priorNoticeContent(notice),
      subjectName: notice.subjectName,
      userId: req.user!.id,
      baseUrl: requestBaseUrl(req),
      render: (qr) => renderPriorNotice(notice, qr),
    });
    if (issued.qrText) res.set('X-Report-QR', issued.qrText);
    const pdf = issued.pdf;
    res.attachment(`事前告知书-${n.id}.pdf`);
    res.type('application/pdf').set('Cache-Control', 'private, no-store').send(pdf);
  });

  adminRoute(router, '/admin', 'POST', '/nominations/:id/review-request', async (req, res) => {
    const id = pathId(req, 'id', '推荐不存在');
    const parsed = parseForm(reviewRequestSchema(), req.body ?? {});
    if (!parsed.ok) {
      return renderNomination(req, res, id, parsed.errors, 400, { name: 'reviewRequest', values: formValues(req.body, ['requestedOn', 'note']) });
    }
    await deps.lists.recordReviewRequest(id, parsed.data.requestedOn, parsed.data.note, req.user!, req.ip ?? null);
    req.session.flash = { kind: 'success', text: '已登记向省级主管部门申请复核' };
    res.redirect(303, `/admin/nominations/${id}`);
  });

  // ---- quarterly issues (credit office) ----
  const renderIssues = async (req: Request, res: Response, form?: { values: Record<string, string>; errors: FormErrors }) => {
    const issues = await deps.listRepo.issues();
    const today = beijingToday();
    res.status(form ? 400 : 200).render('lists/admin-issues.njk', {
      title: `${form ? '错误：' : ''}红黑榜发布`,
      nav: 'list-issues',
      issues,
      values: form?.values ?? {
        year: today.slice(0, 4),
        quarter: String(Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1),
        noticeDays: String(DEFAULT_NOTICE_DAYS),
      },
      errors: form?.errors,
      canEdit: req.user!.role === 'reviewer',
    });
  };

  adminRoute(router, '/admin', 'GET', '/list-issues', (req, res) => renderIssues(req, res));

  adminRoute(router, '/admin', 'POST', '/list-issues', async (req, res) => {
    const parsed = parseForm(issueSchema, req.body ?? {});
    if (!parsed.ok) {
      return renderIssues(req, res, { values: formValues(req.body, ['year', 'quarter', 'noticeDays']), errors: parsed.errors });
    }
    const id = await deps.lists.createIssue(parsed.data.year, parsed.data.quarter, req.user!, req.ip ?? null, parsed.data.noticeDays);
    res.redirect(303, `/admin/list-issues/${id}`);
  });

  /** An issue's page; with `exit`, again with the exit (or withdrawal) form of that entry refused (400) and its reason kept. */
  const renderIssue = async (
    req: Request,
    res: Response,
    id: number,
    exit?: { entryId: number; reason: string; errors: FormErrors; what?: '退出原因' | '撤回理由' },
  ) => {
    const issue = await deps.listRepo.issue(id);
    if (!issue) throw new NotFoundError('榜单不存在');
    const today = beijingToday();
    const open = await deps.cases.disputedAmong(
      'entry',
      issue.entries.map((e) => e.id),
    );
    const candidates = issue.publishedAt ? [] : await deps.listRepo.acceptedNominations();
    res.status(exit ? 400 : 200).render('lists/admin-issue.njk', {
      title: `${exit ? '错误：' : ''}${issue.title}`,
      nav: 'list-issues',
      issue,
      entries: issue.entries.map((e) => ({
        ...e,
        listLabel: LIST_LABELS[e.listType],
        code: e.uscc ?? (e.docNumber ? maskIdNumber(e.docNumber) : ''),
        stage: entryStage(e, today, open.has(e.id)),
        tier: listTier(e.listType),
        persons: personsText(e.nomination.responsiblePersons),
      })),
      candidates: candidates.map((c) => ({ ...c, listLabel: LIST_LABELS[c.listType], code: c.uscc ?? (c.docNumber ? maskIdNumber(c.docNumber) : '') })),
      canEdit: req.user!.role === 'reviewer',
      exit: exit ? { entryId: exit.entryId, reason: exit.reason } : null,
      errors: exit
        ? {
            fields: {},
            list: exit.errors.list.map((e) => ({
              href: `#exit-reason-${exit.entryId}`,
              text: e.text.replace('请填写原因', `请填写${exit.what ?? '退出原因'}`),
            })),
          }
        : undefined,
    });
  };

  adminRoute(router, '/admin', 'GET', '/list-issues/:id', (req, res) => renderIssue(req, res, pathId(req, 'id', '榜单不存在')));

  const action = (path: string, run: (req: Request, id: number) => Promise<string>) =>
    adminRoute(router, '/admin', 'POST', path, async (req, res) => {
      const id = pathId(req, 'id', '榜单不存在');
      req.session.flash = { kind: 'success', text: await run(req, id) };
      res.redirect(303, `/admin/list-issues/${id}`);
    });

  action('/list-issues/:id/entries', async (req, id) => {
    const raw = (req.body as Record<string, unknown> | undefined)?.nominationId;
    const ids = (Array.isArray(raw) ? raw : raw ? [raw] : []).map(parseId).filter((n): n is number => n !== null);
    const n = await deps.lists.addEntries(id, ids, req.user!, req.ip ?? null);
    return `已编入 ${n} 条`;
  });
  action('/list-issues/:id/entries/:entryId/remove', async (req, id) => {
    await deps.lists.removeEntry(id, pathId(req, 'entryId', '条目不存在'), req.user!, req.ip ?? null);
    return '已从草稿中移除';
  });
  action('/list-issues/:id/publish', async (req, id) => {
    // 条例 Art. 20: publication creates the joint-measure tasks; a basis that stopped being 失信信息 since the
    // nomination (a challenge filed, a decision changed) holds the issue back.
    const problems = await deps.disclosure.issueProblems(id);
    if (problems.length) throw new ConflictError(`不能发布：${problems.join('；')}`);
    await deps.lists.publish(id, req.user!, req.ip ?? null);
    return '榜单已发布';
  });
  action('/list-issues/:id/notices', async (req, id) => {
    const parsed = parseForm(noticeSchema, req.body ?? {});
    if (!parsed.ok) return parsed.errors.list[0]!.text;
    await deps.lists.correct(id, parsed.data.text, req.user!, req.ip ?? null);
    return '更正公告已发布';
  });

  adminRoute(router, '/admin', 'POST', '/list-entries/:id/withdraw', async (req, res) => {
    const entryId = pathId(req, 'id', '条目不存在');
    const issueId = await deps.listRepo.entryIssueId(entryId);
    if (issueId === null) throw new NotFoundError('条目不存在');
    const parsed = parseForm(reasonSchema, req.body ?? {});
    if (!parsed.ok) {
      return renderIssue(req, res, issueId, { entryId, reason: formValues(req.body, ['reason']).reason, errors: parsed.errors, what: '撤回理由' });
    }
    await deps.lists.withdraw(entryId, parsed.data.reason, req.user!, req.ip ?? null);
    req.session.flash = { kind: 'success', text: '已撤回，不予列入的公告已发布' };
    res.redirect(303, `/admin/list-issues/${issueId}`);
  });

  adminRoute(router, '/admin', 'POST', '/list-entries/:id/exit', async (req, res) => {
    const entryId = pathId(req, 'id', '条目不存在');
    const issueId = await deps.listRepo.entryIssueId(entryId);
    if (issueId === null) throw new NotFoundError('条目不存在');
    const parsed = parseForm(reasonSchema, req.body ?? {});
    if (!parsed.ok) {
      return renderIssue(req, res, issueId, { entryId, reason: formValues(req.body, ['reason']).reason, errors: parsed.errors });
    }
    await deps.lists.exit(entryId, parsed.data.reason, req.user!, req.ip ?? null);
    req.session.flash = { kind: 'success', text: '已退出，退出公告已发布' };
    res.redirect(303, `/admin/list-issues/${issueId}`);
  });

  return router;
}
