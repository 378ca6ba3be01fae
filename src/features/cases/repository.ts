import type pg from 'pg';
import { z } from 'zod';
import type { Db } from '../../platform/database/client.js';
import { blackListOfWhere, inForceWhere, inNoticeWhere } from '../../platform/database/in-force.js';
import { ConflictError, NotFoundError } from '../../platform/errors.js';
import type { StoredFile } from '../../platform/attachments.js';
import { dateColumn } from '../../domain/dates.js';
import { USCC_PLACEHOLDER } from '../../domain/identifiers.js';
import type { ArchiveStatus, ObjectionOutcome, ObjectionStatus, PauseReason, RepairStatus } from '../../generated/prisma/enums.js';
import type { CommitmentContext } from '../commitments/writer.js';
import { writeCommitments } from '../commitments/writer.js';
import type { CommitmentInput } from '../commitments/schemas.js';
import type { CaseTable } from './table.js';
import type { RepairRuleData } from './repair/rules.js';
import type { Tier } from '../../domain/publicity/tiers.js';
import { publicCommitmentWhere } from '../../platform/database/commitment-disclosure.js';

/**
 * Every case table (objection, repair_request) and the records cases are about, read and written with typed
 * Prisma queries; the one raw-SQL transaction (approving a repair, which writes a commitment through the shared
 * commitment writer on a pg client) checks its row with zod. Services and routes never see the client.
 */

const DEPARTMENT = { department: { select: { name: true } } } as const;
const FILES = { attachments: { orderBy: { id: 'asc' as const } } } as const;
const REPAIR_PENALTY = {
  penalty: {
    select: {
      id: true,
      documentNo: true,
      decisionDate: true,
      violationType: true,
      penaltyCategories: true,
      publicUntil: true,
      repairedAt: true,
      subjectCategory: true,
      leftReason: true,
      leftPublicationAt: true,
    },
  },
} as const;

/** A case list: newest first, at most 200 (the back office filters by status rather than paging). */
const LIST = { orderBy: [{ submittedAt: 'desc' as const }], take: 200, include: DEPARTMENT };

/** Who may see (a department's own cases, of the statuses it sees) and the status chosen in the filter. */
function listWhere<S extends string>({ departmentId, statuses, status }: { departmentId?: number; statuses?: readonly S[]; status?: S }) {
  return {
    ...(departmentId !== undefined ? { departmentId } : {}),
    ...(statuses ? { status: { in: [...statuses] } } : {}),
    ...(status ? { AND: [{ status }] } : {}),
  };
}

export type ObjectionTargetKind = 'permit' | 'penalty' | 'entry' | 'commitment';
const TARGET_KEY = { permit: 'permitId', penalty: 'penaltyId', entry: 'listEntryId', commitment: 'commitmentId' } as const;

/** A public record as the objection workflow needs it. */
export interface DisputedRecord {
  id: number;
  subjectName: string;
  subjectCategory: string;
  uscc: string | null;
  docNumber: string | null;
  /** 文书号, 认定文号 or 承诺编码 */
  documentNo: string;
  departmentId: number;
  departmentName: string;
  publicHref: string;
  /** A red-list entry in its 公示期 (条例 Art. 28): the notice asks the public, so anyone may object, not only the subject. */
  publicNotice?: boolean;
}

/** A public penalty with what the repair rules look at. */
export interface RepairablePenalty {
  id: number;
  subjectName: string;
  subjectCategory: string;
  uscc: string | null;
  docNumber: string | null;
  documentNo: string;
  departmentId: number;
  departmentName: string;
  decisionDate: Date;
  penaltyCategories: string[];
  violationType: string;
  basis: string;
  content: string;
  authority: string;
  tier: Tier;
}

const officeRow = z.object({
  status: z.string(),
  eligible_from: z.string(),
  department_id: z.number(),
  penalty_id: z.number(),
  case_no: z.string(),
  subject_name: z.string(),
  subject_code: z.string(),
  commitment_content: z.string(),
  submitted: z.string(),
  category: z.enum(['legal', 'natural', 'soleTrader']),
});

