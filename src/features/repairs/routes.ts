import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../../deps.js';
import { adminRoute } from '../../platform/access.js';
import { BadRequestError, NotFoundError } from '../../platform/errors.js';
import { parseId, parseQuery, pathId, queryText } from '../../platform/params.js';
import { parseForm, type FormErrors } from '../../platform/forms.js';
import { maskIdNumber } from '../../domain/identifiers.js';
import { ALL_PENALTY_CATEGORIES } from '../../domain/publicity/fields.js';
import { beijingToday, isoDay } from '../../domain/dates.js';
import type { RepairStatus } from '../../generated/prisma/enums.js';
import { acceptedFiles, sendAttachment } from '../../platform/attachments.js';
import { CASE_NO_RE, conflictAsForm, deadline, maskName } from '../cases/case.js';
import { sameSubject } from '../objections/service.js';
import { refusalReasons, type RepairRuleData } from './rules.js';
import { REPAIR_COMMITMENT_TEXT, REPAIR_STATUS_LABELS } from './service.js';
import { repairDecisionSchema, repairSchema, ruleSchema } from './schemas.js';

const OPEN: RepairStatus[] = ['pendingDepartment', 'pendingOffice'];

function ruleValues(r: RepairRuleData): Record<string, string> {
  return {
    id: String(r.id),
    name: r.name,
    penaltyCategory: r.penaltyCategory ?? '',
    keyword: r.keyword ?? '',
    departmentName: r.departmentName ?? '',
    minMonths: String(r.minMonths),
    repairable: r.repairable ? 'yes' : 'no',
    basis: r.basis,
    active: r.active ? 'yes' : '',
  };
}

