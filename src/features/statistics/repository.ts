import type { Db } from '../../platform/database/client.js';
import { Prisma } from '../../generated/prisma/client.js';
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

export interface MonthCount {
  /** YYYY-MM of the decision date */
  month: string;
  permits: number;
  penalties: number;
}

export interface GroupCount {
  /** department or county id; null for records without a county */
  id: number | null;
  /** county code, for links to the county pages */
  code?: string | null;
  name: string;
  permits: number;
  penalties: number;
}

export interface IssueListCount {
  id: number;
  title: string;
  publishedAt: Date;
  red: number;
  black: number;
}

export interface Collected {
  departments: number;
  reportingDepartments: number;
  records: number;
  commitments: number;
  listEntries: number;
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

  /** Permits and penalties decided from `from` (a Beijing calendar day, inclusive) on, by month of decision. */
  async recordsByMonth(from: string): Promise<MonthCount[]> {
    const rows = await this.db.$queryRaw<{ month: string; permits: bigint; penalties: bigint }[]>`
      SELECT to_char(date_trunc('month', decision_date), 'YYYY-MM') AS month,
             count(*) FILTER (WHERE kind = 'permit') AS permits, count(*) FILTER (WHERE kind = 'penalty') AS penalties
        FROM (SELECT 'permit' AS kind, decision_date FROM permit WHERE decision_date >= ${from}::date
              UNION ALL SELECT 'penalty', decision_date FROM penalty WHERE decision_date >= ${from}::date) r
       GROUP BY 1 ORDER BY 1`;
    return rows.map((r) => ({ month: r.month, permits: Number(r.permits), penalties: Number(r.penalties) }));
  }

  /** Permits and penalties decided from `from` on, per reporting department or per county, most first. */
  async recordsBy(group: 'department' | 'county', from: string): Promise<GroupCount[]> {
    const col = group === 'department' ? Prisma.raw('department_id') : Prisma.raw('county_id');
    const rows = await this.db.$queryRaw<{ id: number | null; code: string | null; name: string | null; permits: bigint; penalties: bigint }[]>`
      WITH r AS (
        SELECT ${col} AS gid, count(*) AS n, 'permit' AS kind FROM permit WHERE decision_date >= ${from}::date GROUP BY 1
        UNION ALL
        SELECT ${col}, count(*), 'penalty' FROM penalty WHERE decision_date >= ${from}::date GROUP BY 1
      )
      SELECT r.gid AS id, ${group === 'county' ? Prisma.sql`g.code` : Prisma.sql`NULL::text`} AS code, g.name,
             coalesce(sum(r.n) FILTER (WHERE r.kind = 'permit'), 0) AS permits, coalesce(sum(r.n) FILTER (WHERE r.kind = 'penalty'), 0) AS penalties
        FROM r LEFT JOIN ${group === 'department' ? Prisma.raw('department') : Prisma.raw('county')} g ON g.id = r.gid
       GROUP BY r.gid, 2, g.name`;
    return rows
      .map((r) => ({ id: r.id, code: r.code, name: r.name ?? '市本级及未归属', permits: Number(r.permits), penalties: Number(r.penalties) }))
      .sort((a, b) => b.permits + b.penalties - (a.permits + a.penalties) || a.name.localeCompare(b.name, 'zh-CN'));
  }

  /** Red and black entries of every published issue, newest issue first. */
  async listsByIssue(limit: number): Promise<IssueListCount[]> {
    const rows = await this.db.$queryRaw<{ id: number; title: string; published_at: Date; red: bigint; black: bigint }[]>`
      SELECT i.id, i.title, i.published_at,
             count(e.id) FILTER (WHERE e.list_type = 'red' AND e.withdrawn_at IS NULL) AS red,
             count(e.id) FILTER (WHERE e.list_type = 'black' AND e.withdrawn_at IS NULL) AS black
        FROM list_issue i LEFT JOIN list_entry e ON e.issue_id = i.id
       WHERE i.published_at IS NOT NULL
       GROUP BY i.id ORDER BY i.published_at DESC LIMIT ${limit}`;
    return rows.map((r) => ({ id: r.id, title: r.title, publishedAt: r.published_at, red: Number(r.red), black: Number(r.black) }));
  }

  /** What the platform has collected so far. Exact counts: the service keeps them for minutes, not per request. */
  async collected(): Promise<Collected> {
    const [r] = await this.db.$queryRaw<{ departments: bigint; reporting: bigint; records: bigint; commitments: bigint; entries: bigint }[]>`
      SELECT (SELECT count(*) FROM department WHERE active) AS departments,
             (SELECT count(*) FROM department d WHERE d.active
                AND (EXISTS (SELECT 1 FROM permit p WHERE p.department_id = d.id) OR EXISTS (SELECT 1 FROM penalty p WHERE p.department_id = d.id))) AS reporting,
             (SELECT count(*) FROM permit) + (SELECT count(*) FROM penalty) AS records,
             (SELECT count(*) FROM commitment) AS commitments,
             (SELECT count(*) FROM list_entry e JOIN list_issue i ON i.id = e.issue_id WHERE i.published_at IS NOT NULL) AS entries`;
    return {
      departments: Number(r?.departments ?? 0),
      reportingDepartments: Number(r?.reporting ?? 0),
      records: Number(r?.records ?? 0),
      commitments: Number(r?.commitments ?? 0),
      listEntries: Number(r?.entries ?? 0),
    };
  }
}