export interface ObjectionCreate {
  caseNo: string;
  target: { kind: ObjectionTargetKind; id: number };
  departmentId: number;
  subjectName: string;
  documentNo: string;
  subjectCode: string;
  applicantName: string;
  phone: string;
  email: string | null;
  reason: string;
  requested: string | null;
  /** the time of receipt: the deadlines count from its Beijing day */
  submittedAt: Date;
  acceptBy: Date;
  files: StoredFile[];
}

export interface RepairCreate {
  caseNo: string;
  penaltyId: number;
  departmentId: number;
  subjectName: string;
  subjectCode: string;
  applicantName: string;
  phone: string;
  email: string | null;
  rectification: string;
  commitmentContent: string;
  tier: Tier;
  minMonths: number;
  rules: string;
  eligibleFrom: Date;
  /** refused at once by the rules, with the reason; or waiting for the department by this day */
  outcome: { refusalReason: string } | { departmentBy: Date };
  files: StoredFile[];
}

/** A penalty as the archive request (条例 Art. 44) needs it: any not withdrawn and not yet archived, public or not. */
export interface ArchivablePenalty {
  id: number;
  subjectName: string;
  subjectCategory: string;
  uscc: string | null;
  docNumber: string | null;
  documentNo: string;
  departmentId: number;
  departmentName: string;
  decisionDate: Date;
  publicUntil: Date;
  isPublic: boolean;
  legalPersonId: number | null;
  naturalPersonId: number | null;
}

export interface ArchiveCreate {
  caseNo: string;
  penaltyId: number;
  departmentId: number;
  subjectName: string;
  subjectCode: string;
  applicantName: string;
  phone: string;
  email: string | null;
  reason: string;
  /** refused at once by the rule, with the reason; or waiting for the credit office by this day */
  outcome: { refusalReason: string } | { officeBy: Date };
  files: StoredFile[];
}

export class CaseRepository {
  constructor(
    private readonly db: Db,
    /** the pool of the repair approval's transaction (the commitment writer works on a pg client) */
    private readonly pool: pg.Pool,
  ) {}

  // ---- objection ----

  readonly objections: CaseTable<ObjectionStatus, ObjectionDetail, ObjectionPublic> = {
    list: async (where) =>
      (await this.db.objection.findMany({ where: listWhere(where), ...LIST })).map((o) => ({
        ...o,
        // A paused case has no running deadline (条例 Art. 41): the list shows it without one.
        dueBy: o.pausedSince
          ? null
          : o.status === 'submitted'
            ? o.acceptBy
            : o.status === 'accepted'
              ? o.answerBy
              : o.status === 'answered'
                ? o.settleBy
                : null,
      })),
    detail: (id) => this.objectionDetail(id),
    byCaseNo: (caseNo) => this.objectionByCaseNo(caseNo),
    count: ({ departmentId, status, dueBefore, dueOn }) => {
      // The date that runs in each waiting status: the office's, the department's, the whole case's.
      const column = status === 'submitted' ? 'acceptBy' : status === 'accepted' ? 'answerBy' : 'settleBy';
      const due = dueBefore ? { [column]: { lt: dueBefore } } : dueOn ? { [column]: dueOn } : {};
      return this.db.objection.count({
        where: {
          status,
          ...(departmentId !== undefined ? { departmentId } : {}),
          ...(dueBefore || dueOn ? { pausedSince: null, ...due } : {}),
        },
      });
    },
  };

  objectionDetail(id: number) {
    return this.db.objection.findUnique({ where: { id }, include: { ...DEPARTMENT, ...FILES, pauses: { orderBy: { id: 'asc' } } } });
  }

  /** Open objections whose due dates were set under the old 2 + 10 rule (see CaseService.upgradeLegacyDeadlines). */
  legacyOpenObjections(open: readonly ObjectionStatus[]) {
    return this.db.objection.findMany({
      where: { deadlineRule: 'legacy', status: { in: [...open] } },
      select: { id: true, status: true, submittedAt: true, officeDecidedAt: true },
    });
  }

  /** Rewrites a legacy case's open due dates under Art. 41; closed cases keep the dates they were handled by. */
  async setArt41Dues(id: number, dues: { acceptBy: Date; answerBy: Date | null; settleBy: Date | null }): Promise<void> {
    await this.db.objection.updateMany({ where: { id, deadlineRule: 'legacy' }, data: { ...dues, deadlineRule: 'art41' } });
  }

