import type { HolidayRepository } from './repository.js';
import type { AuditLog } from '../../platform/audit.js';
import { WorkdayCalendar, type DayKind } from '../../domain/workdays.js';
import { HOLIDAYS } from '../../domain/holidays-cn.js';
import type { PublicityService } from '../publicity/service.js';

/**
 * The working-day calendar's yearly schedules beyond the built-in data. Saving a year replaces it whole (a
 * half-entered year would count its holidays as working days), rebuilds the calendar every service reads,
 * and recomputes 及时率 working days of the records it touches.
 */
export class HolidayService {
  constructor(
    private readonly repo: HolidayRepository,
    private readonly audit: AuditLog,
    private readonly publicity: PublicityService,
  ) {}

  private overrides(): Promise<Record<string, DayKind>> {
    return this.repo.overrides();
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
    await this.repo.replaceYear(year, days, user.id);
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
  private recompute(year: number): Promise<number> {
    const cal = this.publicity.calendar;
    return this.repo.recomputeWorkdays(year, (r) => (cal.knows(r.decision) && cal.knows(r.reported) ? cal.workingDaysBetween(r.decision, r.reported) : null));
  }
}
