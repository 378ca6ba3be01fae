import { z } from 'zod';
import { ConflictError, NotFoundError } from '../../../platform/errors.js';
import { dateColumn, isoDay } from '../../../domain/dates.js';
import { maskIdNumber } from '../../../domain/identifiers.js';
import { TIER_LABELS } from '../../../domain/publicity/tiers.js';
import type { RepairStatus } from '../../../generated/prisma/enums.js';
import { APPLICANT_FIELDS, applicantShape } from '../case.js';
import { stepsOf, type CaseKind } from '../kind.js';
import type { RepairablePenalty, RepairDetail, RepairPublic } from '../repository.js';
import { sameSubject } from '../objection/definition.js';
import { eligibility, eligibleText, refusalReasons, type Eligibility } from './rules.js';

/**
 * 信用修复 (《信用修复管理办法》, 条例 Art. 43): a subject asks to end a penalty's publicity early, once its tier's minimum
 * period has passed (rules.ts), stating the correction, proving every duty fulfilled (attachments, checked by content)
 * and signing a public 信用修复型 commitment. A request before the date, or one a bar rules out, is recorded and refused
 * at once with the reason; otherwise the source department, then the credit office, approve within 5 working days
 * each. The office's approval takes effect everywhere in the same transaction (CaseRepository.officeDecision): the
 * penalty leaves every public surface, the commitment is recorded, black-list entries grounded on the penalty leave
 * with their joint-measure tasks, and the next export carries a repair notice. Art. 43 allows 1 working day; the
 * case keeps that due date and the moment it took effect.
 */

export const REPAIR_STATUS_LABELS: Record<RepairStatus, string> = {
  pendingDepartment: '待数据来源单位审核',
  pendingOffice: '待信用办审核',
  approved: '已修复，停止公示',
  refused: '不予修复',
};
const OPEN: readonly RepairStatus[] = ['pendingDepartment', 'pendingOffice'];
/** Working days for each of the two approvals. */
export const DEPARTMENT_WORKDAYS = 5;
export const OFFICE_WORKDAYS = 5;

/** The 信用修复型 commitment the applicant signs; it is recorded as a commitment on approval. */
export const REPAIR_COMMITMENT_TEXT =
  '本单位（本人）承诺：已按行政处罚决定履行全部义务并完成整改，所提交的材料真实、准确、完整；今后严格遵守法律法规，诚信守法经营，不再发生同类违法行为。如有违反，自愿接受相关部门依法依规实施的失信惩戒，并承担相应法律责任。';

export const repairSchema = z.object({
  ...applicantShape,
  rectification: z.string().trim().min(10, '请说明履行处罚决定和整改的情况（至少 10 个字）').max(3000, '整改情况最多 3000 个字'),
  duties: z.literal('yes', { error: '请确认已履行行政处罚决定规定的全部义务' }),
  commit: z.literal('yes', { error: '请阅读并勾选信用修复承诺' }),
});

/** 条例 Art. 43: an approved repair takes effect within this many working days. */
export const EFFECT_WORKDAYS = 1;

/** Both approvals: approve, or refuse with reasons. */
export const repairDecisionSchema = z
  .object({
    decision: z.enum(['approve', 'refuse'], { error: '请选择同意或不同意' }),
    note: z.string().trim().max(1000, '意见最多 1000 个字').default(''),
  })
  .superRefine((v, ctx) => {
    if (v.decision === 'refuse' && !v.note) ctx.addIssue({ code: 'custom', path: ['note'], message: '不同意修复须说明理由' });
  });

/** From when a penalty may be repaired (its tier's minimum) and whether a bar in effect `today` rules it out. */
export function eligibilityOf(rules: Parameters<typeof eligibility>[0], p: RepairablePenalty, today: string): Eligibility {
  return eligibility(
    rules,
    {
      penaltyCategories: p.penaltyCategories,
      violationType: p.violationType,
      basis: p.basis,
      content: p.content,
      authority: p.authority,
      departmentName: p.departmentName,
      decisionDate: isoDay(p.decisionDate),
      tier: p.tier,
    },
    today,
  );
}

const decisionForm = (heading: string, qa: string, approve: string) => ({
  heading,
  qa,
  legend: '审核意见',
  choice: 'decision',
  options: [
    { value: 'approve', label: approve },
    { value: 'refuse', label: '不同意（须说明理由）' },
  ],
  text: { name: 'note', label: '意见', rows: 3 },
  button: '提交',
});