  /** Marks the closed legacy cases as seen, so the check above stays a no-op on an index. */
  async closeLegacy(open: readonly ObjectionStatus[]): Promise<void> {
    await this.db.objection.updateMany({ where: { deadlineRule: 'legacy', status: { notIn: [...open] } }, data: { deadlineRule: 'closed' } });
  }

  /** Starts a pause on an open case that has none running. */
  async startPause(id: number, open: readonly ObjectionStatus[], p: { reason: PauseReason; note: string; startedOn: Date; userId: number }): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const marked = await tx.objection.updateMany({ where: { id, pausedSince: null, status: { in: [...open] } }, data: { pausedSince: p.startedOn } });
      if (marked.count === 0) return false;
      await tx.objectionPause.create({ data: { objectionId: id, reason: p.reason, note: p.note, startedOn: p.startedOn, startedById: p.userId } });
      return true;
    });
  }

  /** The running pause of a case, if any. */
  runningPause(id: number) {
    return this.db.objectionPause.findFirst({ where: { objectionId: id, endedOn: null }, orderBy: { id: 'desc' } });
  }

  /** Ends the running pause and writes the case's moved due dates, in one transaction. */
  async endPause(
    id: number,
    pauseId: number,
    p: { endedOn: Date; userId: number; pausedWorkdays: number; dues: { acceptBy?: Date; answerBy?: Date; settleBy?: Date } },
  ): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const ended = await tx.objectionPause.updateMany({
        where: { id: pauseId, objectionId: id, endedOn: null },
        data: { endedOn: p.endedOn, endedById: p.userId, pausedWorkdays: p.pausedWorkdays },
      });
      if (ended.count === 0) return false;
      await tx.objection.update({ where: { id }, data: { ...p.dues, pausedSince: null } });
      return true;
    });
  }

  objectionByCaseNo(caseNo: string) {
    return this.db.objection.findUnique({ where: { caseNo }, include: DEPARTMENT });
  }

  /** The public record an objection may be about (only what the public may see can be disputed). */
  async disputedRecord(kind: ObjectionTargetKind, id: number, today: string): Promise<DisputedRecord> {
    const gone = () => new NotFoundError('该记录不存在、已撤回或已不在公示中');
    if (kind === 'permit') {
      const p = await this.db.permit.findFirst({ where: { id, isPublic: true }, include: DEPARTMENT });
      if (!p) throw gone();
      return { ...pick(p), departmentName: p.department.name, publicHref: `/publicity/permits/${id}` };
    }
    if (kind === 'penalty') {
      const p = await this.publicPenalty(id, today);
      if (!p) throw gone();
      return { ...pick(p), departmentName: p.departmentName, publicHref: `/publicity/penalties/${id}` };
    }
    if (kind === 'entry') {
      const e = await this.db.listEntry.findFirst({
        // A red-list entry in its 公示期 is open to objection too: that is what the notice period is for (条例 Art. 28).
        where: { id, OR: [inForceWhere(today), inNoticeWhere(today)] },
        include: { nomination: { select: { departmentId: true, department: { select: { name: true } } } } },
      });
      if (!e) throw gone();
      return {
        id,
        subjectName: e.subjectName,
        subjectCategory: e.subjectCategory,
        uscc: e.uscc,
        docNumber: e.docNumber,
        documentNo: e.basisDocNo,
        departmentId: e.nomination.departmentId,
        departmentName: e.nomination.department.name,
        publicHref: `/lists/${e.issueId}`,
        publicNotice: e.noticeEndsOn !== null && e.confirmedAt === null && e.noticeEndsOn >= dateColumn(today),
      };
    }
    const c = await this.db.commitment.findFirst({ where: { id, ...publicCommitmentWhere(today) }, include: DEPARTMENT });
    if (!c) throw gone();
    const natural = c.promisorCategory === 'natural';
    return {
      id,
      subjectName: c.promisorName,
      subjectCategory: c.promisorCategory,
      uscc: natural ? null : c.promisorCode,
      docNumber: natural ? c.promisorCode : null,
      documentNo: c.code,
      departmentId: c.departmentId,
      departmentName: c.department.name,
      publicHref: `/commitments/${id}`,
    };
  }

  /** The issue a list entry belongs to (the back office links an objection to an entry to its issue). */
  async entryIssueId(entryId: number): Promise<number | undefined> {
    return (await this.db.listEntry.findUnique({ where: { id: entryId }, select: { issueId: true } }))?.issueId;
  }

  /** Ids among `ids` with an objection still being handled: those records show 异议处理中. */
  async disputedAmong(kind: ObjectionTargetKind, ids: number[], open: readonly ObjectionStatus[]): Promise<Set<number>> {
    if (!ids.length) return new Set();
    const status = { in: [...open] };
    const found: (number | null)[] =
      kind === 'permit'
        ? (await this.db.objection.findMany({ where: { permitId: { in: ids }, status }, select: { permitId: true } })).map((r) => r.permitId)
        : kind === 'penalty'
          ? (await this.db.objection.findMany({ where: { penaltyId: { in: ids }, status }, select: { penaltyId: true } })).map((r) => r.penaltyId)
          : kind === 'entry'
            ? (await this.db.objection.findMany({ where: { listEntryId: { in: ids }, status }, select: { listEntryId: true } })).map((r) => r.listEntryId)
            : (await this.db.objection.findMany({ where: { commitmentId: { in: ids }, status }, select: { commitmentId: true } })).map((r) => r.commitmentId);
    return new Set(found.filter((x): x is number => x !== null));
  }

  /** Whether the record was corrected (edited, withdrawn, exited or given a correction notice) after `at`. */
  async correctedSince(kind: ObjectionTargetKind, id: number, at: Date): Promise<boolean> {
    switch (kind) {
      case 'permit':
        return (await this.db.permit.count({ where: { id, updatedAt: { gt: at } } })) > 0;
      case 'penalty':
        return (await this.db.penalty.count({ where: { id, updatedAt: { gt: at } } })) > 0;
      case 'commitment':
        return (await this.db.commitment.count({ where: { id, updatedAt: { gt: at } } })) > 0;
      case 'entry': {
        const e = await this.db.listEntry.findUnique({ where: { id }, select: { exitedAt: true, withdrawnAt: true, issueId: true } });
        if (!e) return false;
        if (e.exitedAt && e.exitedAt > at) return true;
        if (e.withdrawnAt && e.withdrawnAt > at) return true;
        return (await this.db.listNotice.count({ where: { issueId: e.issueId, kind: 'correction', publishedAt: { gt: at } } })) > 0;
      }
    }
  }

  async createObjection(o: ObjectionCreate): Promise<{ id: number; caseNo: string }> {
    return this.db.objection.create({
      data: {
        caseNo: o.caseNo,
        [TARGET_KEY[o.target.kind]]: o.target.id,
        departmentId: o.departmentId,
        subjectName: o.subjectName,
        documentNo: o.documentNo.slice(0, 100),
        subjectCode: o.subjectCode,
        applicantName: o.applicantName,
        phone: o.phone,
        email: o.email,
        reason: o.reason,
        requested: o.requested,
        submittedAt: o.submittedAt,
        acceptBy: o.acceptBy,
        attachments: { create: o.files },
      },
      select: { id: true, caseNo: true },
    });
  }

  /**
   * The credit office's first step, only on a case still waiting for it and not paused: forward it to the
   * department (with the department's and the whole case's due dates), settle it itself, or refuse it.
   */
  async decideObjection(
    id: number,
    data: { decision: 'forward'; answerBy: Date; settleBy: Date } | { decision: 'refused' | ObjectionOutcome },
    note: string,
    userId: number,
  ): Promise<boolean> {
    const now = new Date();
    const base = { officeDecidedAt: now, officeUserId: userId };
    const updated = await this.db.objection.updateMany({
      where: { id, status: 'submitted', pausedSince: null },
      data:
        data.decision === 'forward'
          ? { ...base, status: 'accepted', officeNote: note || null, answerBy: data.answerBy, settleBy: data.settleBy }
          : data.decision === 'refused'
            ? { ...base, status: 'refused', officeNote: note }
            : { ...base, status: data.decision, officeNote: note, settledAt: now, settleUserId: userId, settleNote: note },
    });
    return updated.count > 0;
  }

  /** The department's answer: what it found goes back to the credit office, which settles the case. */
  async answerObjection(id: number, outcome: ObjectionOutcome, answer: string, userId: number): Promise<boolean> {
    const updated = await this.db.objection.updateMany({
      where: { id, status: 'accepted', pausedSince: null },
      data: { status: 'answered', departmentOutcome: outcome, answer, answeredAt: new Date(), answerUserId: userId },
    });
    return updated.count > 0;
  }

  /** The credit office settles a forwarded case after the department's answer. */
  async settleObjection(id: number, outcome: ObjectionOutcome, note: string, userId: number): Promise<boolean> {
    const updated = await this.db.objection.updateMany({
      where: { id, status: 'answered', pausedSince: null },
      data: { status: outcome, settleNote: note, settledAt: new Date(), settleUserId: userId },
    });
    return updated.count > 0;
  }

  // ---- repair ----

  readonly repairs: CaseTable<RepairStatus, RepairDetail, RepairPublic> = {
    list: async (where) =>
      (await this.db.repairRequest.findMany({ where: listWhere(where), ...LIST })).map((r) => ({
        ...r,
        dueBy: r.status === 'pendingDepartment' ? r.departmentBy : r.status === 'pendingOffice' ? r.officeBy : null,
      })),
    detail: (id) => this.repairDetail(id),
    byCaseNo: (caseNo) => this.repairByCaseNo(caseNo),
    count: ({ departmentId, status, dueBefore, dueOn }) => {
      const column = status === 'pendingDepartment' ? 'departmentBy' : 'officeBy';
      return this.db.repairRequest.count({
        where: {
          status,
          ...(departmentId !== undefined ? { departmentId } : {}),
          ...(dueBefore ? { [column]: { lt: dueBefore } } : dueOn ? { [column]: dueOn } : {}),
        },
      });
    },
  };

  repairDetail(id: number) {
    return this.db.repairRequest.findUnique({ where: { id }, include: { ...DEPARTMENT, ...FILES, ...REPAIR_PENALTY } });
  }

  repairByCaseNo(caseNo: string) {
    return this.db.repairRequest.findUnique({
      where: { caseNo },
      include: { ...DEPARTMENT, penalty: { select: { id: true, documentNo: true, decisionDate: true, subjectCategory: true, tier: true } } },
    });
  }

  /** A penalty the public may see today (published, in its publicity period), with what the repair rules read. */
  async publicPenalty(id: number, today: string): Promise<RepairablePenalty | null> {
    const p = await this.db.penalty.findFirst({ where: { id, isPublic: true, publicUntil: { gte: dateColumn(today) } }, include: DEPARTMENT });
    if (!p) return null;
    return {
      ...pick(p),
      departmentName: p.department.name,
      decisionDate: p.decisionDate,
      penaltyCategories: p.penaltyCategories,
      violationType: p.violationType,
      basis: p.basis,
      content: p.content,
      authority: p.authority,
      tier: p.tier,
    };
  }

  async openRepairs(penaltyId: number, open: readonly RepairStatus[]): Promise<number> {
    return this.db.repairRequest.count({ where: { penaltyId, status: { in: [...open] } } });
  }

  async createRepair(r: RepairCreate): Promise<{ id: number; caseNo: string }> {
    const { outcome, files, ...fields } = r;
    return this.db.repairRequest.create({
      data: {
        ...fields,
        ...('refusalReason' in outcome
          ? { status: 'refused' as const, refusalReason: outcome.refusalReason, decidedAt: new Date() }
          : { status: 'pendingDepartment' as const, departmentBy: outcome.departmentBy }),
        attachments: { create: files },
      },
      select: { id: true, caseNo: true },
    });
  }

  async departmentDecision(id: number, data: { approved: true; officeBy: Date } | { approved: false }, note: string, userId: number): Promise<boolean> {
    const base = { departmentAt: new Date(), departmentUserId: userId };
    const updated = await this.db.repairRequest.updateMany({
      where: { id, status: 'pendingDepartment' },
      data: data.approved
        ? { ...base, status: 'pendingOffice', departmentNote: note || null, officeBy: data.officeBy }
        : { ...base, status: 'refused', departmentNote: note, refusalReason: `数据来源单位审核不通过：${note}`, decidedAt: new Date() },
    });
    return updated.count > 0;
  }

  /**
   * The credit office's final decision, in one transaction, so a repair takes effect everywhere at once (条例 Art. 43).
   * Approval ends the penalty's publicity (public_until becomes yesterday, is_public false with left_reason
   * 'repaired'; repaired_at is set so a later correction cannot bring it back, and updated_at so the next export
   * carries it as a repair notice), records the applicant's 信用修复型 commitment through the one writer that hands
   * out 承诺编码, and lifts what rested on the penalty: the subject's black-list entries whose basis is this decision
   * (文书号) leave with an exit notice, and their pending joint-measure tasks stop. Every public read filters on
   * these columns, so nothing is left for a later job; effect_by is the Art. 43 due date, effective_at the moment.
   */
  async officeDecision(
    id: number,
    decision: 'approve' | 'refuse',
    note: string,
    userId: number,
    today: string,
    effectBy: Date,
    commitmentContext: (departmentId: number) => Promise<CommitmentContext>,
  ): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query(
        `SELECT r.status, to_char(r.eligible_from, 'YYYY-MM-DD') AS eligible_from, r.department_id, r.penalty_id, r.case_no, r.subject_name, r.subject_code, r.commitment_content,
                to_char(r.submitted_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS submitted, p.subject_category::text AS category
           FROM repair_request r JOIN penalty p ON p.id = r.penalty_id WHERE r.id = $1 FOR UPDATE OF r`,
        [id],
      );
      if (!rows[0]) throw new NotFoundError('信用修复申请不存在');
      const r = officeRow.parse(rows[0]);
      if (r.status !== 'pendingOffice') throw new ConflictError('该申请不在待信用办审核状态');
      if (decision === 'refuse') {
        await client.query(
          `UPDATE repair_request SET status = 'refused', office_at = now(), office_user_id = $2, office_note = $3, refusal_reason = $4, decided_at = now() WHERE id = $1`,
          [id, userId, note, `信用办审核不通过：${note}`],
        );
      } else {
        if (today < r.eligible_from) throw new ConflictError(`最短公示期未满，${r.eligible_from} 起方可批准`);
        const input: CommitmentInput = {
          promisorName: r.subject_name,
          promisorCategory: r.category,
          promisorCode: r.subject_code,
          commitmentType: '信用修复型',
          matter: `申请信用修复（案件编号 ${r.case_no}）`,
          content: r.commitment_content,
          liability: '自愿接受相关部门依法依规实施的失信惩戒，并承担相应法律责任',
          madeOn: r.submitted,
          validUntil: null,
          disclosure: '可向社会公开',
          remark: null,
          fulfilment: null,
          unfulfilledContent: null,
          liabilityPursued: null,
        };
        const { created } = await writeCommitments(client, [{ rowNo: 1, input }], await commitmentContext(r.department_id));
        await client.query(
          `UPDATE penalty SET repaired_at = now(), public_until = LEAST(public_until, $2::date - 1), is_public = false,
                  left_publication_at = now(), left_reason = 'repaired', updated_at = now() WHERE id = $1`,
          [r.penalty_id, today],
        );
        const lifted = await liftEntries(client, r.penalty_id, r.case_no, userId);
        await client.query(
          `UPDATE repair_request SET status = 'approved', office_at = now(), office_user_id = $2, office_note = $3, decided_at = now(), commitment_id = $4,
                  effect_by = $5, effective_at = now(), lifted_entries = $6, lifted_tasks = $7 WHERE id = $1`,
          [id, userId, note || null, created[0]!.id, effectBy, lifted.entries, lifted.tasks],
        );
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  // ---- archive request (条例 Art. 44) ----

  readonly archives: CaseTable<ArchiveStatus, ArchiveDetail, ArchivePublic> = {
    list: async (where) =>
      (await this.db.archiveRequest.findMany({ where: listWhere(where), ...LIST })).map((r) => ({
        ...r,
        dueBy: r.status === 'pendingOffice' ? r.officeBy : null,
      })),
    detail: (id) => this.archiveDetail(id),
    byCaseNo: (caseNo) => this.archiveByCaseNo(caseNo),
    count: ({ departmentId, status, dueBefore }) =>
      this.db.archiveRequest.count({
        where: { status, ...(departmentId !== undefined ? { departmentId } : {}), ...(dueBefore ? { officeBy: { lt: dueBefore } } : {}) },
      }),
  };

  archiveDetail(id: number) {
    return this.db.archiveRequest.findUnique({
      where: { id },
      include: {
        ...DEPARTMENT,
        ...FILES,
        penalty: {
          select: { id: true, documentNo: true, decisionDate: true, violationType: true, publicUntil: true, subjectCategory: true, archivedAt: true },
        },
      },
    });
  }

  archiveByCaseNo(caseNo: string) {
    return this.db.archiveRequest.findUnique({
      where: { caseNo },
      include: { ...DEPARTMENT, penalty: { select: { id: true, documentNo: true, decisionDate: true, subjectCategory: true } } },
    });
  }

  /** A penalty that may be the subject of an archive request: stored, not withdrawn, not yet archived. */
  async archivablePenalty(id: number): Promise<ArchivablePenalty | null> {
    const p = await this.db.penalty.findFirst({ where: { id, withdrawnAt: null, archivedAt: null }, include: DEPARTMENT });
    if (!p) return null;
    return {
      ...pick(p),
      departmentName: p.department.name,
      decisionDate: p.decisionDate,
      publicUntil: p.publicUntil,
      isPublic: p.isPublic,
      legalPersonId: p.legalPersonId,
      naturalPersonId: p.naturalPersonId,
    };
  }

  /** The archivable penalty with this 文书号 whose subject has this code (USCC or document number), or null. */
  async findArchivable(documentNo: string, subjectCode: string): Promise<number | null> {
    const code = subjectCode.toUpperCase();
    const p = await this.db.penalty.findFirst({
      where: { documentNo, withdrawnAt: null, archivedAt: null, OR: [{ uscc: code }, { docNumber: code }] },
      select: { id: true },
      orderBy: { decisionDate: 'desc' },
    });
    return p?.id ?? null;
  }

  /** Whether the subject is on a black list in force on `today` (the exception of 条例 Art. 19). */
  async onBlackList(subject: { legalPersonId: number | null; naturalPersonId: number | null }, today: string): Promise<boolean> {
    const where = blackListOfWhere(subject, today);
    return where !== null && (await this.db.listEntry.count({ where })) > 0;
  }

  async openArchives(penaltyId: number, open: readonly ArchiveStatus[]): Promise<number> {
    return this.db.archiveRequest.count({ where: { penaltyId, status: { in: [...open] } } });
  }

  async createArchive(r: ArchiveCreate): Promise<{ id: number; caseNo: string }> {
    const { outcome, files, ...fields } = r;
    return this.db.archiveRequest.create({
      data: {
        ...fields,
        ...('refusalReason' in outcome
          ? { status: 'refused' as const, refusalReason: outcome.refusalReason, decidedAt: new Date() }
          : { status: 'pendingOffice' as const, officeBy: outcome.officeBy }),
        attachments: { create: files },
      },
      select: { id: true, caseNo: true },
    });
  }

  /**
   * The credit office's decision, in one transaction: approval archives the penalty (never disclosed again, out of
   * credit checks and nominations; kept in the back office). False when the case is no longer waiting for it.
   */
  async archiveDecision(id: number, decision: 'approve' | 'refuse', note: string, userId: number): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const base = { officeAt: new Date(), officeUserId: userId, decidedAt: new Date() };
      const updated = await tx.archiveRequest.updateMany({
        where: { id, status: 'pendingOffice' },
        data:
          decision === 'approve'
            ? { ...base, status: 'approved', officeNote: note || null }
            : { ...base, status: 'refused', officeNote: note, refusalReason: `信用办审核不予归档：${note}` },
      });
      if (updated.count === 0) return false;
      if (decision === 'approve') {
        const r = await tx.archiveRequest.findUniqueOrThrow({ where: { id }, select: { penaltyId: true } });
        await tx.penalty.updateMany({
          where: { id: r.penaltyId, archivedAt: null },
          data: { archivedAt: new Date(), archiveReason: 'requested', isPublic: false },
        });
      }
      return true;
    });
  }

  // ---- repair rules ----

  repairRules(): Promise<RepairRuleData[]> {
    return this.db.repairRule.findMany({ orderBy: { id: 'asc' } });
  }

  async ruleExists(id: number): Promise<boolean> {
    return (await this.db.repairRule.findUnique({ where: { id }, select: { id: true } })) !== null;
  }

  async saveRule(id: number | null, fields: Omit<RepairRuleData, 'id'>): Promise<number> {
    const asDate = (v: Date | string) => (typeof v === 'string' ? dateColumn(v) : v);
    const data = { ...fields, effectiveFrom: asDate(fields.effectiveFrom), effectiveTo: fields.effectiveTo === null ? null : asDate(fields.effectiveTo) };
    const saved =
      id === null
        ? await this.db.repairRule.create({ data, select: { id: true } })
        : await this.db.repairRule.update({ where: { id }, data, select: { id: true } });
    return saved.id;
  }
}

