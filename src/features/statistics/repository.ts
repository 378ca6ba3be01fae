import type { Db } from '../../platform/database/client.js';
import type { ObjectionStatus, RepairStatus } from '../../generated/prisma/enums.js';

/** A period: from gte (inclusive) to lt (exclusive). */
export interface Period {
  gte: Date;
  lt: Date;
}

export interface StatusCount<S extends string> {
  status: S;
  count: number;
}

/** The platform figures on the statistics page that no other feature keeps. */
export class StatisticsRepository {
  constructor(private readonly db: Db) {}

  /** Batch credit checks run in the period and the codes they checked. */
  async creditChecks(period: Period): Promise<{ runs: number; codes: number }> {
    const r = await this.db.creditCheckRun.aggregate({ where: { createdAt: period }, _count: { _all: true }, _sum: { codes: true } });
    return { runs: r._count._all, codes: r._sum.codes ?? 0 };
  }

  /** Objections filed in the period, by where they stand now. */
  async objectionsByStatus(period: Period): Promise<StatusCount<ObjectionStatus>[]> {
    const rows = await this.db.objection.groupBy({ by: ['status'], where: { submittedAt: period }, _count: { _all: true } });
    return rows.map((r) => ({ status: r.status, count: r._count._all }));
  }

  /** Repair requests filed in the period, by where they stand now. */
  async repairsByStatus(period: Period): Promise<StatusCount<RepairStatus>[]> {
    const rows = await this.db.repairRequest.groupBy({ by: ['status'], where: { submittedAt: period }, _count: { _all: true } });
    return rows.map((r) => ({ status: r.status, count: r._count._all }));
  }
}
