import type { Db } from '../../platform/database/client.js';

/** Reads of 信用修复 made by the back-office pages (the repair workflow itself is RepairService's). */
export class RepairRepository {
  constructor(private readonly db: Db) {}

  /** Whether a repair rule with this id exists. */
  async ruleExists(id: number): Promise<boolean> {
    return (await this.db.repairRule.findUnique({ where: { id }, select: { id: true } })) !== null;
  }
}
