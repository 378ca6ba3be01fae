import { Router, type Request, type Response } from 'express';
import { pageLimiter, type Limit, type RateLimitStores } from '../../platform/rate-limit.js';
import { adminRoute } from '../../platform/access.js';
import { BadRequestError, NotFoundError } from '../../platform/errors.js';
import { parseQuery, pathId, queryText } from '../../platform/params.js';
import { formValues, parseForm, type FormErrors } from '../../platform/forms.js';
import { attachmentParser, acceptedFiles, sendAttachment } from '../../platform/attachments.js';
import { CASE_NO_RE, conflictAsForm, maskName } from './case.js';
import type { CaseDetailRow, CaseKind, CaseRow } from './kind.js';
import type { CaseService } from './service.js';
import { ACCEPT_WORKDAYS, ANSWER_WORKDAYS, SETTLE_WORKDAYS, objectionKind, pauseSchema } from './objection/definition.js';
import { repairKind } from './repair/definition.js';
import { archiveKind, OFFICE_WORKDAYS as ARCHIVE_WORKDAYS } from './archive/definition.js';

/**
 * The routes of every kind of case, from its definition: the public filing form(s) and status page, the
 * back-office list, case page, evidence download and one POST per step. URLs are the kind's own
 * (/objections/:no, /admin/repairs/:id/office …), so each kind keeps its addresses.
 */

/** Every filing form's POST path: they take multipart uploads, parsed before the CSRF check (app.ts). */
export const CASE_FILING_PATHS: readonly string[] = [...objectionKind.filing.paths, ...repairKind.filing.paths, ...archiveKind.filing.paths].map((p) => p.path);

/**
 * Multipart parsing of the public filing forms, before the CSRF check, behind one per-IP limit shared by all of
 * them (mounted in app.ts): enough for a subject with several records, too few to flood the office.
 */
export function caseUploadMiddleware(stores: RateLimitStores, limit: Limit = { windowMs: 60 * 60_000, limit: 20 }) {
  return [pageLimiter(stores, 'case-filing', limit, '提交过于频繁，请一小时后再试。'), attachmentParser()];
}

export function caseRoutes(cases: CaseService, uploadDir: string): Router {
  const router = Router();
  mountKind(router, objectionKind, cases, uploadDir);
  mountKind(router, repairKind, cases, uploadDir);
  mountKind(router, archiveKind, cases, uploadDir);

  // 档案化申请 (条例 Art. 44): the record is usually no longer public, so the applicant names it by its 文书号 and
  // the subject's own code; only a match leads to the filing form.
  router.get('/archive-requests', async (req, res) => {
    const q = parseQuery(req, { documentNo: queryText(64), subjectCode: queryText(64) });
    const documentNo = (q.documentNo ?? '').trim();
    const subjectCode = (q.subjectCode ?? '').trim();
    if (!documentNo || !subjectCode) throw new BadRequestError('请填写处罚决定书文号和行政相对人的统一社会信用代码（或证件号码）');
    const id = await cases.findArchivable(documentNo, subjectCode);
    if (id === null) throw new NotFoundError('未找到与该文书号和代码对应、尚未归档的行政处罚信息，请核对后重试');
    res.redirect(303, archiveKind.filing.action(id));
  });

  // 条例 Art. 41: time for tests, inspection, quarantine, appraisal or expert review does not count.
  adminRoute(router, '', 'POST', '/admin/objections/:id/pause', async (req, res) => {
    const id = pathId(req, 'id', objectionKind.text.notFound);
    const parsed = parseForm(pauseSchema, req.body ?? {});
    if (!parsed.ok) throw new BadRequestError(parsed.errors.list.map((e) => e.text).join('；'));
    await cases.startPause(id, { reason: parsed.data.reason, note: parsed.data.pauseNote }, req.user!, req.ip ?? null);
    req.session.flash = { kind: 'success', text: '已暂停计时：暂停期间不计入办理期限' };
    res.redirect(303, `/admin/objections/${id}`);
  });
  adminRoute(router, '', 'POST', '/admin/objections/:id/resume', async (req, res) => {
    const id = pathId(req, 'id', objectionKind.text.notFound);
    const { pausedWorkdays } = await cases.endPause(id, req.user!, req.ip ?? null);
    req.session.flash = { kind: 'success', text: `已恢复计时，办理期限顺延 ${pausedWorkdays} 个工作日` };
    res.redirect(303, `/admin/objections/${id}`);
  });

  // The public page of both kinds: the case-number lookup and what each procedure is.
  const kinds = [objectionKind, repairKind, archiveKind];
  router.get('/objections', async (req, res) => {
    const no = (parseQuery(req, { no: queryText(40) }).no ?? '').trim().toUpperCase();
    let error = '';
    if (no) {
      const kind = CASE_NO_RE.test(no) ? kinds.find((k) => no.startsWith(k.prefix)) : undefined;
      if (kind) return res.redirect(303, `${kind.statusPath}/${no}`);
      error = '案件编号应为 YY、XF 或 GD 开头的 16 位编号，例如 YY20261127ABC234';
    }
    res.status(error ? 400 : 200).render('cases/index.njk', {
      title: `${error ? '错误：' : ''}异议与信用修复`,
      nav: 'objections',
      values: { no },
      errors: error ? { fields: { no: error }, list: [{ href: '#no', text: error }] } : undefined,
      rules: (await cases.repairRules()).filter((r) => r.active),
      acceptDays: ACCEPT_WORKDAYS,
      archiveDays: ARCHIVE_WORKDAYS,
      answerDays: ANSWER_WORKDAYS,
      settleDays: SETTLE_WORKDAYS,
    });
  });
  return router;
}

