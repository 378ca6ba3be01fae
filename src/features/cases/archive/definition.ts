import { z } from 'zod';
import { ConflictError, NotFoundError } from '../../../platform/errors.js';
import { isoDay } from '../../../domain/dates.js';
import { maskIdNumber } from '../../../domain/identifiers.js';
import { disclosureLastDay } from '../../../domain/publicity/disclosure.js';
import type { ArchiveStatus } from '../../../generated/prisma/enums.js';
import { APPLICANT_FIELDS, applicantShape } from '../case.js';
import { stepsOf, type CaseKind } from '../kind.js';
import type { ArchivablePenalty, ArchiveDetail, ArchivePublic, CaseRepository } from '../repository.js';
import { sameSubject } from '../objection/definition.js';

/**
 * 档案化申请 (《河南省社会信用条例》 Art. 44): once a penalty's disclosure period has ended, its subject may demand that
 * it be archived. The disclosure period of a penalty is its publicity period as applied (public_until: the tier's
 * window of 《信用修复管理办法》, never beyond the 5 years of Art. 19); the nightly job archives at 5 years by itself,
 * so a request matters between the end of publicity and then, while the record is still used in government sharing
 * (credit checks, nominations). A request the rule rules out — still public, or the subject on a black list in force
 * (the exception of Art. 19) — is recorded and refused at once with the reason; otherwise the credit office decides
 * within OFFICE_WORKDAYS working days, and approval archives the record (CaseRepository.archiveDecision).
 */

export const ARCHIVE_STATUS_LABELS: Record<ArchiveStatus, string> = {
  pendingOffice: '待信用办审核',
  approved: '已归档',
  refused: '不予归档',
};
const OPEN: readonly ArchiveStatus[] = ['pendingOffice'];
/**
 * The credit office's working days to decide. The 条例 sets none for Art. 44; this follows its Art. 41 for matters the
 * platform settles itself (3 working days). A policy choice (unverified).
 */
export const OFFICE_WORKDAYS = 3;

export const archiveSchema = z.object({
  ...applicantShape,
  reason: z.string().trim().min(5, '请说明申请归档的理由（至少 5 个字）').max(2000, '申请理由最多 2000 个字'),
});

export const archiveDecisionSchema = z
  .object({
    decision: z.enum(['approve', 'refuse'], { error: '请选择同意或不同意' }),
    note: z.string().trim().max(1000, '意见最多 1000 个字').default(''),
  })
  .superRefine((v, ctx) => {
    if (v.decision === 'refuse' && !v.note) ctx.addIssue({ code: 'custom', path: ['note'], message: '不予归档须说明理由' });
  });

/** Why the rule refuses archiving this penalty today (empty when it may be archived). */
export async function archiveRefusals(repo: CaseRepository, p: ArchivablePenalty, today: string): Promise<string[]> {
  const out: string[] = [];
  const until = isoDay(p.publicUntil);
  if (p.isPublic && until >= today) out.push(`该处罚仍在公示期内（公示截止期 ${until}），披露期限届满后方可申请归档；已履行处罚决定的，可申请信用修复`);
  if (await repo.onBlackList(p, today)) out.push('信用主体仍在严重失信主体名单（黑名单）中，列入期间不予归档（《河南省社会信用条例》第十九条）');
  return out;
}

const shownCode = (r: { subjectCode: string; penalty: { subjectCategory: string } }) =>
  r.penalty.subjectCategory === 'natural' ? maskIdNumber(r.subjectCode) : r.subjectCode;

const step = stepsOf<ArchiveStatus, ArchiveDetail>();

