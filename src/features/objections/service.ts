import type { Db } from '../../platform/database/client.js';
import type { AuditLog } from '../../platform/audit.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { canSeeDepartment } from '../../platform/access.js';
import type { WorkdayCalendar } from '../../domain/workdays.js';
import { beijingToday, dateColumn } from '../../domain/dates.js';
import type { ObjectionStatus } from '../../generated/prisma/enums.js';
import { storeFiles, type AcceptedFile } from '../../platform/attachments.js';
import type { PublicityRepository } from '../publicity/repository.js';
import { newCaseNo } from '../cases/case.js';
import { CORRECTION_HINTS, KIND_KEY, correctedSince, loadPublicRecord, type DisputedRecord, type ObjectionKind } from './kinds.js';

export const OBJECTION_STATUS_LABELS: Record<ObjectionStatus, string> = {
  submitted: '待受理',
  refused: '不予受理',
  accepted: '已受理，待数据来源单位核查',
  corrected: '已核查，记录已更正',
  upheld: '已核查，维持原记录',
};
export const OPEN_STATUSES: ObjectionStatus[] = ['submitted', 'accepted'];
/** The same, as SQL for queries that mark records 异议处理中 (the subject profile). */
export const OPEN_STATUSES_SQL = `(${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`;
/** What a department sees: objections the credit office has passed on to it, and their outcome. */
const CLERK_VISIBLE: ObjectionStatus[] = ['accepted', 'corrected', 'upheld'];
/** Working days the credit office has to accept or refuse, and the source department to answer. */
export const ACCEPT_WORKDAYS = 2;
export const ANSWER_WORKDAYS = 10;

export interface ObjectionInput {
  subjectCode: string;
  applicantName: string;
  phone: string;
  email: string | null;
  reason: string;
  requested: string | null;
}

/** Which kind of record an objection is about, and its id. */
export function objectionTarget(o: { permitId: number | null; penaltyId: number | null; listEntryId: number | null; commitmentId: number | null }): {
  kind: ObjectionKind;
  id: number;
} {
  for (const kind of Object.keys(KIND_KEY) as ObjectionKind[]) {
    const id = o[KIND_KEY[kind]];
    if (id !== null) return { kind, id };
  }
  throw new Error('objection without a record');
}

/** The code the applicant gives must be the record's: the subject disputes its own record only. */
export function sameSubject(given: string, rec: { uscc: string | null; docNumber: string | null }): boolean {
  const g = given.trim().toUpperCase();
  return g !== '' && (g === rec.uscc?.toUpperCase() || g === rec.docNumber?.toUpperCase());
}

