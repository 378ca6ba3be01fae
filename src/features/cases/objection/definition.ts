import { z } from 'zod';
import { NotFoundError } from '../../../platform/errors.js';
import { ConflictError } from '../../../platform/errors.js';
import { dateColumn, isoDay } from '../../../domain/dates.js';
import { DEPARTMENT_ANSWER_WORKDAYS, OFFICE_SETTLE_WORKDAYS, VERIFIED_CASE_WORKDAYS, forwardedDues, officeDue } from '../../../domain/objection-deadlines.js';
import { OPEN_OBJECTION_STATUSES } from '../../../domain/objections.js';
import { maskIdNumber, validateIdNumber } from '../../../domain/identifiers.js';
import type { ObjectionStatus, PauseReason } from '../../../generated/prisma/enums.js';
import { APPLICANT_FIELDS, applicantShape } from '../case.js';
import { stepsOf, type CaseKind, type FilingPath } from '../kind.js';
import type { CaseRepository, DisputedRecord, ObjectionDetail, ObjectionPublic, ObjectionTargetKind } from '../repository.js';

/**
 * 异议: a subject disputes one of its public records (双公示 records, red/black-list entries, public
 * commitments). 《河南省社会信用条例》 Art. 41 (src/domain/objection-deadlines.ts): the credit office settles what
 * it can settle itself within 3 working days of receipt (or refuses it, saying why); otherwise it forwards the
 * case (转部门核查) to the department that reported the record, which answers within 3 working days of being
 * notified — corrected (after it really corrected the record) or upheld —, and the office settles the whole case
 * within 7 working days of receipt. Pauses for tests and expert review move the due dates (pauses in service.ts).
 */

export const OBJECTION_STATUS_LABELS: Record<ObjectionStatus, string> = {
  submitted: '待信用办处理',
  refused: '不予受理',
  accepted: '已转数据来源单位核查',
  answered: '数据来源单位已答复，待信用办办结',
  corrected: '已办结，记录已更正',
  upheld: '已办结，维持原记录',
};
/** Still being handled: the record shows 异议处理中 (the rule is the domain's, shared with the public views). */
export const OPEN_STATUSES: readonly ObjectionStatus[] = OPEN_OBJECTION_STATUSES;
/** Art. 41's working days: the office settling alone, the department answering, a verified case as a whole. */
export const ACCEPT_WORKDAYS = OFFICE_SETTLE_WORKDAYS;
export const ANSWER_WORKDAYS = DEPARTMENT_ANSWER_WORKDAYS;
export const SETTLE_WORKDAYS = VERIFIED_CASE_WORKDAYS;

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

/**
 * The credit office's first step: forward to the department (accept), settle it itself (corrected / upheld),
 * or refuse. Anything but forwarding ends the case and must say why.
 */
export const officeDecisionSchema = z
  .object({
    decision: z.enum(['accept', 'corrected', 'upheld', 'refuse'], { error: '请选择处理方式' }),
    note: z.string().trim().max(1000, '意见最多 1000 个字').default(''),
  })
  .superRefine((v, ctx) => {
    if (v.decision === 'refuse' && !v.note) ctx.addIssue({ code: 'custom', path: ['note'], message: '不予受理须说明理由' });
    if ((v.decision === 'corrected' || v.decision === 'upheld') && !v.note)
      ctx.addIssue({ code: 'custom', path: ['note'], message: '信用办自行办结须填写处理意见' });
  });

