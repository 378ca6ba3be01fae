import type pg from 'pg';
import type { Db } from '../../platform/database/client.js';
import type { AuditLog } from '../../platform/audit.js';
import { ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { canSeeDepartment } from '../../platform/access.js';
import { WorkdayCalendar } from '../../domain/workdays.js';
import { beijingToday } from '../../domain/dates.js';
import type { RecordKind } from '../../domain/publicity/fields.js';
import type { PenaltyInput } from '../../domain/publicity/schemas.js';
import { writeRecords, type RecordInput, type RowProblem, type WriteContext } from './writer.js';
import { AuthorityRepository } from '../authorities/repository.js';
import { loadTierRules } from './tier-rules.js';
import type { AuthorityIssue, AuthorityList } from '../../domain/publicity/authorities.js';

export type SaveOutcome = { ok: true; id: number; inserted: boolean; unchanged?: boolean } | { ok: false; problems: RowProblem[] };

/** 双公示 writes: one record from a form, withdrawal, and the write context shared with batch imports. */
export class PublicityService {
  private countyByRegion: Promise<Map<string, number>> | null = null;
  /** The national schedule plus the years the credit office has entered (HolidayService replaces it). */
  calendar = new WorkdayCalendar();

  constructor(
    private readonly db: Db,
    private readonly pool: pg.Pool,
    private readonly audit: AuditLog,
    private readonly authorities = new AuthorityRepository(db),
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
    this.countyByRegion ??= this.db.county.findMany({ select: { id: true, code: true } }).then((rows) => new Map(rows.map((r) => [r.code, r.id])));
    return this.countyByRegion;
  }

  async writeContext(departmentId: number, userId: number | null, importId: number | null): Promise<WriteContext> {
    const dept = await this.db.department.findUnique({ where: { id: departmentId }, select: { countyId: true, level: true, name: true } });
    if (!dept) throw new ForbiddenError('您的账号未分配部门，不能报送');
    return {
      departmentId,
      departmentCountyId: dept.level === 'county' ? dept.countyId : null,
      marketSupervision: dept.name.includes('市场监督管理'),
      countyByRegion: await this.regions(),
      userId,
      importId,
      reportWorkdays: (decisionDate, reportedDay) =>
        this.calendar.knows(decisionDate) && this.calendar.knows(reportedDay) ? this.calendar.workingDaysBetween(decisionDate, reportedDay) : null,
      tierRules: await loadTierRules(this.db),
    };
  }

  /** The stored record with this (机关代码, 文书号), if any: a new record on the form must not silently correct it. */
  async findByKey(
    kind: RecordKind,
    authorityCode: string,
    documentNo: string,
  ): Promise<{ id: number; departmentId: number; withdrawn: boolean; subjectName: string; decisionDate: Date } | null> {
    const model = (kind === 'permit' ? this.db.permit : this.db.penalty) as typeof this.db.permit;
    const rec = await model.findUnique({
      where: { authorityCode_documentNo: { authorityCode, documentNo } },
      select: { id: true, departmentId: true, withdrawnAt: true, subjectName: true, decisionDate: true },
    });
    return rec
      ? { id: rec.id, departmentId: rec.departmentId, withdrawn: rec.withdrawnAt !== null, subjectName: rec.subjectName, decisionDate: rec.decisionDate }
      : null;
  }

  /** Saves one record from a form; a repeat of the same (机关代码, 文书号) corrects the existing record. */
  async saveOne(kind: RecordKind, input: RecordInput, user: Express.User, ip: string | null): Promise<SaveOutcome> {
    if (user.departmentId === null) throw new ForbiddenError('您的账号未分配部门，不能报送');
    // The form shows these on its fields first; this keeps every other caller to the same rule.
    const refused = await this.authorityIssues(kind, user.departmentId, input);
    if (refused.length) throw new ForbiddenError(refused[0]!.message);
    const ctx = await this.writeContext(user.departmentId, user.id, null);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await writeRecords(client, kind, [{ rowNo: 1, input }], ctx, { auditAction: `${kind}.update`, username: user.username, ip });
      if (result.problems.length) {
        await client.query('ROLLBACK');
        return { ok: false, problems: result.problems };
      }
      const saved = [...result.ids.values()][0]!;
      if (saved.inserted) {
        await client.query(`INSERT INTO audit_log (action, user_id, username, target_type, target_id, ip, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
          `${kind}.create`,
          user.id,
          user.username,
          kind,
          String(saved.id),
          ip,
          // A department's own tier is a decision against the credit office's rules: the log keeps it and its reason.
          JSON.stringify({
            documentNo: input.documentNo,
            ...(kind === 'penalty' && (input as PenaltyInput).tier
              ? { tier: (input as PenaltyInput).tier, tierReason: (input as PenaltyInput).tierReason }
              : {}),
          }),
        ]);
      }
      await client.query('COMMIT');
      return { ok: true, ...saved };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  /**
   * The end of publicity periods (job publicity-expiry, nightly and at worker start): a published penalty whose
   * public_until has passed (Beijing's today) stops being public and records when and why — 'repaired' when a repair
   * ended it early, else 'expired'. The public reads also filter on public_until, so nothing is shown meanwhile; this
   * makes the record itself say it left. Batches of `batch` rows, each its own short statement, so a night with many
   * expiries never holds a long lock; idempotent (a row left once is not matched again). updated_at is left alone: it
   * means the record's content was corrected (objections and exports read it so), and left_publication_at says this.
   * Returns the rows changed.
   */
  async expirePublicity(opts: { today?: string; batch?: number } = {}): Promise<number> {
    const today = opts.today ?? beijingToday();
    const batch = opts.batch ?? 5000;
    let total = 0;
    for (;;) {
      const r = await this.pool.query(
        `WITH due AS (
           SELECT id FROM penalty WHERE is_public AND public_until < $1::date ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED
         )
         UPDATE penalty p
            SET is_public = false, left_publication_at = now(),
                left_reason = CASE WHEN p.repaired_at IS NOT NULL THEN 'repaired' ELSE 'expired' END
           FROM due WHERE p.id = due.id`,
        [today, batch],
      );
      total += r.rowCount ?? 0;
      if ((r.rowCount ?? 0) < batch) return total;
    }
  }

  /** 撤回: the record leaves the public columns at once and stays in the back office with its reason. */
  async withdraw(kind: RecordKind, id: number, reason: string, user: Express.User, ip: string | null): Promise<void> {
    const model = kind === 'permit' ? this.db.permit : this.db.penalty;
    const rec = await (model as typeof this.db.permit).findUnique({ where: { id }, select: { departmentId: true, withdrawnAt: true, documentNo: true } });
    if (!rec) throw new NotFoundError('记录不存在');
    if (!canSeeDepartment(user, rec.departmentId)) throw new ForbiddenError('只能撤回本部门报送的记录');
    if (rec.withdrawnAt) return;
    await (model as typeof this.db.permit).update({ where: { id }, data: { withdrawnAt: new Date(), withdrawReason: reason, isPublic: false } });
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
