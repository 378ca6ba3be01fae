import { z } from 'zod';
import { NotFoundError } from '../../../platform/errors.js';
import { ConflictError } from '../../../platform/errors.js';
import { isoDay } from '../../../domain/dates.js';
import { OPEN_OBJECTION_STATUSES } from '../../../domain/objections.js';
import { maskIdNumber, validateIdNumber } from '../../../domain/identifiers.js';
import type { ObjectionStatus } from '../../../generated/prisma/enums.js';
import { APPLICANT_FIELDS, applicantShape } from '../case.js';
import { stepsOf, type CaseKind, type FilingPath } from '../kind.js';
import type { DisputedRecord, ObjectionDetail, ObjectionPublic, ObjectionTargetKind } from '../repository.js';

/**
 * 异议: a subject disputes one of its public records (双公示 records, red/black-list entries, public
 * commitments); the credit office accepts or refuses within 2 working days; the department that reported the
 * record answers within 10 working days — corrected (after it really corrected the record) or upheld.
 */

export const OBJECTION_STATUS_LABELS: Record<ObjectionStatus, string> = {
  submitted: '待受理',
  refused: '不予受理',
  accepted: '已受理，待数据来源单位核查',
  corrected: '已核查，记录已更正',
  upheld: '已核查，维持原记录',
};
/** Still being handled: the record shows 异议处理中 (the rule is the domain's, shared with the public views). */
export const OPEN_STATUSES: readonly ObjectionStatus[] = OPEN_OBJECTION_STATUSES;
/** Working days the credit office has to accept or refuse, and the source department to answer. */
export const ACCEPT_WORKDAYS = 2;
export const ANSWER_WORKDAYS = 10;

export type { ObjectionTargetKind };
export const OBJECTION_KIND_LABELS: Record<ObjectionTargetKind, string> = {
  permit: '行政许可',
  penalty: '行政处罚',
  entry: '红黑名单',
  commitment: '信用承诺',
};

/** Where the back office corrects a record of this kind, and what "corrected" means for it. */
const CORRECTION_HINTS: Record<ObjectionTargetKind, string> = {
  permit: '请先通过“修改”更正该记录（或撤回），再答复“已更正”',
  penalty: '请先通过“修改”更正该记录（或撤回），再答复“已更正”',
  entry: '请先商信用办发布更正公告或办理退出，再答复“已更正”',
  commitment: '请先更新该承诺的记录，再答复“已更正”',
};

function adminHref(kind: ObjectionTargetKind, id: number, issueId: number | undefined): string {
  switch (kind) {
    case 'permit':
      return `/admin/permits/${id}`;
    case 'penalty':
      return `/admin/penalties/${id}`;
    case 'entry':
      return `/admin/list-issues/${issueId ?? ''}`;
    case 'commitment':
      return '/admin/commitments';
  }
}

export interface ObjectionTarget {
  kind: ObjectionTargetKind;
  id: number;
}

/** Which record an objection is about. */
export function objectionTarget(o: {
  permitId: number | null;
  penaltyId: number | null;
  listEntryId: number | null;
  commitmentId: number | null;
}): ObjectionTarget {
  if (o.permitId !== null) return { kind: 'permit', id: o.permitId };
  if (o.penaltyId !== null) return { kind: 'penalty', id: o.penaltyId };
  if (o.listEntryId !== null) return { kind: 'entry', id: o.listEntryId };
  if (o.commitmentId !== null) return { kind: 'commitment', id: o.commitmentId };
  throw new Error('objection without a record');
}

/** The code the applicant gives must be the record's: the subject disputes (or repairs) its own record only. */
export function sameSubject(given: string, rec: { uscc: string | null; docNumber: string | null }): boolean {
  const g = given.trim().toUpperCase();
  return g !== '' && (g === rec.uscc?.toUpperCase() || g === rec.docNumber?.toUpperCase());
}

/** A document number shown on a case page: a person's masked (anything that is a valid ID number is one). */
const shownCode = (code: string) => (validateIdNumber(code).ok ? maskIdNumber(code) : code);

export const objectionSchema = z.object({
  ...applicantShape,
  reason: z.string().trim().min(10, '请说明记录中哪些内容有误（至少 10 个字）').max(2000, '异议理由最多 2000 个字'),
  requested: z
    .string()
    .trim()
    .max(2000, '更正要求最多 2000 个字')
    .optional()
    .transform((v) => v || null),
});

/** The credit office's first step; a refusal must say why. */
export const officeDecisionSchema = z
  .object({
    decision: z.enum(['accept', 'refuse'], { error: '请选择受理或不予受理' }),
    note: z.string().trim().max(1000, '意见最多 1000 个字').default(''),
  })
  .superRefine((v, ctx) => {
    if (v.decision === 'refuse' && !v.note) ctx.addIssue({ code: 'custom', path: ['note'], message: '不予受理须说明理由' });
  });