/** The office's last step on a forwarded case, after the department's answer. */
export const settleSchema = z.object({
  outcome: z.enum(['corrected', 'upheld'], { error: '请选择办结结果' }),
  note: z.string().trim().min(2, '请填写办结意见').max(1000, '办结意见最多 1000 个字'),
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

/** "更正" needs the record to have been corrected since `since`, so no step can claim a correction that did not happen. */
/** No step while a pause runs: the deadlines stand still, and so does the case (resume first). */
function notPaused(c: ObjectionDetail): void {
  if (c.pausedSince) throw new ConflictError('该异议正在暂停计时，请先恢复计时再办理');
}

async function mustBeCorrected(repo: CaseRepository, c: ObjectionDetail, since: Date | null): Promise<void> {
  const target = objectionTarget(c);
  if (!since || !(await repo.correctedSince(target.kind, target.id, since))) throw new ConflictError(`记录尚未更正：${CORRECTION_HINTS[target.kind]}`);
}

/** Starting a pause: what runs, and why (the note shows on the case page and in the audit log). */
export const pauseSchema = z.object({
  reason: z.enum(['testing', 'inspection', 'quarantine', 'appraisal', 'expertReview'], { error: '请选择暂停计时的事由' }),
  // not "note": the step forms on the same page already have a field of that id
  pauseNote: z.string().trim().min(2, '请说明暂停计时的具体事项').max(500, '说明最多 500 个字'),
});

/** 条例 Art. 41: what may pause an objection's deadlines. */
export const PAUSE_REASON_LABELS: Record<PauseReason, string> = {
  testing: '检测',
  inspection: '检验',
  quarantine: '检疫',
  appraisal: '鉴定',
  expertReview: '专家评审',
};

export const objectionKind: CaseKind<ObjectionStatus, ObjectionDetail, ObjectionPublic, ObjectionTarget, z.output<typeof objectionSchema>, DisputedRecord> = {
  key: 'objection',
  noun: '异议',
  prefix: 'YY',
  statusPath: '/objections',
  adminPath: '/admin/objections',
  adminNav: 'objections-admin',
  statuses: OBJECTION_STATUS_LABELS,
  open: OPEN_STATUSES,
  // answered: the case's own 7 working days count from receipt, not from the answer (settleBy).
  deadlines: { submitted: ACCEPT_WORKDAYS, accepted: ANSWER_WORKDAYS, answered: SETTLE_WORKDAYS },
  // A department sees an objection once the credit office has passed it on.
  departmentSees: ['accepted', 'answered', 'corrected', 'upheld'],
  todo: {
    department: { status: 'accepted', label: '待核查答复的异议' },
    office: [
      { status: 'submitted', label: '待处理的异议' },
      { status: 'answered', label: '部门已答复、待办结的异议' },
      // The office answers for the whole case: it sees the departments' lateness too (by their answer date).
      { status: 'accepted', label: '数据来源单位核查中的异议' },
    ],
  },
  table: (repo) => repo.objections,
  text: {
    notFound: '异议不存在',
    noSuchCase: (no) => `未找到案件编号为 ${no} 的异议，请核对编号`,
    foreign: '该异议不属于您的部门',
    listTitle: '异议处理',
    listIntro: `依《河南省社会信用条例》第四十一条：信用办能自行核实的，自收到之日起 ${ACCEPT_WORKDAYS} 个工作日内办结；需数据来源单位核查的，数据来源单位自接到通知之日起 ${ANSWER_WORKDAYS} 个工作日内答复，全案自收到之日起 ${SETTLE_WORKDAYS} 个工作日内办结。检测、检验、检疫、鉴定、专家评审的时间不计入。期限栏标明“已超期”“今日到期”。`,
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
        settleDays: SETTLE_WORKDAYS,
      };
    },
    sameSubject: ({ subjectCode }, rec) =>
      rec.publicNotice || sameSubject(subjectCode, rec) ? null : '填写的代码与该记录的行政相对人不一致：只能对本单位（本人）的记录提出异议',
    async file({ repo, now, today, calendar }, target, rec, input, files, caseNo) {
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
        submittedAt: now,
        acceptBy: dateColumn(officeDue(today, calendar)),
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
      async run({ repo, calendar, today, user }, c, { decision, note }) {
        notPaused(c);
        if (decision === 'corrected') await mustBeCorrected(repo, c, c.submittedAt);
        // Pauses so far moved the office's date; they move the whole case's 7 days as well.
        const paused = Math.max(0, calendar.workingDaysBetween(officeDue(c.submittedAt, calendar), c.acceptBy));
        const dues = forwardedDues(c.submittedAt, today, calendar, paused);
        const ok = await repo.decideObjection(
          c.id,
          decision === 'accept'
            ? { decision: 'forward', answerBy: dateColumn(dues.answerBy), settleBy: dateColumn(dues.settleBy) }
            : { decision: decision === 'refuse' ? 'refused' : decision },
          note,
          user.id,
        );
        if (!ok) throw new ConflictError('该异议已处理，不能重复受理');
      },
      audit: ({ decision }) => (decision === 'accept' ? 'objection.accept' : decision === 'refuse' ? 'objection.refuse' : 'objection.settle'),
      auditDetail: ({ decision, note }) => ({ decision, note }),
      done: ({ decision }) =>
        decision === 'accept'
          ? `已转数据来源单位核查（${ANSWER_WORKDAYS} 个工作日内答复，全案 ${SETTLE_WORKDAYS} 个工作日内办结）`
          : decision === 'refuse'
            ? '已决定不予受理'
            : '已办结',
      form: {
        heading: '信用办处理',
        qa: 'decision-form',
        intro: 'cases/objection/_decision-intro.njk',
        legend: '处理方式',
        choice: 'decision',
        options: [
          { value: 'accept', label: '转数据来源单位核查' },
          { value: 'upheld', label: '自行核实，维持原记录' },
          { value: 'corrected', label: '自行核实，记录已更正' },
          { value: 'refuse', label: '不予受理' },
        ],
        text: { name: 'note', label: '意见（自行办结或不予受理须说明理由）', rows: 3 },
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
        notPaused(c);
        if (outcome === 'corrected') await mustBeCorrected(repo, c, c.officeDecidedAt);
        if (!(await repo.answerObjection(c.id, outcome, answer, user.id))) throw new ConflictError('该异议已答复');
      },
      audit: () => 'objection.answer',
      auditDetail: (data) => data,
      done: () => `已答复，由信用办办结（全案期限 ${SETTLE_WORKDAYS} 个工作日）`,
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
    step({
      name: 'settle',
      actor: 'office',
      from: 'answered',
      schema: settleSchema,
      conflict: '该异议不在待办结状态',
      forbidden: '只有信用办可以办结',
      async run({ repo, user }, c, { outcome, note }) {
        notPaused(c);
        if (outcome === 'corrected') await mustBeCorrected(repo, c, c.officeDecidedAt);
        if (!(await repo.settleObjection(c.id, outcome, note, user.id))) throw new ConflictError('该异议已办结');
      },
      audit: () => 'objection.settle',
      auditDetail: (data) => data,
      done: () => '已办结，申请人可凭案件编号查看结果',
      form: {
        heading: '办结',
        qa: 'settle-form',
        legend: '办结结果',
        choice: 'outcome',
        options: [
          { value: 'corrected', label: '记录已更正' },
          { value: 'upheld', label: '维持原记录' },
        ],
        text: { name: 'note', label: '办结意见', rows: 3 },
        button: '办结',
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
      settleBy: isoDay(o.settleBy),
      pausedSince: isoDay(o.pausedSince),
      departmentOutcome: o.departmentOutcome ? OBJECTION_STATUS_LABELS[o.departmentOutcome] : null,
      badge: (OPEN_STATUSES as readonly string[]).includes(o.status) ? 'badge--warn' : 'badge--ok',
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
      paused: o.pausedSince !== null,
      acceptDue: deadline(o.acceptBy, o.status === 'submitted' && !o.pausedSince),
      answerDue: o.answerBy ? deadline(o.answerBy, o.status === 'accepted' && !o.pausedSince) : null,
      settleDue: o.settleBy ? deadline(o.settleBy, (o.status === 'accepted' || o.status === 'answered') && !o.pausedSince) : null,
      departmentOutcome: o.departmentOutcome ? OBJECTION_STATUS_LABELS[o.departmentOutcome] : null,
      pauses: o.pauses.map((p) => ({ ...p, reasonLabel: PAUSE_REASON_LABELS[p.reason], startedOn: isoDay(p.startedOn), endedOn: isoDay(p.endedOn) })),
      pauseReasons: Object.entries(PAUSE_REASON_LABELS).map(([value, text]) => ({ value, text })),
    };
  },
};
