import type { Db } from '../../platform/database/client.js';
import { REPORTING_DEADLINE_WORKDAYS } from '../../domain/workdays.js';

export interface TimelinessRow {
  id: number | null;
  name: string;
  total: number;
  onTime: number;
  late: number;
  /** records whose decision or report date the calendar cannot judge */
  unknown: number;
  /** on time / judged, or null when nothing could be judged */
  rate: number | null;
}

export interface LateRecord {
  kind: 'permit' | 'penalty';
  id: number;
  subjectName: string;
  documentNo: string;
  department: string;
  decisionDate: Date;
  reportedAt: Date;
  workdays: number;
}

export interface RevocationRow {
  kind: 'permit' | 'penalty';
  id: number;
  subjectName: string;
  documentNo: string;
  department: string;
  revokedOn: Date;
  revocationDocNo: string;
  knownOn: Date;
  dueBy: Date;
  withdrawnAt: Date | null;
}

/** 及时率: the share of records reported within 7 working days of the decision (docs/domain.md "Timing"). */
export class TimelinessRepository {
  private summaryCache: { at: number; value: Promise<{ total: number; onTime: number; rate: number | null }> } | null = null;

  constructor(private readonly db: Db) {}

  /**
   * 条例 Art. 42: every recorded revocation (permits and penalties), newest update first, at most `limit` of each
   * kind; a department's own only when `departmentId` is given.
   */
  async revocations(departmentId: number | undefined, limit: number): Promise<RevocationRow[]> {
    const args = {
      where: { revocationKnownOn: { not: null }, ...(departmentId !== undefined ? { departmentId } : {}) },
      select: {
        id: true,
        subjectName: true,
        documentNo: true,
        revokedOn: true,
        revocationDocNo: true,
        revocationKnownOn: true,
        revocationDueBy: true,
        withdrawnAt: true,
        department: { select: { name: true } },
      },
      orderBy: [{ revocationKnownOn: 'desc' as const }, { id: 'desc' as const }],
      take: limit,
    };
    const [permits, penalties] = await Promise.all([this.db.permit.findMany(args), this.db.penalty.findMany(args)]);
    const row = (kind: 'permit' | 'penalty') => (r: (typeof permits)[number]) => ({
      kind,
      id: r.id,
      subjectName: r.subjectName,
      documentNo: r.documentNo,
      department: r.department.name,
      revokedOn: r.revokedOn!,
      revocationDocNo: r.revocationDocNo ?? '',
      knownOn: r.revocationKnownOn!,
      dueBy: r.revocationDueBy!,
      withdrawnAt: r.withdrawnAt,
    });
    return [...permits.map(row('permit')), ...penalties.map(row('penalty'))].sort((a, b) => b.knownOn.getTime() - a.knownOn.getTime() || b.id - a.id);
  }

  /** Per department or county for decisions in [from, to), worst rate first. */
  async byGroup(by: 'department' | 'county', from: Date, to: Date): Promise<TimelinessRow[]> {
    const groupId = by === 'department' ? 'r.department_id' : 'r.county_id';
    const rows = await this.db.$queryRawUnsafe<{ id: number | null; name: string | null; total: bigint; on_time: bigint; late: bigint; unknown: bigint }[]>(
      `WITH r AS (
         SELECT department_id, county_id, report_workdays FROM permit WHERE decision_date >= $1 AND decision_date < $2
         UNION ALL
         SELECT department_id, county_id, report_workdays FROM penalty WHERE decision_date >= $1 AND decision_date < $2
       )
       SELECT ${groupId} AS id, g.name,
              count(*) AS total,
              count(*) FILTER (WHERE r.report_workdays <= $3) AS on_time,
              count(*) FILTER (WHERE r.report_workdays > $3) AS late,
              count(*) FILTER (WHERE r.report_workdays IS NULL) AS unknown
         FROM r LEFT JOIN ${by === 'department' ? 'department' : 'county'} g ON g.id = ${groupId}
        GROUP BY ${groupId}, g.name`,
      from,
      to,
      REPORTING_DEADLINE_WORKDAYS,
    );
    return rows
      .map((r) => {
        const total = Number(r.total);
        const onTime = Number(r.on_time);
        const unknown = Number(r.unknown);
        const judged = total - unknown;
        return { id: r.id, name: r.name ?? '未归属县（市、区）', total, onTime, late: Number(r.late), unknown, rate: judged > 0 ? onTime / judged : null };
      })
      .sort((a, b) => (a.rate ?? 2) - (b.rate ?? 2) || b.total - a.total);
  }

  /** The late records behind the figures, most overdue first. */
  async lateRecords(from: Date, to: Date, limit: number): Promise<LateRecord[]> {
    const rows = await this.db.$queryRawUnsafe<(Omit<LateRecord, 'workdays'> & { workdays: number })[]>(
      `SELECT * FROM (
         SELECT 'permit' AS kind, p.id, p.subject_name AS "subjectName", p.document_no AS "documentNo", d.name AS department,
                p.decision_date AS "decisionDate", p.reported_at AS "reportedAt", p.report_workdays AS workdays
           FROM permit p JOIN department d ON d.id = p.department_id
          WHERE p.decision_date >= $1 AND p.decision_date < $2 AND p.report_workdays > $3
         UNION ALL
         SELECT 'penalty', p.id, p.subject_name, p.document_no, d.name, p.decision_date, p.reported_at, p.report_workdays
           FROM penalty p JOIN department d ON d.id = p.department_id
          WHERE p.decision_date >= $1 AND p.decision_date < $2 AND p.report_workdays > $3
       ) x ORDER BY workdays DESC, "decisionDate" LIMIT $4`,
      from,
      to,
      REPORTING_DEADLINE_WORKDAYS,
      limit,
    );
    return rows;
  }

  /** The city's overall figure for the last 12 months, for the public home page (kept for 10 minutes). */
  summary(): Promise<{ total: number; onTime: number; rate: number | null }> {
    if (this.summaryCache && Date.now() - this.summaryCache.at < 600_000) return this.summaryCache.value;
    const from = new Date(Date.now() - 365 * 86_400_000);
    const value = this.db
      .$queryRawUnsafe<{ judged: bigint; on_time: bigint }[]>(
        `SELECT count(*) FILTER (WHERE report_workdays IS NOT NULL) AS judged, count(*) FILTER (WHERE report_workdays <= $2) AS on_time
           FROM (SELECT report_workdays FROM permit WHERE decision_date >= $1 UNION ALL SELECT report_workdays FROM penalty WHERE decision_date >= $1) r`,
        from,
        REPORTING_DEADLINE_WORKDAYS,
      )
      .then(([r]) => {
        const judged = Number(r?.judged ?? 0);
        const onTime = Number(r?.on_time ?? 0);
        return { total: judged, onTime, rate: judged > 0 ? onTime / judged : null };
      });
    this.summaryCache = { at: Date.now(), value };
    value.catch(() => (this.summaryCache = null));
    return value;
  }
}
