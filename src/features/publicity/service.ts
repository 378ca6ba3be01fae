import type { AuditLog } from '../../platform/audit.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { canSeeDepartment } from '../../platform/access.js';
import { WorkdayCalendar } from '../../domain/workdays.js';
import { beijingToday, dateColumn } from '../../domain/dates.js';
import { revocationDue } from '../../domain/objection-deadlines.js';
import { archiveScanBound } from '../../domain/publicity/disclosure.js';
import type { RecordKind } from '../../domain/publicity/fields.js';
import type { RecordInput, RecordWriter, RowProblem, WriteContext } from './writer.js';
import type { RecordRepository, StoredRecordKey } from './record-repository.js';
import type { AuthorityRepository } from '../authorities/repository.js';
import type { AuthorityIssue, AuthorityList } from '../../domain/publicity/authorities.js';

export type SaveOutcome = { ok: true; id: number; inserted: boolean; unchanged?: boolean } | { ok: false; problems: RowProblem[] };

/** 双公示 writes: one record from a form, withdrawal, and the write context shared with batch imports. */
export class PublicityService {
  private countyByRegion: Promise<Map<string, number>> | null = null;
  /** The national schedule plus the years the credit office has entered (HolidayService replaces it). */
  calendar = new WorkdayCalendar();

  constructor(
    private readonly records: RecordRepository,
    private readonly writer: RecordWriter,
    private readonly audit: AuditLog,
    private readonly authorities: AuthorityRepository,
  ) {}

  /** The authorities a department's records may name, loaded once per form or import. */
  authorityList(departmentId: number): Promise<AuthorityList> {
    return this.authorities.reportable(departmentId);
  }

  /** Why this record may not be published by this department under its authority; empty when it may. */
  async authorityIssues(kind: RecordKind, departmentId: number, input: Pick<RecordInput, 'authority' | 'authorityCode'>): Promise<AuthorityIssue[]> {
    return (await this.authorityList(departmentId)).check(kind, input);
  }

  private regions(): Promise<Map<string, number>> {
    this.countyByRegion ??= this.records.countyByRegion();
    return this.countyByRegion;
  }

  async writeContext(departmentId: number, userId: number | null, importId: number | null): Promise<WriteContext> {
    const dept = await this.records.department(departmentId);
    if (!dept) throw new ForbiddenError('您的账号未分配部门，不能报送');
    return {
      departmentId,
      departmentCountyId: dept.level === 'county' ? dept.countyId : null,
      marketSupervision: dept.name.includes('市场监督管理'),
      countyByRegion: await this.regions(),
      tierRules: await this.records.tierRules(),
      userId,
      importId,
      reportWorkdays: (decisionDate, reportedDay) =>
        this.calendar.knows(decisionDate) && this.calendar.knows(reportedDay) ? this.calendar.workingDaysBetween(decisionDate, reportedDay) : null,
    };
  }

  /** The stored record with this (机关代码, 文书号), if any: a new record on the form must not silently correct it. */
  findByKey(kind: RecordKind, authorityCode: string, documentNo: string): Promise<StoredRecordKey | null> {
    return this.records.findByKey(kind, authorityCode, documentNo);
  }

  /** Saves one record from a form; a repeat of the same (机关代码, 文书号) corrects the existing record. */
  async saveOne(kind: RecordKind, input: RecordInput, user: Express.User, ip: string | null): Promise<SaveOutcome> {
    if (user.departmentId === null) throw new ForbiddenError('您的账号未分配部门，不能报送');
    // The form shows these on its fields first; this keeps every other caller to the same rule.
    const refused = await this.authorityIssues(kind, user.departmentId, input);
    if (refused.length) throw new ForbiddenError(refused[0]!.message);
    const ctx = await this.writeContext(user.departmentId, user.id, null);
    const result = await this.writer.saveOne(kind, input, ctx, { userId: user.id, username: user.username, ip });
    return result.ok ? { ok: true, ...result.saved } : result;
  }

  /**
   * The end of publicity periods (job publicity-expiry, nightly and at worker start): see RecordWriter.expirePublicity.
   * Returns the rows changed.
   */
  expirePublicity(opts: { today?: string; batch?: number } = {}): Promise<number> {
    return this.writer.expirePublicity(opts.today ?? beijingToday(), opts.batch ?? 5000);
  }

  /**
   * 撤销 (条例 Art. 42): the department records that the decision was revoked. The record leaves every public
   * surface at once; the due date — 1 working day after the day the update reached the platform (`knownOn`,
   * today unless it reached the credit office earlier) — is kept, so the revocation report shows whether the
   * platform was on time. Audited.
   */
  async revoke(
    kind: RecordKind,
    id: number,
    input: { revokedOn: string; docNo: string; reason: string; knownOn: string },
    user: Express.User,
    ip: string | null,
  ): Promise<{ dueBy: string }> {
    const rec = await this.records.withdrawalState(kind, id);
    if (!rec) throw new NotFoundError('记录不存在');
    if (!canSeeDepartment(user, rec.departmentId)) throw new ForbiddenError('只能登记本部门报送的记录');
    if (rec.withdrawnAt) throw new ConflictError('该记录已撤回，不能再登记撤销');
    const dueBy = revocationDue(input.knownOn, this.calendar);
    const done = await this.records.revoke(kind, id, {
      revokedOn: dateColumn(input.revokedOn),
      docNo: input.docNo,
      reason: input.reason,
      knownOn: dateColumn(input.knownOn),
      dueBy: dateColumn(dueBy),
    });
    if (!done) throw new ConflictError('该记录已撤回，不能再登记撤销');
    await this.audit.record({
      action: `${kind}.revoke`,
      userId: user.id,
      username: user.username,
      ip,
      targetType: kind,
      targetId: id,
      detail: { documentNo: rec.documentNo, ...input, dueBy },
    });
    return { dueBy };
  }

  /** 条例 Art. 19 archiving (job publicity-expiry, after the expiry): see RecordWriter.archiveExpired. Returns the rows archived. */
  archiveExpired(opts: { today?: string; batch?: number } = {}): Promise<number> {
    const today = opts.today ?? beijingToday();
    return this.writer.archiveExpired(today, archiveScanBound(today), opts.batch ?? 5000);
  }

  /** 撤回: the record leaves the public columns at once and stays in the back office with its reason. */
  async withdraw(kind: RecordKind, id: number, reason: string, user: Express.User, ip: string | null): Promise<void> {
    const rec = await this.records.withdrawalState(kind, id);
    if (!rec) throw new NotFoundError('记录不存在');
    if (!canSeeDepartment(user, rec.departmentId)) throw new ForbiddenError('只能撤回本部门报送的记录');
    if (rec.withdrawnAt) return;
    await this.records.withdraw(kind, id, reason);
    await this.audit.record({
      action: `${kind}.withdraw`,
      userId: user.id,
      username: user.username,
      ip,
      targetType: kind,
      targetId: id,
      detail: { documentNo: rec.documentNo, reason },
    });
  }
}