export function repairRoutes(deps: AppDeps): Router {
  const router = Router();

  // ---- the public side ----
  const renderForm = async (res: Response, id: number, values: Record<string, string>, errors?: FormErrors, status = 200) => {
    const p = await deps.repairs.penalty(id);
    const e = await deps.repairs.eligibilityOf(p);
    res.status(status).render('repairs/new.njk', {
      title: `${errors ? '错误：' : ''}申请信用修复`,
      nav: 'objections',
      rec: { id, subjectName: p.subjectName, documentNo: p.documentNo, decisionDate: isoDay(p.decisionDate as Date), department: p.department?.name ?? '' },
      eligibility: { ...e, problems: refusalReasons(e, beijingToday()) },
      commitmentText: REPAIR_COMMITMENT_TEXT,
      values,
      errors,
    });
  };

  router.get('/publicity/penalties/:id/repair', async (req, res) => renderForm(res, pathId(req, 'id', '该记录不存在'), {}));

  router.post('/publicity/penalties/:id/repair', async (req, res) => {
    const id = pathId(req, 'id', '该记录不存在');
    const body = (req.body ?? {}) as Record<string, string>;
    const parsed = parseForm(repairSchema, body);
    const { files, error: badFile } = acceptedFiles(req);
    const errors: FormErrors = parsed.ok ? { fields: {}, list: [] } : parsed.errors;
    if (parsed.ok && !sameSubject(parsed.data.subjectCode, await deps.repairs.penalty(id))) {
      errors.fields.subjectCode = '填写的代码与该行政处罚的相对人不一致：只能为本单位（本人）的处罚申请信用修复';
      errors.list.push({ href: '#subjectCode', text: errors.fields.subjectCode });
    }
    if (badFile) {
      errors.fields.attachments = badFile;
      errors.list.push({ href: '#attachments', text: badFile });
    }
    if (!parsed.ok || errors.list.length) return renderForm(res, id, body, errors, 400);
    const { caseNo, refused } = await deps.repairs.apply(id, parsed.data, files, req.ip ?? null);
    req.session.flash = refused
      ? { kind: 'error', text: `申请已登记（案件编号 ${caseNo}），经系统核验不予修复，理由见下。` }
      : { kind: 'success', text: `信用修复申请已提交，案件编号 ${caseNo}。请记下编号，凭编号查询办理进度。` };
    res.redirect(303, `/repairs/${caseNo}`);
  });

  router.get('/repairs/:no', async (req, res) => {
    const no = String(req.params.no).toUpperCase();
    if (!CASE_NO_RE.test(no) || !no.startsWith('XF')) throw new BadRequestError('案件编号格式不正确');
    const r = await deps.repairs.byCaseNo(no);
    if (!r) throw new NotFoundError(`未找到案件编号为 ${no} 的信用修复申请，请核对编号`);
    res.render('repairs/case.njk', {
      title: `信用修复办理进度 ${r.caseNo}`,
      nav: 'objections',
      r: {
        ...r,
        statusLabel: REPAIR_STATUS_LABELS[r.status],
        applicant: maskName(r.applicantName),
        subjectCode: r.penalty.subjectCategory === 'natural' ? maskIdNumber(r.subjectCode) : r.subjectCode,
        eligibleFrom: isoDay(r.eligibleFrom),
        departmentBy: isoDay(r.departmentBy),
        officeBy: isoDay(r.officeBy),
        open: OPEN.includes(r.status),
      },
    });
  });

  // ---- the back office ----
  adminRoute(router, '', 'GET', '/admin/repairs', async (req, res) => {
    const query = parseQuery(req, { status: queryText(40) });
    const status = (Object.keys(REPAIR_STATUS_LABELS) as RepairStatus[]).includes(query.status as RepairStatus) ? (query.status as RepairStatus) : '';
    const rows = await deps.repairs.listFor(req.user!, status);
    const today = beijingToday();
    const cal = deps.publicity.calendar;
    res.render('repairs/admin-list.njk', {
      title: '信用修复',
      nav: 'repairs-admin',
      status,
      statusOptions: [{ value: '', text: '全部' }, ...Object.entries(REPAIR_STATUS_LABELS).map(([value, text]) => ({ value, text }))],
      rows: rows.map((r) => ({
        ...r,
        statusLabel: REPAIR_STATUS_LABELS[r.status],
        due:
          r.status === 'pendingDepartment' && r.departmentBy
            ? deadline(isoDay(r.departmentBy), today, cal)
            : r.status === 'pendingOffice' && r.officeBy
              ? deadline(isoDay(r.officeBy), today, cal)
              : null,
      })),
    });
  });

  const renderCase = async (req: Request, res: Response, id: number, errors?: FormErrors, status = 200) => {
    const r = await deps.repairs.forUser(id, req.user!);
    const today = beijingToday();
    const cal = deps.publicity.calendar;
    const user = req.user!;
    res.status(status).render('repairs/admin-case.njk', {
      title: `${errors ? '错误：' : ''}信用修复 ${r.caseNo}`,
      nav: 'repairs-admin',
      r: {
        ...r,
        statusLabel: REPAIR_STATUS_LABELS[r.status],
        subjectCode: r.penalty.subjectCategory === 'natural' ? maskIdNumber(r.subjectCode) : r.subjectCode,
        submittedDay: beijingToday(r.submittedAt),
        eligibleFrom: isoDay(r.eligibleFrom),
        decisionDate: isoDay(r.penalty.decisionDate),
        departmentDue: r.departmentBy ? deadline(isoDay(r.departmentBy), today, cal, r.status === 'pendingDepartment') : null,
        officeDue: r.officeBy ? deadline(isoDay(r.officeBy), today, cal, r.status === 'pendingOffice') : null,
      },
      canDepartment: user.role === 'clerk' && user.departmentId === r.departmentId && r.status === 'pendingDepartment',
      canOffice: user.role === 'reviewer' && r.status === 'pendingOffice',
      values: (req.body ?? {}) as Record<string, string>,
      errors,
    });
  };

  adminRoute(router, '', 'GET', '/admin/repairs/:id', async (req, res) => renderCase(req, res, pathId(req, 'id', '信用修复申请不存在')));

  adminRoute(router, '', 'GET', '/admin/repairs/:id/attachments/:attachmentId', async (req, res) => {
    const r = await deps.repairs.forUser(pathId(req, 'id', '信用修复申请不存在'), req.user!);
    await sendAttachment(
      res,
      deps.uploadDir,
      r.attachments.find((x) => x.id === pathId(req, 'attachmentId', '附件不存在')),
    );
  });

  for (const stage of ['department', 'office'] as const) {
    adminRoute(router, '', 'POST', `/admin/repairs/:id/${stage}`, async (req, res) => {
      const id = pathId(req, 'id', '信用修复申请不存在');
      const parsed = parseForm(repairDecisionSchema, req.body ?? {});
      if (!parsed.ok) return renderCase(req, res, id, parsed.errors, 400);
      const { decision, note } = parsed.data;
      const failed = await conflictAsForm(() =>
        stage === 'department'
          ? deps.repairs.departmentDecision(id, decision, note, req.user!, req.ip ?? null)
          : deps.repairs.officeDecision(id, decision, note, req.user!, req.ip ?? null),
      );
      if (failed) return renderCase(req, res, id, failed, 409);
      req.session.flash = {
        kind: 'success',
        text:
          decision === 'refuse'
            ? '已决定不予修复，申请人可凭案件编号查看理由'
            : stage === 'department'
              ? '已同意，已转信用办审核'
              : '已批准修复：该行政处罚已停止公示',
      };
      res.redirect(303, `/admin/repairs/${id}`);
    });
  }

  // ---- the rules (credit office) ----
  const renderRules = async (req: Request, res: Response, errors?: FormErrors, status = 200) => {
    const rules = await deps.repairs.rules();
    const { edit } = parseQuery(req, { edit: queryText(20) });
    const editing = rules.find((r) => r.id === parseId(edit)) ?? null;
    res.status(status).render('repairs/admin-rules.njk', {
      title: `${errors ? '错误：' : ''}信用修复规则`,
      nav: 'repair-rules',
      rules,
      editing: editing !== null || !!(errors && (req.body as Record<string, string> | undefined)?.id),
      categoryOptions: [{ value: '', text: '（不限）' }, ...ALL_PENALTY_CATEGORIES.map((c) => ({ value: c, text: c }))],
      canEdit: req.user!.role === 'reviewer',
      values: errors ? ((req.body ?? {}) as Record<string, string>) : editing ? ruleValues(editing) : { repairable: 'yes', active: 'yes', minMonths: '3' },
      errors,
    });
  };

  adminRoute(router, '', 'GET', '/admin/repair-rules', async (req, res) => renderRules(req, res));

  adminRoute(router, '', 'POST', '/admin/repair-rules', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, string>;
    const parsed = parseForm(ruleSchema, body);
    if (!parsed.ok) return renderRules(req, res, parsed.errors, 400);
    const id = body.id ? parseId(body.id) : null;
    if (body.id && id === null) throw new NotFoundError('规则不存在');
    if (id !== null && !(await deps.repairRepo.ruleExists(id))) throw new NotFoundError('规则不存在');
    await deps.repairs.updateRule(id, parsed.data, req.user!, req.ip ?? null);
    req.session.flash = { kind: 'success', text: id === null ? '已添加规则' : '已保存规则' };
    res.redirect(303, '/admin/repair-rules');
  });

  return router;
}
