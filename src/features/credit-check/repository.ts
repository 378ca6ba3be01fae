import type { Db } from '../../platform/database/client.js';
import type { CheckResult } from './service.js';

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

/** The stored 信用核查 runs (the check itself is CreditCheckService's). */
export class CreditCheckRepository {
  constructor(private readonly db: Db) {}

  /** Stores a run; returns its id. */
  async saveRun(run: NewCheckRun): Promise<number> {
    const created = await this.db.creditCheckRun.create({
      data: { ...run, result: JSON.parse(JSON.stringify(run.result)) },
      select: { id: true },
    });
    return created.id;
  }

  /** One run, or null. */
  run(id: number) {
    return this.db.creditCheckRun.findUnique({ where: { id } });
  }

  /** The name of the department a run was made for, or null. */
  async departmentName(departmentId: number | null): Promise<string | null> {
    if (!departmentId) return null;
    const dept = await this.db.department.findUnique({ where: { id: departmentId }, select: { name: true } });
    return dept?.name ?? null;
  }
}