function urgency(due: { overdue: boolean; dueToday: boolean } | null): number {
  return due?.overdue ? 0 : due?.dueToday ? 1 : 2;
}

function statusOf<S extends string>(statuses: Record<S, string>, value: string | undefined): S | '' {
  return (Object.keys(statuses) as S[]).find((s) => s === value) ?? '';
}

function mountKind<S extends string, D extends CaseDetailRow<S>, P extends CaseRow<S>, T, I, R>(
  router: Router,
  kind: CaseKind<S, D, P, T, I, R>,
  cases: CaseService,
  uploadDir: string,
): void {
  const shown = {
    key: kind.key,
    noun: kind.noun,
    adminPath: kind.adminPath,
    statusPath: kind.statusPath,
    text: kind.text,
    filing: kind.filing.view,
    views: kind.views,
  };

  // ---- the public side ----
  const renderForm = async (res: Response, target: T, values: Record<string, string>, errors?: FormErrors, status = 200) => {
    const page = await cases.filingPage(kind, target);
    res.status(status).render('cases/new.njk', {
      title: `${errors ? '错误：' : ''}${kind.filing.title}`,
      nav: 'objections',
      kind: shown,
      heading: kind.filing.title,
      action: kind.filing.action(target),
      ...page,
      values,
      errors,
    });
  };

  for (const filing of kind.filing.paths) {
    const targetOf = (req: Request) => filing.target(req, pathId(req, 'id', '该记录不存在'));
    router.get(filing.path, async (req, res) => renderForm(res, targetOf(req), {}));
    router.post(filing.path, async (req, res) => {
      const target = targetOf(req);
      const values = formValues(req.body, kind.filing.fields);
      const parsed = parseForm(kind.filing.schema, req.body ?? {});
      const { files, error: badFile } = acceptedFiles(req);
      const errors: FormErrors = parsed.ok ? { fields: {}, list: [] } : parsed.errors;
      if (parsed.ok) {
        const wrong = kind.filing.sameSubject(parsed.data, await cases.record(kind, target));
        if (wrong) {
          errors.fields.subjectCode = wrong;
          errors.list.push({ href: '#subjectCode', text: wrong });
        }
      }
      const fileError = badFile ?? (kind.filing.requiredFiles && !files.length ? kind.filing.requiredFiles : null);
      if (fileError) {
        errors.fields.attachments = fileError;
        errors.list.push({ href: '#attachments', text: fileError });
      }
      if (!parsed.ok || errors.list.length) return renderForm(res, target, values, errors, 400);
      const filed = await cases.file(kind, target, parsed.data, files, req.ip ?? null);
      req.session.flash = filed.flash;
      res.redirect(303, `${kind.statusPath}/${filed.caseNo}`);
    });
  }

  router.get(`${kind.statusPath}/:no`, async (req, res) => {
    const no = String(req.params.no).toUpperCase();
    if (!CASE_NO_RE.test(no) || !no.startsWith(kind.prefix)) throw new BadRequestError('案件编号格式不正确');
    const c = await cases.byCaseNo(kind, no);
    if (!c) throw new NotFoundError(kind.text.noSuchCase(no));
    res.render('cases/case.njk', {
      title: `${kind.text.statusTitle} ${c.caseNo}`,
      nav: 'objections',
      kind: shown,
      c: {
        ...c,
        statusLabel: kind.statuses[c.status],
        applicant: maskName(c.applicantName),
        open: kind.open.includes(c.status),
        ...(await kind.publicView(c, cases.viewContext())),
      },
    });
  });

  // ---- the back office ----
  adminRoute(router, '', 'GET', kind.adminPath, async (req, res) => {
    const status = statusOf(kind.statuses, parseQuery(req, { status: queryText(40) }).status);
    const rows = await cases.list(kind, req.user!, status);
    res.render('cases/admin-list.njk', {
      title: kind.text.listTitle,
      nav: kind.adminNav,
      kind: shown,
      status,
      statusOptions: [{ value: '', text: '全部' }, ...Object.entries<string>(kind.statuses).map(([value, text]) => ({ value, text }))],
      // Overdue first, then due today, so what must be done now heads the list; newest first within each.
      rows: rows
        .map((r) => ({ ...r, statusLabel: kind.statuses[r.status], due: r.dueBy ? cases.deadline(r.dueBy) : null }))
        .sort((a, b) => urgency(a.due) - urgency(b.due)),
    });
  });

  const stepFields = kind.steps.flatMap((s) => [s.form.choice, s.form.text.name]);
  const renderCase = async (req: Request, res: Response, id: number, errors?: FormErrors, status = 200) => {
    const user = req.user!;
    const c = await cases.forUser(kind, id, user);
    res.status(status).render('cases/admin-case.njk', {
      title: `${errors ? '错误：' : ''}${kind.noun} ${c.caseNo}`,
      nav: kind.adminNav,
      kind: shown,
      c: { ...c, statusLabel: kind.statuses[c.status], ...(await kind.adminView(c, cases.viewContext())) },
      steps: kind.steps.filter((s) => cases.canTake(s, c, user)).map((s) => ({ name: s.name, ...s.form })),
      canPause: kind.key === objectionKind.key && cases.canPause(c, user),
      values: formValues(req.body, stepFields),
      errors,
    });
  };

  adminRoute(router, '', 'GET', `${kind.adminPath}/:id`, async (req, res) => renderCase(req, res, pathId(req, 'id', kind.text.notFound)));

  adminRoute(router, '', 'GET', `${kind.adminPath}/:id/attachments/:attachmentId`, async (req, res) => {
    const c = await cases.forUser(kind, pathId(req, 'id', kind.text.notFound), req.user!);
    const attachmentId = pathId(req, 'attachmentId', '附件不存在');
    await sendAttachment(
      res,
      uploadDir,
      c.attachments.find((x) => x.id === attachmentId),
    );
  });

  for (const step of kind.steps) {
    adminRoute(router, '', 'POST', `${kind.adminPath}/:id/${step.name}`, async (req, res) => {
      const id = pathId(req, 'id', kind.text.notFound);
      const outcome = await conflictAsForm(() => cases.take(kind, step, id, req.body ?? {}, req.user!, req.ip ?? null));
      if ('conflict' in outcome) return renderCase(req, res, id, outcome.conflict, 409);
      if ('errors' in outcome) return renderCase(req, res, id, outcome.errors, 400);
      req.session.flash = { kind: 'success', text: outcome.done };
      res.redirect(303, `${kind.adminPath}/${id}`);
    });
  }
}