/**
 * The black-list entries of the penalty's subject grounded on it (same 文书号 as their basis) leave the list with an
 * exit notice through the channel of the entry, and their pending joint-measure tasks stop (as a list exit does).
 */
async function liftEntries(client: pg.PoolClient, penaltyId: number, caseNo: string, userId: number): Promise<{ entries: number; tasks: number }> {
  const { rows } = await client.query<{ id: number; issue_id: number; subject_name: string }>(
    `UPDATE list_entry e SET exited_at = now(), exit_reason = $2
       FROM penalty p
      WHERE p.id = $1 AND e.list_type = 'black' AND e.exited_at IS NULL AND e.basis_doc_no = p.document_no
        AND (e.legal_person_id = p.legal_person_id OR (e.uscc = p.uscc AND p.uscc <> $3) OR e.doc_number = p.doc_number)
      RETURNING e.id, e.issue_id, e.subject_name`,
    // The placeholder code of a 个体工商户 without a USCC names no one.
    [penaltyId, `作为列入依据的行政处罚已信用修复（案件编号 ${caseNo}）`, USCC_PLACEHOLDER],
  );
  if (!rows.length) return { entries: 0, tasks: 0 };
  const ids = rows.map((e) => e.id);
  const tasks = await client.query(`UPDATE measure_task SET status = 'stopped' WHERE entry_id = ANY($1::int[]) AND status = 'pending'`, [ids]);
  for (const e of rows) {
    await client.query(`INSERT INTO list_notice (kind, issue_id, entry_id, text, published_by_id) VALUES ('exit', $1, $2, $3, $4)`, [
      e.issue_id,
      e.id,
      `${e.subject_name}退出黑名单。原因：作为列入依据的行政处罚已信用修复（案件编号 ${caseNo}），相关联合惩戒措施同时解除。`,
      userId,
    ]);
  }
  return { entries: rows.length, tasks: tasks.rowCount ?? 0 };
}

/** The subject fields every disputable record has under the same names. */
function pick(p: {
  id: number;
  subjectName: string;
  subjectCategory: string;
  uscc: string | null;
  docNumber: string | null;
  documentNo: string;
  departmentId: number;
}) {
  return {
    id: p.id,
    subjectName: p.subjectName,
    subjectCategory: p.subjectCategory,
    uscc: p.uscc,
    docNumber: p.docNumber,
    documentNo: p.documentNo,
    departmentId: p.departmentId,
  };
}

export type ObjectionDetail = NonNullable<Awaited<ReturnType<CaseRepository['objectionDetail']>>>;
export type ObjectionPublic = NonNullable<Awaited<ReturnType<CaseRepository['objectionByCaseNo']>>>;
export type RepairDetail = NonNullable<Awaited<ReturnType<CaseRepository['repairDetail']>>>;
export type RepairPublic = NonNullable<Awaited<ReturnType<CaseRepository['repairByCaseNo']>>>;
export type ArchiveDetail = NonNullable<Awaited<ReturnType<CaseRepository['archiveDetail']>>>;
export type ArchivePublic = NonNullable<Awaited<ReturnType<CaseRepository['archiveByCaseNo']>>>;