export const archiveKind: CaseKind<ArchiveStatus, ArchiveDetail, ArchivePublic, number, z.output<typeof archiveSchema>, ArchivablePenalty> = {
  key: 'archive',
  noun: '档案化申请',
  prefix: 'GD',
  statusPath: '/archive-requests',
  adminPath: '/admin/archive-requests',
  adminNav: 'archive-requests-admin',
  statuses: ARCHIVE_STATUS_LABELS,
  open: OPEN,
  deadlines: { pendingOffice: OFFICE_WORKDAYS },
  // The department is kept informed (it sees its penalties' requests); the credit office decides.
  todo: {
    department: { status: 'pendingOffice', label: '待信用办审核的档案化申请（本部门处罚）' },
    office: { status: 'pendingOffice', label: '待审核的档案化申请' },
  },
  table: (repo) => repo.archives,
  text: {
    notFound: '档案化申请不存在',
    noSuchCase: (no) => `未找到案件编号为 ${no} 的档案化申请，请核对编号`,
    foreign: '该申请不属于您的部门',
    listTitle: '档案化申请',
    listIntro: `信用主体依据《河南省社会信用条例》第四十四条申请将披露期限已届满的行政处罚信息归档。信用办在 ${OFFICE_WORKDAYS} 个工作日内审核，同意后该信息归档保存，不再公开、共享和用于信用核查。超期的以红色标出。`,
    listLabel: '档案化申请列表',
    listQa: 'archive-requests',
    empty: '暂无档案化申请。',
    statusTitle: '档案化申请办理进度',
  },
  filing: {
    paths: [{ path: '/archive-requests/new/:id', target: (_req, id) => id }],
    schema: archiveSchema,
    fields: [...APPLICANT_FIELDS, 'reason'],
    title: '申请信用信息归档',
    view: {
      record: 'cases/archive/_record.njk',
      fields: 'cases/archive/_fields.njk',
      subjectHint: '须与该行政处罚的相对人一致',
      attachmentsLabel: '证明材料（选填；PDF、PNG 或 JPEG，每个不超过 10 MB，最多 5 个）',
      button: '提交申请',
      qa: 'archive-form',
    },
    action: (id) => `/archive-requests/new/${id}`,
    async record(repo, id) {
      const p = await repo.archivablePenalty(id);
      if (!p) throw new NotFoundError('该行政处罚不存在、已撤回或已归档');
      return p;
    },
    // The record is usually no longer public: the page shows what the applicant already knows (文书号 and date), not
    // the subject's name, and the filing checks the applicant's code against the record's subject.
    async page({ repo, today }, id, p) {
      return {
        rec: {
          id,
          documentNo: p.documentNo,
          decisionDate: isoDay(p.decisionDate),
          department: p.departmentName,
          publicUntil: isoDay(p.publicUntil),
          limit: disclosureLastDay(isoDay(p.decisionDate)),
        },
        problems: await archiveRefusals(repo, p, today),
        blocked: false,
      };
    },
    sameSubject: ({ subjectCode }, p) => (sameSubject(subjectCode, p) ? null : '填写的代码与该行政处罚的相对人不一致：只能为本单位（本人）的处罚申请归档'),
    async file({ repo, today, dueIn }, penaltyId, p, input, files, caseNo) {
      if (await repo.openArchives(penaltyId, OPEN)) throw new ConflictError('该行政处罚已有档案化申请正在办理，请等待审核结果');
      const reasons = await archiveRefusals(repo, p, today);
      const refused = reasons.length > 0;
      const created = await repo.createArchive({
        caseNo,
        penaltyId,
        departmentId: p.departmentId,
        subjectName: p.subjectName,
        subjectCode: input.subjectCode.toUpperCase(),
        applicantName: input.applicantName,
        phone: input.phone,
        email: input.email,
        reason: input.reason,
        outcome: refused ? { refusalReason: `系统核验：${reasons.join('；')}` } : { officeBy: dueIn(OFFICE_WORKDAYS) },
        files,
      });
      return {
        ...created,
        flash: refused
          ? { kind: 'error', text: `申请已登记（案件编号 ${created.caseNo}），经系统核验不予归档，理由见下。` }
          : { kind: 'success', text: `档案化申请已提交，案件编号 ${created.caseNo}。请记下编号，凭编号查询办理进度。` },
        audit: { caseNo: created.caseNo, penaltyId, documentNo: p.documentNo, refused, reasons },
      };
    },
    auditAction: 'archive.submit',
  },
  steps: [
    step({
      name: 'office',
      actor: 'office',
      from: 'pendingOffice',
      schema: archiveDecisionSchema,
      conflict: '该申请不在待信用办审核状态',
      forbidden: '只有信用办可以审核',
      async run({ repo, today, user, effects }, r, { decision, note }) {
        // The rule is checked again at the decision: the subject may have been listed meanwhile.
        if (decision === 'approve') {
          const p = await repo.archivablePenalty(r.penaltyId);
          if (p) {
            const reasons = await archiveRefusals(repo, p, today);
            if (reasons.length) throw new ConflictError(`不能归档：${reasons.join('；')}`);
          }
        }
        if (!(await repo.archiveDecision(r.id, decision, note, user.id))) throw new ConflictError('该申请不在待信用办审核状态');
        effects.publicityChanged();
      },
      audit: () => 'archive.office',
      auditDetail: ({ decision, note }) => ({ decision, note }),
      done: ({ decision }) => (decision === 'refuse' ? '已决定不予归档，申请人可凭案件编号查看理由' : '已同意归档：该行政处罚信息已归档保存，不再披露'),
      form: {
        heading: '信用办审核',
        qa: 'office-form',
        legend: '审核意见',
        choice: 'decision',
        options: [
          { value: 'approve', label: '同意归档' },
          { value: 'refuse', label: '不同意（须说明理由）' },
        ],
        text: { name: 'note', label: '意见', rows: 3 },
        button: '提交',
      },
    }),
  ],
  views: { detail: 'cases/archive/_detail.njk', status: 'cases/archive/_status.njk', progress: 'cases/archive/_progress.njk' },
  async publicView(r) {
    return {
      subjectCode: shownCode(r),
      officeBy: isoDay(r.officeBy),
      badge: OPEN.includes(r.status) ? 'badge--warn' : r.status === 'approved' ? 'badge--ok' : 'badge--bad',
    };
  },
  async adminView(r, { deadline }) {
    return {
      subjectCode: shownCode(r),
      decisionDate: isoDay(r.penalty.decisionDate),
      publicUntil: isoDay(r.penalty.publicUntil),
      officeDue: r.officeBy ? deadline(r.officeBy, r.status === 'pendingOffice') : null,
    };
  },
};
