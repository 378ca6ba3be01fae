import type { Db } from '../../platform/database/client.js';
import type { CheckResult } from './types.js';
import { inForceWhere } from '../../platform/database/in-force.js';
import { penaltyInUseWhere } from '../../platform/database/penalty-in-use.js';
import { OPEN_OBJECTION_STATUSES } from '../../domain/objections.js';

/** An open objection of the record, if any: the result marks it 异议处理中 (条例 Art. 41). */
const OPEN_OBJECTION = { objections: { where: { status: { in: [...OPEN_OBJECTION_STATUSES] } }, select: { id: true }, take: 1 } };

/** The record of a check run: who checked how many codes, for what, and what was found. */
export interface NewCheckRun {
  departmentId: number | null;
  userId: number;
  purpose: string | null;
  codes: number;
  found: number;
  invalid: number;
  flagged: number;
  result: CheckResult;
}

/**
 * The reads of a 信用核查 (a fixed number of queries for up to 5,000 subjects; built on the pool without a statement
 * timeout, as a batch check is back-office work) and the stored runs (built on the request pool).
 */
export class CreditCheckRepository {
  constructor(private readonly db: Db) {}

  subjectsByUscc(uscc: string[]) {
    return this.db.legalPerson.findMany({ where: { uscc: { in: uscc } }, select: { id: true, uscc: true, name: true } });
  }

  /** Red and black list entries in force on `today` of these legal persons. */
  entriesInForce(legalPersonIds: number[], today: string) {
    return this.db.listEntry.findMany({ where: { legalPersonId: { in: legalPersonIds }, ...inForceWhere(today) }, include: OPEN_OBJECTION });
  }

  /**
   * The 严重 penalties of these legal persons that may still be used on `today`: the record's own tier (not a list of
   * categories), and only while it is public — in its publicity period, not withdrawn, not repaired (a repaired or
   * expired record is no longer shared or used, 《信用修复管理办法》), newest first.
   */
  seriousPenalties(legalPersonIds: number[], today: string) {
    return this.db.penalty.findMany({
      // An archived penalty (条例 Art. 19/44) is never public again, so penaltyInUseWhere leaves it out too.
      where: { legalPersonId: { in: legalPersonIds }, tier: 'serious', ...penaltyInUseWhere(today) },
      orderBy: { decisionDate: 'desc' },
      select: {
        legalPersonId: true,
        documentNo: true,
        decisionDate: true,
        authority: true,
        penaltyCategories: true,
        fineAmount: true,
        publicUntil: true,
        ...OPEN_OBJECTION,
      },
    });
  }

  activeMeasures() {
    return this.db.measure.findMany({ where: { active: true }, include: { department: { select: { name: true } } } });
  }

  /** Stores a run; returns its id. */
  async saveRun(run: NewCheckRun): Promise<number> {
    const created = await this.db.creditCheckRun.create({
      data: { ...run, result: JSON.parse(JSON.stringify(run.result)) },
      select: { id: true },
    });
    return created.id;
  }

  /** One run with its stored result, or null. */
  async run(id: number) {
    const run = await this.db.creditCheckRun.findUnique({ where: { id } });
    // The JSON column holds what saveRun stored, a CheckResult; Prisma types it only as JSON.
    return run ? { ...run, result: run.result as unknown as CheckResult } : null;
  }

  /** The name of the department a run was made for, or null. */
  async departmentName(departmentId: number | null): Promise<string | null> {
    if (!departmentId) return null;
    const dept = await this.db.department.findUnique({ where: { id: departmentId }, select: { name: true } });
    return dept?.name ?? null;
  }
}
