import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../../services.js';
import { adminRoute, canSeeDepartment, departmentScope } from '../../platform/access.js';
import { ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { pageQuery, parseQuery, pathId } from '../../platform/params.js';
import { formValues as postedValues, parseForm, type FormErrors } from '../../platform/forms.js';
import { paginate } from '../../platform/pagination.js';
import {
  CATEGORY_LABELS,
  DOC_TYPES,
  KIND_LABELS,
  PENALTY_CATEGORIES,
  PUBLICITY_NECESSARY_FIELD,
  SIMPLE_PROCEDURE_FIELD,
  TIER_FIELD,
  TIER_REASON_FIELD,
  SUBJECT_CATEGORIES,
  fieldsOf,
  type RecordKind,
} from '../../domain/publicity/fields.js';
import { recordSchema } from '../../domain/publicity/schemas.js';
import { beijingToday, parseDate } from '../../domain/dates.js';
import { displayRows, formValues, tierSummary } from './view-model.js';
import { AUTHORITY_LABELS, type AuthorityIssue } from '../../domain/publicity/authorities.js';

const PAGE_SIZE = 30;
export const PLURAL: Record<RecordKind, string> = { permit: 'permits', penalty: 'penalties' };

const listQuery = {
  q: z.string().trim().max(100, '关键词最多 100 个字').optional(),
  status: z.enum(['', 'public', 'hidden', 'withdrawn'], { error: '状态无效' }).optional(),
  page: pageQuery(PAGE_SIZE, 'admin'),
};

const withdrawSchema = z.object({ reason: z.string().trim().min(1, '请填写撤回原因').max(500, '撤回原因最多 500 个字') });

const day = (label: string) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .transform((v, ctx) => {
      const d = parseDate(v);
      if (!d) ctx.addIssue({ code: 'custom', message: `${label}“${v}”不是有效日期，应为 YYYY-MM-DD` });
      return d ?? '';
    });

/**
 * 撤销 (条例 Art. 42): the revoking document, its date, and the day the update reached the platform, which
 * starts the 1-working-day deadline (today unless the credit office received it earlier). Neither date may
 * lie in the future, nor the update before the revocation.
 */
export const revokeSchema = z
  .object({
    revokedOn: day('撤销日期'),
    revocationDocNo: z.string({ error: '请填写撤销决定文书号' }).trim().min(1, '请填写撤销决定文书号').max(100, '文书号最多 100 个字'),
    revocationReason: z.string({ error: '请填写撤销原因' }).trim().min(1, '请填写撤销原因').max(500, '撤销原因最多 500 个字'),
    knownOn: day('平台收到撤销信息之日'),
  })
  .superRefine((v, ctx) => {
    const today = beijingToday();
    if (v.revokedOn && v.revokedOn > today) ctx.addIssue({ code: 'custom', path: ['revokedOn'], message: '撤销日期不能晚于今天' });
    if (v.knownOn && v.knownOn > today) ctx.addIssue({ code: 'custom', path: ['knownOn'], message: '平台收到撤销信息之日不能晚于今天' });
    if (v.knownOn && v.revokedOn && v.knownOn < v.revokedOn)
      ctx.addIssue({ code: 'custom', path: ['knownOn'], message: '平台收到撤销信息之日不能早于撤销日期' });
  });

/** Raw strings from the form; the penalty categories arrive as several checkbox values. */
function rawFromBody(kind: RecordKind, body: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fieldsOf(kind)) {
    const v = body[f.key];
    out[f.key] = Array.isArray(v) ? v.map(String).join(';') : typeof v === 'string' ? v : '';
  }
  if (kind === 'penalty') {
    out.simpleProcedure = body.simpleProcedure === '是' ? '是' : '否';
    out.publicityNecessary = body.publicityNecessary === '是' ? '是' : '否';
    for (const key of ['tier', 'tierReason'] as const) out[key] = typeof body[key] === 'string' ? body[key] : '';
  }
  return out;
}

