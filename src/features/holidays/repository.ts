import type pg from 'pg';
import type { Db } from '../../platform/database/client.js';
import type { DayKind } from '../../domain/workdays.js';
import { dateColumn } from '../../domain/dates.js';

const BATCH = 5000;

/** A record's decision day and report day (Beijing), whose working-day span the calendar measures. */
export interface ReportSpanRow {
  id: number;
  decision: string;
  reported: string;
}

function isDayKind(kind: string): kind is DayKind {
  return kind === 'off' || kind === 'work';
}

/** The entered holiday schedules, and the 及时率 working days stored on every permit and penalty. */
export class HolidayRepository {
  constructor(
    private readonly db: Db,
    /** without a statement timeout: recomputing a year walks every record of it */
    private readonly bulkPool: pg.Pool,
  ) {}

  /** Every entered day (YYYY-MM-DD → off/work). The column is free text; only the two kinds the form writes count. */
  async overrides(): Promise<Record<string, DayKind>> {
    const rows = await this.db.holidayOverride.findMany({ select: { day: true, kind: true } });
    const out: Record<string, DayKind> = {};
    for (const r of rows) if (isDayKind(r.kind)) out[r.day.toISOString().slice(0, 10)] = r.kind;
    return out;
  }

  /** Replaces a year's schedule whole, in one transaction. */
  async replaceYear(year: number, days: ReadonlyMap<string, DayKind>, userId: number): Promise<void> {
    await this.db.$transaction([
      this.db.holidayOverride.deleteMany({ where: { day: { gte: dateColumn(`${year}-01-01`), lte: dateColumn(`${year}-12-31`) } } }),
      this.db.holidayOverride.createMany({ data: [...days].map(([d, kind]) => ({ day: dateColumn(d), kind, updatedById: userId })) }),
    ]);
  }

  /**
   * Sets report_workdays of every permit and penalty whose span touches the year, a batch at a time: `workdays`
   * computes each record's value (null when the calendar does not know one of its days). Returns how many were set.
   */
  async recomputeWorkdays(year: number, workdays: (span: ReportSpanRow) => number | null): Promise<number> {
    let total = 0;
    for (const table of ['permit', 'penalty']) {
      let after = 0;
      for (;;) {
        const { rows } = await this.bulkPool.query<ReportSpanRow>(
          `SELECT id, to_char(decision_date, 'YYYY-MM-DD') AS decision, to_char(reported_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS reported
             FROM ${table} WHERE id > $1 AND decision_date <= $2::date AND reported_at >= $3::timestamptz ORDER BY id LIMIT ${BATCH}`,
          [after, `${year}-12-31`, `${year}-01-01T00:00:00+08:00`],
        );
        if (!rows.length) break;
        const ids = rows.map((r) => r.id);
        const values = rows.map(workdays);
        await this.bulkPool.query(`UPDATE ${table} t SET report_workdays = v.n FROM unnest($1::int[], $2::int[]) AS v(id, n) WHERE t.id = v.id`, [ids, values]);
        total += rows.length;
        after = ids[ids.length - 1]!;
      }
    }
    return total;
  }
}