export const answerSchema = z.object({
  outcome: z.enum(['corrected', 'upheld'], { error: '请选择核查结果' }),
  answer: z.string().trim().min(5, '请填写核查意见（至少 5 个字），维持原记录须说明理由').max(2000, '核查意见最多 2000 个字'),
});

const PLURALS: Record<string, ObjectionTargetKind> = { permits: 'permit', penalties: 'penalty' };

/** Where each record kind's objection form lives, beside the record's own public page. */
const FILING_PATHS: readonly FilingPath<ObjectionTarget>[] = [
  {
    path: '/publicity/:plural/:id/objection',
    target: (req, id) => {
      const kind = PLURALS[String(req.params.plural)];
      if (!kind) throw new NotFoundError();
      return { kind, id };
    },
  },
  { path: '/lists/entries/:id/objection', target: (_req, id) => ({ kind: 'entry', id }) },
  { path: '/commitments/:id/objection', target: (_req, id) => ({ kind: 'commitment', id }) },
];

const formPath = ({ kind, id }: ObjectionTarget) =>
  kind === 'entry'
    ? `/lists/entries/${id}/objection`
    : kind === 'commitment'
      ? `/commitments/${id}/objection`
      : `/publicity/${kind === 'permit' ? 'permits' : 'penalties'}/${id}/objection`;

const step = stepsOf<ObjectionStatus, ObjectionDetail>();