/** Refusals of the authority check as form errors on the authority fields. */
function authorityErrors(issues: AuthorityIssue[]): FormErrors {
  return { fields: Object.fromEntries(issues.map((i) => [i.key, i.message])), list: issues.map((i) => ({ href: `#${i.key}`, text: i.message })) };
}

/** The form's field list as the template needs it (type, options, whether required, hint). */
function formFields(kind: RecordKind) {
  return [...fieldsOf(kind), ...(kind === 'penalty' ? [TIER_FIELD, TIER_REASON_FIELD] : [])].map((f) => ({
    ...f,
    options: f.type === 'category' ? SUBJECT_CATEGORIES : f.type === 'docType' ? DOC_TYPES : f.type === 'multiEnum' ? PENALTY_CATEGORIES : f.options,
  }));
}

export function publicityAdminRoutes(deps: Services): Router {
  const router = Router();

  for (const kind of ['permit', 'penalty'] as const) {
    const base = `/${PLURAL[kind]}`;
    const label = KIND_LABELS[kind];

    const renderForm = async (
      req: Request,
      res: Response,
      opts: { values: Record<string, string>; errors?: FormErrors; status?: number; recordId?: number; duplicate?: { href: string; message: string } },
    ) => {
      // A new record picks its authority from the department's list when there is a choice; a correction keeps its own.
      const authorities = req.user!.departmentId === null ? [] : (await deps.publicity.authorityList(req.user!.departmentId)).forKind(kind);
      res.status(opts.status ?? 200).render('publicity/admin-form.njk', {
        authorityChoices: opts.recordId || authorities.length < 2 ? null : authorities.map((a) => ({ value: a.uscc, text: `${a.name}（${a.uscc}）` })),
        authorityLabel: AUTHORITY_LABELS[kind],
        noAuthority: authorities.length === 0,
        title: `${opts.errors ? '错误：' : ''}${opts.recordId ? '修改' : '报送'}${label}`,
        nav: PLURAL[kind],
        kind,
        kindLabel: label,
        plural: PLURAL[kind],
        fields: formFields(kind),
        simpleField: kind === 'penalty' ? SIMPLE_PROCEDURE_FIELD : null,
        necessaryField: kind === 'penalty' ? PUBLICITY_NECESSARY_FIELD : null,
        values: opts.values,
        errors: opts.errors,
        recordId: opts.recordId ?? null,
        duplicate: opts.duplicate ?? null,
        action: opts.recordId ? `/admin${base}/${opts.recordId}` : `/admin${base}`,
      });
    };

    const defaults = async (user: Express.User): Promise<Record<string, string>> => {
      const dept = user.departmentId ? await deps.publicityRepo.department(user.departmentId) : null;
      // The department is the source; the deciding authority is the first on its list, usually the department itself.
      const first = user.departmentId ? (await deps.publicity.authorityList(user.departmentId)).forKind(kind)[0] : undefined;
      return {
        authority: first?.name ?? '',
        authorityCode: first?.uscc ?? '',
        sourceName: dept?.name ?? '',
        sourceCode: dept?.uscc ?? '',
        subjectCategory: CATEGORY_LABELS.legal,
        permitState: '有效',
      };
    };

    adminRoute(router, '/admin', 'GET', base, async (req, res) => {
      const parsed = parseQuery(req, listQuery, { form: ['q', 'status'] });
      const values = parsed.values;
      const listPage = {
        nav: PLURAL[kind],
        kind,
        kindLabel: label,
        plural: PLURAL[kind],
        values,
        canReport: req.user!.role === 'clerk',
        scopeLabel: req.user!.role === 'clerk' ? req.user!.departmentName : '全部部门',
      };
      if (!parsed.ok) return res.status(400).render('publicity/admin-list.njk', { ...listPage, title: `错误：${label}记录`, errors: parsed.errors, rows: [] });
      const page = parsed.data.page ?? 1;
      const { rows, total } = await deps.publicityRepo.adminPage(
        kind,
        departmentScope(req.user!),
        { q: parsed.data.q, status: parsed.data.status || undefined },
        page,
        PAGE_SIZE,
      );
      res.render('publicity/admin-list.njk', {
        ...listPage,
        title: `${label}记录`,
        rows,
        pagination: paginate({ page, pageSize: PAGE_SIZE, total, basePath: `/admin${base}`, query: values }),
      });
    });

    adminRoute(router, '/admin', 'GET', `${base}/new`, async (req, res) => renderForm(req, res, { values: await defaults(req.user!) }));

    const save = async (req: Request, res: Response, existingId?: number) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const raw = rawFromBody(kind, body);
      if (existingId !== undefined) {
        const rec = await deps.publicityRepo.adminDetail(kind, existingId);
        if (!rec) throw new NotFoundError('记录不存在');
        if (!canSeeDepartment(req.user!, rec.departmentId as number)) throw new ForbiddenError('只能修改本部门报送的记录');
        // The key of a record is its authority and document number; changing those is withdraw + report anew.
        const stored = formValues(kind, rec);
        raw.authorityCode = stored.authorityCode ?? '';
        raw.documentNo = stored.documentNo ?? '';
      }
      const authorities = req.user!.departmentId === null ? null : await deps.publicity.authorityList(req.user!.departmentId);
      // Picked from the list: the name is the one registered for the code.
      if (existingId === undefined && body.authorityFromList === '1') raw.authority = authorities?.all.find((a) => a.uscc === raw.authorityCode)?.name ?? '';
      const parsed = parseForm(recordSchema(kind), raw);
      if (!parsed.ok) return renderForm(req, res, { values: raw, errors: parsed.errors, status: 400, recordId: existingId });
      const refused = authorities?.check(kind, parsed.data) ?? [];
      if (refused.length) return renderForm(req, res, { values: raw, errors: authorityErrors(refused), status: 400, recordId: existingId });
      if (existingId === undefined && body.confirmCorrection !== '1') {
        // A new record whose 文书号 this department has already reported: show that record and ask, never overwrite it
        // silently. (Another department's or a withdrawn record is refused by the writer below.)
        const existing = await deps.publicity.findByKey(kind, parsed.data.authorityCode, parsed.data.documentNo);
        if (existing && existing.departmentId === req.user!.departmentId && !existing.withdrawn) {
          const decided = existing.decisionDate.toISOString().slice(0, 10);
          const message = `文书号“${parsed.data.documentNo}”已有本部门报送的${label}记录（${existing.subjectName}，决定日期 ${decided}），未保存。如要更正该记录，请勾选「确认更正该记录」后再提交；如是另一份决定，请核对文书号`;
          const errors: FormErrors = { fields: { documentNo: message }, list: [{ href: '#confirmCorrection', text: message }] };
          return renderForm(req, res, { values: raw, errors, status: 400, duplicate: { href: `/admin${base}/${existing.id}`, message } });
        }
      }
      const outcome = await deps.publicity.saveOne(kind, parsed.data, req.user!, req.ip ?? null);
      deps.publicityRepo.forgetCounts();
      if (!outcome.ok) {
        // A 公示截止期 outside the tier's window is the clerk's input to correct (400); the rest are conflicts with
        // stored records (409).
        const window = outcome.problems.find((p) => p.column === '公示截止期');
        const errors: FormErrors = window
          ? { fields: { publicityEndDate: window.message }, list: [{ href: '#publicityEndDate', text: window.message }] }
          : {
              fields: { documentNo: outcome.problems[0]!.message },
              list: outcome.problems.map((p) => ({ href: '#documentNo', text: p.message })),
            };
        return renderForm(req, res, { values: raw, errors, status: window ? 400 : 409, recordId: existingId });
      }
      // The clerk sees at once what the tiers made of the penalty: its tier and the day it leaves publication.
      const saved = kind === 'penalty' ? await deps.publicityRepo.adminDetail(kind, outcome.id) : null;
      const term = saved ? `。${tierSummary(saved)}` : '';
      req.session.flash = {
        kind: 'success',
        text:
          (outcome.inserted
            ? `已报送${label}（文书号 ${parsed.data.documentNo}）`
            : outcome.unchanged
              ? `内容与已有记录（文书号 ${parsed.data.documentNo}）完全相同，未做修改`
              : `文书号 ${parsed.data.documentNo} 已有记录，已按更正处理并保留修改记录`) + term,
      };
      res.redirect(303, `/admin${base}/${outcome.id}`);
    };

    adminRoute(router, '/admin', 'POST', base, (req, res) => save(req, res));

    const loadOwn = async (req: Request) => {
      const id = pathId(req, 'id', '记录不存在');
      const rec = await deps.publicityRepo.adminDetail(kind, id);
      if (!rec) throw new NotFoundError('记录不存在');
      if (!canSeeDepartment(req.user!, rec.departmentId as number)) throw new ForbiddenError('只能查看本部门报送的记录');
      return { id, rec };
    };

    const renderDetail = async (req: Request, res: Response, id: number, rec: Record<string, unknown>, errors?: FormErrors) =>
      res.status(errors ? 400 : 200).render('publicity/admin-detail.njk', {
        // 条例 Art. 19/20: the 失信 state, its challenges and the archive state (src/features/disclosure).
        disclosure: kind === 'penalty' ? await deps.disclosure.view(id) : null,
        title: `${errors ? '错误：' : ''}${label}记录`,
        nav: PLURAL[kind],
        kind,
        kindLabel: label,
        plural: PLURAL[kind],
        id,
        rec,
        rows: displayRows(kind, rec, { publicView: false }),
        canEdit: req.user!.role === 'clerk' && !rec.withdrawnAt,
        canChallenge: req.user!.role === 'clerk' && !rec.withdrawnAt,
        publicHref: rec.isPublic ? `/publicity/${PLURAL[kind]}/${id}` : null,
        today: beijingToday(),
        revokeValues: postedValues(req.body, ['revokedOn', 'revocationDocNo', 'revocationReason', 'knownOn']),
        errors,
      });

    adminRoute(router, '/admin', 'GET', `${base}/:id`, async (req, res) => {
      const { id, rec } = await loadOwn(req);
      await renderDetail(req, res, id, rec);
    });

    adminRoute(router, '/admin', 'GET', `${base}/:id/edit`, async (req, res) => {
      const { id, rec } = await loadOwn(req);
      if (rec.withdrawnAt) throw new ForbiddenError('已撤回的记录不能修改');
      await renderForm(req, res, { values: formValues(kind, rec), recordId: id });
    });

    adminRoute(router, '/admin', 'POST', `${base}/:id`, async (req, res) => {
      await save(req, res, pathId(req, 'id', '记录不存在'));
    });

    adminRoute(router, '/admin', 'POST', `${base}/:id/revoke`, async (req, res) => {
      const { id, rec } = await loadOwn(req);
      const parsed = parseForm(revokeSchema, req.body ?? {});
      if (!parsed.ok) return renderDetail(req, res, id, rec, parsed.errors);
      const { revokedOn, revocationDocNo, revocationReason, knownOn } = parsed.data;
      const { dueBy } = await deps.publicity.revoke(
        kind,
        id,
        { revokedOn, docNo: revocationDocNo, reason: revocationReason, knownOn },
        req.user!,
        req.ip ?? null,
      );
      deps.publicityRepo.forgetCounts();
      req.session.flash = { kind: 'success', text: `已登记撤销，该记录已从所有公示栏目移除（撤下期限 ${dueBy}，文书号 ${String(rec.documentNo)}）` };
      res.redirect(303, `/admin${base}/${id}`);
    });

    adminRoute(router, '/admin', 'POST', `${base}/:id/withdraw`, async (req, res) => {
      const { id, rec } = await loadOwn(req);
      const parsed = parseForm(withdrawSchema, req.body ?? {});
      if (!parsed.ok) return renderDetail(req, res, id, rec, parsed.errors);
      await deps.publicity.withdraw(kind, id, parsed.data.reason, req.user!, req.ip ?? null);
      deps.publicityRepo.forgetCounts();
      req.session.flash = { kind: 'success', text: `已撤回，该记录已从公示栏目中移除（文书号 ${String(rec.documentNo)}）` };
      res.redirect(303, `/admin${base}/${id}`);
    });
  }
  return router;
}