const shownCode = (r: { subjectCode: string; penalty: { subjectCategory: string } }) =>
  r.penalty.subjectCategory === 'natural' ? maskIdNumber(r.subjectCode) : r.subjectCode;

const step = stepsOf<RepairStatus, RepairDetail>();

export const repairKind: CaseKind<RepairStatus, RepairDetail, RepairPublic, number, z.output<typeof repairSchema>, RepairablePenalty> = {
  key: 'repair',
  noun: '信用修复',
  prefix: 'XF',
  statusPath: '/repairs',
  adminPath: '/admin/repairs',
  adminNav: 'repairs-admin',
  statuses: REPAIR_STATUS_LABELS,
  open: OPEN,
  deadlines: { pendingDepartment: DEPARTMENT_WORKDAYS, pendingOffice: OFFICE_WORKDAYS },
  todo: {
    department: { status: 'pendingDepartment', label: '待部门审核的信用修复' },
    office: { status: 'pendingOffice', label: '待信用办审核的信用修复' },
  },
  table: (repo) => repo.repairs,
  text: {
    notFound: '信用修复申请不存在',
    noSuchCase: (no) => `未找到案件编号为 ${no} 的信用修复申请，请核对编号`,
    foreign: '该申请不属于您的部门',
    listTitle: '信用修复',
    listIntro: `数据来源单位和信用办各在 ${DEPARTMENT_WORKDAYS} 个工作日内审核。超期的以红色标出。规则见<a href="/admin/repair-rules">修复规则</a>。`,
    listLabel: '信用修复申请列表',
    listQa: 'repairs',
    empty: '暂无信用修复申请。',
    statusTitle: '信用修复办理进度',
  },
  filing: {
    paths: [{ path: '/publicity/penalties/:id/repair', target: (_req, id) => id }],
    schema: repairSchema,
    fields: [...APPLICANT_FIELDS, 'rectification', 'duties', 'commit'],
    requiredFiles: '请上传履行全部义务的证明材料（如罚款缴纳凭证、整改报告），至少 1 个',
    title: '申请信用修复',
    view: {
      record: 'cases/repair/_record.njk',
      fields: 'cases/repair/_fields.njk',
      after: 'cases/repair/_pledge.njk',
      subjectHint: '须与该行政处罚的相对人一致',
      attachmentsLabel: '履行全部义务的证明材料（必交：罚款缴纳凭证、整改报告等；PDF、PNG 或 JPEG，每个不超过 10 MB，最多 5 个）',
      button: '提交申请',
      qa: 'repair-form',
    },
    action: (id) => `/publicity/penalties/${id}/repair`,
    async record(repo, id, today) {
      const p = await repo.publicPenalty(id, today);
      if (!p) throw new NotFoundError('该行政处罚不存在、已撤回、已修复或已过公示期');
      return p;
    },
    async page({ repo, today }, id, p) {
      const e = eligibilityOf(await repo.repairRules(), p, today);
      return {
        rec: { id, subjectName: p.subjectName, documentNo: p.documentNo, decisionDate: isoDay(p.decisionDate), department: p.departmentName },
        eligibility: { ...e, text: eligibleText(e), problems: refusalReasons(e, today) },
        commitmentText: REPAIR_COMMITMENT_TEXT,
        blocked: false,
      };
    },
    sameSubject: ({ subjectCode }, p) => (sameSubject(subjectCode, p) ? null : '填写的代码与该行政处罚的相对人不一致：只能为本单位（本人）的处罚申请信用修复'),
    // A request the rules already rule out (before the minimum period, or a penalty that may not be repaired) is
    // recorded and refused at once with the reasons, so the applicant has an answer on record.
    async file({ repo, today, dueIn }, penaltyId, p, input, files, caseNo) {
      if (await repo.openRepairs(penaltyId, OPEN)) throw new ConflictError('该行政处罚已有信用修复申请正在办理，请等待审核结果');
      const e = eligibilityOf(await repo.repairRules(), p, today);
      const reasons = refusalReasons(e, today);
      const refused = reasons.length > 0;
      const created = await repo.createRepair({
        caseNo,
        penaltyId,
        departmentId: p.departmentId,
        subjectName: p.subjectName,
        subjectCode: input.subjectCode.toUpperCase(),
        applicantName: input.applicantName,
        phone: input.phone,
        email: input.email,
        rectification: input.rectification,
        commitmentContent: REPAIR_COMMITMENT_TEXT,
        tier: p.tier,
        minMonths: e.minMonths,
        rules: e.basisText,
        eligibleFrom: dateColumn(e.eligibleFrom),
        outcome: refused ? { refusalReason: `系统核验：${reasons.join('；')}` } : { departmentBy: dueIn(DEPARTMENT_WORKDAYS) },
        files,
      });
      return {
        ...created,
        flash: refused
          ? { kind: 'error', text: `申请已登记（案件编号 ${created.caseNo}），经系统核验不予修复，理由见下。` }
          : { kind: 'success', text: `信用修复申请已提交，案件编号 ${created.caseNo}。请记下编号，凭编号查询办理进度。` },
        audit: { caseNo: created.caseNo, penaltyId, documentNo: p.documentNo, refused, reasons },
      };
    },
    auditAction: 'repair.submit',
  },
  steps: [
    step({
      name: 'department',
      actor: 'department',
      from: 'pendingDepartment',
      schema: repairDecisionSchema,
      conflict: '该申请不在待部门审核状态',
      forbidden: '只有数据来源单位可以审核',
      async run({ repo, dueIn, user }, r, { decision, note }) {
        const ok = await repo.departmentDecision(
          r.id,
          decision === 'approve' ? { approved: true, officeBy: dueIn(OFFICE_WORKDAYS) } : { approved: false },
          note,
          user.id,
        );
        if (!ok) throw new ConflictError('该申请不在待部门审核状态');
      },
      audit: () => 'repair.department',
      auditDetail: ({ decision, note }) => ({ decision, note }),
      done: ({ decision }) => (decision === 'refuse' ? '已决定不予修复，申请人可凭案件编号查看理由' : '已同意，已转信用办审核'),
      form: decisionForm('数据来源单位审核', 'department-form', '同意，报信用办审核'),
    }),
    step({
      name: 'office',
      actor: 'office',
      from: 'pendingOffice',
      schema: repairDecisionSchema,
      conflict: '该申请不在待信用办审核状态',
      forbidden: '只有信用办可以审核',
      // The effect of the kind: approval takes effect everywhere at once (CaseRepository.officeDecision).
      async run({ repo, today, user, effects, dueIn }, r, { decision, note }) {
        await repo.officeDecision(r.id, decision, note, user.id, today, dueIn(EFFECT_WORKDAYS), (departmentId) =>
          effects.commitmentContext(departmentId, user.id),
        );
        effects.publicityChanged();
      },
      audit: () => 'repair.office',
      auditDetail: ({ decision, note }) => ({ decision, note }),
      done: ({ decision }) =>
        decision === 'refuse'
          ? '已决定不予修复，申请人可凭案件编号查看理由'
          : '已批准修复：该行政处罚已在全部公示、查询、核查和共享渠道停止使用，相关联合惩戒措施已解除',
      form: decisionForm('信用办审核', 'office-form', '批准修复，停止公示'),
    }),
  ],
  views: { detail: 'cases/repair/_detail.njk', status: 'cases/repair/_status.njk', progress: 'cases/repair/_progress.njk' },
  async publicView(r) {
    return {
      subjectCode: shownCode(r),
      eligibleFrom: isoDay(r.eligibleFrom),
      departmentBy: isoDay(r.departmentBy),
      officeBy: isoDay(r.officeBy),
      effectBy: isoDay(r.effectBy),
      tierLabel: r.tier ? TIER_LABELS[r.tier] : '',
      badge: OPEN.includes(r.status) ? 'badge--warn' : r.status === 'approved' ? 'badge--ok' : 'badge--bad',
    };
  },
  async adminView(r, { deadline }) {
    return {
      subjectCode: shownCode(r),
      eligibleFrom: isoDay(r.eligibleFrom),
      decisionDate: isoDay(r.penalty.decisionDate),
      departmentDue: r.departmentBy ? deadline(r.departmentBy, r.status === 'pendingDepartment') : null,
      officeDue: r.officeBy ? deadline(r.officeBy, r.status === 'pendingOffice') : null,
      effectBy: isoDay(r.effectBy),
      tierLabel: r.tier ? TIER_LABELS[r.tier] : '',
    };
  },
};