export const objectionKind: CaseKind<ObjectionStatus, ObjectionDetail, ObjectionPublic, ObjectionTarget, z.output<typeof objectionSchema>, DisputedRecord> = {
  key: 'objection',
  noun: '异议',
  prefix: 'YY',
  statusPath: '/objections',
  adminPath: '/admin/objections',
  adminNav: 'objections-admin',
  statuses: OBJECTION_STATUS_LABELS,
  open: OPEN_STATUSES,
  deadlines: { submitted: ACCEPT_WORKDAYS, accepted: ANSWER_WORKDAYS },
  // A department sees an objection once the credit office has passed it on.
  departmentSees: ['accepted', 'corrected', 'upheld'],
  todo: {
    department: { status: 'accepted', label: '待核查答复的异议' },
    office: { status: 'submitted', label: '待受理的异议' },
  },
  table: (repo) => repo.objections,
  text: {
    notFound: '异议不存在',
    noSuchCase: (no) => `未找到案件编号为 ${no} 的异议，请核对编号`,
    foreign: '该异议不属于您的部门',
    listTitle: '异议处理',
    listIntro: `信用办在 ${ACCEPT_WORKDAYS} 个工作日内决定是否受理；受理后数据来源单位在 ${ANSWER_WORKDAYS} 个工作日内答复。超期的以红色标出。`,
    listLabel: '异议列表',
    listQa: 'objections',
    empty: '暂无异议。',
    statusTitle: '异议办理进度',
  },
  filing: {
    paths: FILING_PATHS,
    schema: objectionSchema,
    fields: [...APPLICANT_FIELDS, 'reason', 'requested'],
    title: '我要异议',
    view: {
      record: 'cases/objection/_record.njk',
      fields: 'cases/objection/_fields.njk',
      subjectHint: '须与该记录的行政相对人一致，用于确认您是信息主体',
      attachmentsLabel: '证明材料（PDF、PNG 或 JPEG，每个不超过 10 MB，最多 5 个）',
      button: '提交异议',
      qa: 'objection-form',
    },
    action: formPath,
    record: (repo, target, today) => repo.disputedRecord(target.kind, target.id, today),
    async page({ repo }, target, rec) {
      return {
        kindLabel: OBJECTION_KIND_LABELS[target.kind],
        recordHref: rec.publicHref,
        rec: { subjectName: rec.subjectName, documentNo: rec.documentNo, department: rec.departmentName },
        // One objection at a time per record: the form gives way to a notice while one is open.
        blocked: (await repo.disputedAmong(target.kind, [target.id], OPEN_STATUSES)).size > 0,
        acceptDays: ACCEPT_WORKDAYS,
        answerDays: ANSWER_WORKDAYS,
      };
    },
    sameSubject: ({ subjectCode }, rec) =>
      rec.publicNotice || sameSubject(subjectCode, rec) ? null : '填写的代码与该记录的行政相对人不一致：只能对本单位（本人）的记录提出异议',
    async file({ repo, dueIn }, target, rec, input, files, caseNo) {
      if ((await repo.disputedAmong(target.kind, [target.id], OPEN_STATUSES)).size) throw new ConflictError('该记录已有异议正在处理，请等待处理结果后再提交');
      const created = await repo.createObjection({
        caseNo,
        target,
        departmentId: rec.departmentId,
        subjectName: rec.subjectName,
        documentNo: rec.documentNo,
        subjectCode: input.subjectCode.toUpperCase(),
        applicantName: input.applicantName,
        phone: input.phone,
        email: input.email,
        reason: input.reason,
        requested: input.requested,
        acceptBy: dueIn(ACCEPT_WORKDAYS),
        files,
      });
      return {
        ...created,
        flash: { kind: 'success', text: `异议已提交，案件编号 ${created.caseNo}。请记下编号，凭编号查询办理进度。` },
        audit: { caseNo: created.caseNo, record: `${target.kind}:${target.id}`, documentNo: rec.documentNo, attachments: files.length },
      };
    },
    auditAction: 'objection.submit',
  },
  steps: [
    step({
      name: 'decision',
      actor: 'office',
      from: 'submitted',
      schema: officeDecisionSchema,
      conflict: '该异议已处理，不能重复受理',
      forbidden: '只有信用办可以受理',
      async run({ repo, dueIn, user }, c, { decision, note }) {
        const ok = await repo.decideObjection(
          c.id,
          decision === 'accept' ? { accepted: true, answerBy: dueIn(ANSWER_WORKDAYS) } : { accepted: false },
          note,
          user.id,
        );
        if (!ok) throw new ConflictError('该异议已处理，不能重复受理');
      },
      audit: ({ decision }) => (decision === 'accept' ? 'objection.accept' : 'objection.refuse'),
      auditDetail: ({ note }) => ({ note }),
      done: ({ decision }) => (decision === 'accept' ? `已受理，已转数据来源单位核查（${ANSWER_WORKDAYS} 个工作日内答复）` : '已决定不予受理'),
      form: {
        heading: '受理审查',
        qa: 'decision-form',
        legend: '决定',
        choice: 'decision',
        options: [
          { value: 'accept', label: '受理，转数据来源单位核查' },
          { value: 'refuse', label: '不予受理' },
        ],
        text: { name: 'note', label: '意见（不予受理须说明理由）', rows: 3 },
        button: '提交',
      },
    }),
    step({
      name: 'answer',
      actor: 'department',
      from: 'accepted',
      schema: answerSchema,
      conflict: '该异议不在待核查状态',
      forbidden: '只有数据来源单位可以答复',
      // "更正" needs the record to have been corrected after the objection was accepted, so the answer cannot
      // claim a correction that did not happen.
      async run({ repo, user }, c, { outcome, answer }) {
        const target = objectionTarget(c);
        if (outcome === 'corrected' && (!c.officeDecidedAt || !(await repo.correctedSince(target.kind, target.id, c.officeDecidedAt)))) {
          throw new ConflictError(`记录尚未更正：${CORRECTION_HINTS[target.kind]}`);
        }
        if (!(await repo.answerObjection(c.id, outcome, answer, user.id))) throw new ConflictError('该异议已答复');
      },
      audit: () => 'objection.answer',
      auditDetail: (data) => data,
      done: () => '已答复，申请人可凭案件编号查看结果',
      form: {
        heading: '核查答复',
        qa: 'answer-form',
        intro: 'cases/objection/_answer-intro.njk',
        legend: '核查结果',
        choice: 'outcome',
        options: [
          { value: 'corrected', label: '已更正' },
          { value: 'upheld', label: '维持原记录' },
        ],
        text: { name: 'answer', label: '核查意见', rows: 4 },
        button: '提交答复',
      },
    }),
  ],
  views: { detail: 'cases/objection/_detail.njk', status: 'cases/objection/_status.njk', progress: 'cases/objection/_progress.njk' },
  async publicView(o, { repo, today }) {
    const target = objectionTarget(o);
    const rec = await repo.disputedRecord(target.kind, target.id, today).catch((err: unknown) => {
      if (err instanceof NotFoundError) return null;
      throw err;
    });
    return {
      subjectCode: shownCode(o.subjectCode),
      kindLabel: OBJECTION_KIND_LABELS[target.kind],
      recordHref: rec?.publicHref ?? null,
      acceptBy: isoDay(o.acceptBy),
      answerBy: isoDay(o.answerBy),
      badge: o.status === 'submitted' || o.status === 'accepted' ? 'badge--warn' : 'badge--ok',
    };
  },
  async adminView(o, { repo, deadline }) {
    const target = objectionTarget(o);
    const issueId = target.kind === 'entry' ? await repo.entryIssueId(target.id) : undefined;
    return {
      kindLabel: OBJECTION_KIND_LABELS[target.kind],
      subjectCode: shownCode(o.subjectCode),
      recordHref: adminHref(target.kind, target.id, issueId),
      correctionHint: CORRECTION_HINTS[target.kind],
      acceptDue: deadline(o.acceptBy, o.status === 'submitted'),
      answerDue: o.answerBy ? deadline(o.answerBy, o.status === 'accepted') : null,
    };
  },
};
