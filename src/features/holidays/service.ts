import type pg from 'pg';
import type { Db } from '../../platform/database/client.js';
import type { AuditLog } from '../../platform/audit.js';
import { WorkdayCalendar, type DayKind } from '../../domain/workdays.js';
import { HOLIDAYS } from '../../domain/holidays-cn.js';
import type { PublicityService } from '../publicity/service.js';
import { dateColumn } from '../../domain/dates.js';

const BATCH = 5000;

/**
 * The working-day calendar's yearly schedules beyond the built-in data. Saving a year replaces it whole (a
 * half-entered year would count its holidays as working days), rebuilds the calendar every service reads,
 * and recomputes 及时率 working days of the records it touches.
 */
export class HolidayService {
  constructor(
    private readonly db: Db,
    private readonly pool: pg.Pool,
    private readonly audit: AuditLog,
    private readonly publicity: PublicityService,
  ) {}

  private async overrides(): Promise<Record<string, DayKind>> {
    const rows = await this.db.holidayOverride.findMany({ select: { day: true, kind: true } });
    return Object.fromEntries(rows.map((r) => [r.day.toISOString().slice(0, 10), r.kind as DayKind]));
  }

  /** At start-up and after each change. */
  async load(): Promise<void> {
    this.publicity.calendar = new WorkdayCalendar(HOLIDAYS, await this.overrides());
  }

  /** Years with a schedule: built in, or entered here. */
  async years(): Promise<{ year: number; source: 'builtin' | 'entered'; days: number }[]> {
    const counts = new Map<number, { source: 'builtin' | 'entered'; days: number }>();
    for (const d of Object.keys(HOLIDAYS)) {
      const y = Number(d.slice(0, 4));
      counts.set(y, { source: 'builtin', days: (counts.get(y)?.days ?? 0) + 1 });
    }
    const entered = new Map<number, number>();
    for (const d of Object.keys(await this.overrides())) entered.set(Number(d.slice(0, 4)), (entered.get(Number(d.slice(0, 4))) ?? 0) + 1);
    for (const [y, n] of entered) counts.set(y, { source: 'entered', days: n });
    return [...counts].map(([year, v]) => ({ year, ...v })).sort((a, b) => b.year - a.year);
  }

  /** The schedule of one year as the calendar has it now. */
  async yearDays(year: number): Promise<Map<string, DayKind>> {
    const over = Object.entries(await this.overrides()).filter(([d]) => d.startsWith(`${year}-`));
    const source = over.length ? over : Object.entries(HOLIDAYS).filter(([d]) => d.startsWith(`${year}-`));
    return new Map(source as [string, DayKind][]);
  }

  async saveYear(year: number, days: ReadonlyMap<string, DayKind>, user: Express.User, ip: string | null): Promise<{ recomputed: number }> {
    await this.db.$transaction([
      this.db.holidayOverride.deleteMany({ where: { day: { gte: dateColumn(`${year}-01-01`), lte: dateColumn(`${year}-12-31`) } } }),
      this.db.holidayOverride.createMany({ data: [...days].map(([d, kind]) => ({ day: dateColumn(d), kind, updatedById: user.id })) }),
    ]);
    await this.load();
    const recomputed = await this.recompute(year);
    await this.audit.record({
      action: 'holiday.save',
      userId: user.id,
      username: user.username,
      ip,
      targetType: 'holiday',
      targetId: year,
      detail: { off: [...days.values()].filter((k) => k === 'off').length, work: [...days.values()].filter((k) => k === 'work').length, recomputed },
    });
    return { recomputed };
  }

  /** Working days from decision to report of every record whose span touches the year, with the new schedule. */
  private async recompute(year: number): Promise<number> {
    const cal = this.publicity.calendar;
    let total = 0;
    for (const table of ['permit', 'penalty']) {
      let after = 0;
      for (;;) {
        const { rows } = await this.pool.query<{ id: number; decision: string; reported: string }>(
          `SELECT id, to_char(decision_date, 'YYYY-MM-DD') AS decision, to_char(reported_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS reported
             FROM ${table} WHERE id > $1 AND decision_date <= $2::date AND reported_at >= $3::timestamptz ORDER BY id LIMIT ${BATCH}`,
          [after, `${year}-12-31`, `${year}-01-01T00:00:00+08:00`],
        );
        if (!rows.length) break;
        const ids = rows.map((r) => r.id);
        const values = rows.map((r) => (cal.knows(r.decision) && cal.knows(r.reported) ? cal.workingDaysBetween(r.decision, r.reported) : null));
        await this.pool.query(`UPDATE ${table} t SET report_workdays = v.n FROM unnest($1::int[], $2::int[]) AS v(id, n) WHERE t.id = v.id`, [ids, values]);
        total += rows.length;
        after = ids[ids.length - 1]!;
      }
    }
    return total;
  }
}