/** 异议: a subject disputes a public record; the credit office accepts or refuses; the source department answers. */
export class ObjectionService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    /** read at each use: the credit office may add a year's holiday schedule while the server runs */
    private readonly calendar: () => WorkdayCalendar,
    private readonly publicityRepo: PublicityRepository,
    private readonly uploadDir: string,
  ) {}

  /** The issue a list entry belongs to (an objection to an entry links to its issue), or undefined. */
  async entryIssueId(entryId: number): Promise<number | undefined> {
    return (await this.db.listEntry.findUnique({ where: { id: entryId }, select: { issueId: true } }))?.issueId;
  }

  /** The public record an objection is about (only what the public may see can be disputed here). */
  publicRecord(kind: ObjectionKind, id: number): Promise<DisputedRecord> {
    return loadPublicRecord(this.db, this.publicityRepo, kind, id);
  }

  /** Ids among `ids` with an objection still being handled: those records show 异议处理中. */
  async openAmong(kind: ObjectionKind, ids: number[]): Promise<Set<number>> {
    if (!ids.length) return new Set();
    const key = KIND_KEY[kind];
    const rows = await this.db.objection.findMany({ where: { [key]: { in: ids }, status: { in: OPEN_STATUSES } }, select: { [key]: true } });
    return new Set(rows.map((r) => (r as unknown as Record<string, number | null>)[key]).filter((x): x is number => x !== null && x !== undefined));
  }

  async file(kind: ObjectionKind, recordId: number, input: ObjectionInput, files: AcceptedFile[], ip: string | null): Promise<string> {
    const rec = await this.publicRecord(kind, recordId);
    if ((await this.openAmong(kind, [recordId])).size) throw new ConflictError('该记录已有异议正在处理，请等待处理结果后再提交');
    const today = beijingToday();
    const stored = files.length ? await storeFiles(this.uploadDir, files) : [];
    const created = await this.db.objection.create({
      data: {
        caseNo: newCaseNo('YY', today),
        [KIND_KEY[kind]]: recordId,
        departmentId: rec.departmentId,
        subjectName: rec.subjectName,
        documentNo: rec.documentNo.slice(0, 100),
        subjectCode: input.subjectCode.toUpperCase(),
        applicantName: input.applicantName,
        phone: input.phone,
        email: input.email,
        reason: input.reason,
        requested: input.requested,
        acceptBy: dateColumn(this.calendar().addWorkingDays(today, ACCEPT_WORKDAYS)),
        attachments: { create: stored },
      },
      select: { id: true, caseNo: true },
    });
    await this.audit.record({
      action: 'objection.submit',
      ip,
      targetType: 'objection',
      targetId: created.id,
      detail: { caseNo: created.caseNo, record: `${kind}:${recordId}`, documentNo: rec.documentNo, attachments: stored.length },
    });
    return created.caseNo;
  }

  byCaseNo(caseNo: string) {
    return this.db.objection.findUnique({ where: { caseNo }, include: { department: { select: { name: true } } } });
  }

  /** Clerks see their department's objections once the credit office has passed them on. */
  listFor(user: Express.User, status: ObjectionStatus | '') {
    const scope = user.role === 'clerk' ? { departmentId: user.departmentId ?? -1, status: { in: CLERK_VISIBLE } } : {};
    return this.db.objection.findMany({
      where: { ...scope, ...(status ? { status } : {}) },
      orderBy: [{ submittedAt: 'desc' }],
      take: 200,
      include: { department: { select: { name: true } } },
    });
  }

  async forUser(id: number, user: Express.User) {
    const o = await this.db.objection.findUnique({
      where: { id },
      include: { department: { select: { name: true } }, attachments: { orderBy: { id: 'asc' } } },
    });
    if (!o) throw new NotFoundError('异议不存在');
    if (!canSeeDepartment(user, o.departmentId) || (user.role === 'clerk' && !CLERK_VISIBLE.includes(o.status)))
      throw new ForbiddenError('该异议不属于您的部门');
    return o;
  }

  /** The credit office's first step: accept (the department then has 10 working days) or refuse with reasons. */
  async decide(id: number, decision: 'accept' | 'refuse', note: string, user: Express.User, ip: string | null): Promise<void> {
    const today = beijingToday();
    const updated = await this.db.objection.updateMany({
      where: { id, status: 'submitted' },
      data:
        decision === 'accept'
          ? {
              status: 'accepted',
              officeDecidedAt: new Date(),
              officeUserId: user.id,
              officeNote: note || null,
              answerBy: dateColumn(this.calendar().addWorkingDays(today, ANSWER_WORKDAYS)),
            }
          : { status: 'refused', officeDecidedAt: new Date(), officeUserId: user.id, officeNote: note },
    });
    if (updated.count === 0) throw new ConflictError('该异议已处理，不能重复受理');
    await this.audit.record({
      action: decision === 'accept' ? 'objection.accept' : 'objection.refuse',
      userId: user.id,
      username: user.username,
      ip,
      targetType: 'objection',
      targetId: id,
      detail: { note },
    });
  }

  /**
   * The source department's answer. "更正" needs the record to have been corrected (edited or withdrawn) after
   * the objection was accepted, so the answer cannot claim a correction that did not happen.
   */
  async answer(id: number, outcome: 'corrected' | 'upheld', text: string, user: Express.User, ip: string | null): Promise<void> {
    const o = await this.forUser(id, user);
    if (user.role !== 'clerk' || user.departmentId !== o.departmentId) throw new ForbiddenError('只有数据来源单位可以答复');
    if (o.status !== 'accepted') throw new ConflictError('该异议不在待核查状态');
    const target = objectionTarget(o);
    if (outcome === 'corrected' && (!o.officeDecidedAt || !(await correctedSince(this.db, target.kind, target.id, o.officeDecidedAt)))) {
      throw new ConflictError(`记录尚未更正：${CORRECTION_HINTS[target.kind]}`);
    }
    const updated = await this.db.objection.updateMany({
      where: { id, status: 'accepted' },
      data: { status: outcome, answer: text, answeredAt: new Date(), answerUserId: user.id },
    });
    if (updated.count === 0) throw new ConflictError('该异议已答复');
    await this.audit.record({
      action: 'objection.answer',
      userId: user.id,
      username: user.username,
      ip,
      targetType: 'objection',
      targetId: id,
      detail: { outcome, answer: text },
    });
  }
}
