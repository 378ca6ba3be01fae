import type { Db } from '../../platform/database/client.js';
import { REPORTING_DEADLINE_WORKDAYS } from '../../domain/workdays.js';
import { dateColumn } from '../../domain/dates.js';
import { inForceWhere } from '../../platform/database/in-force.js';
import type { TimelinessRow } from '../timeliness/repository.js';

export interface CountyRow {
  id: number;
  code: string;
  name: string;
  kind: 'district' | 'city' | 'county' | 'zone';
}

export interface CountyFigures {
  /** every permit and penalty reported for the county, public or not (报送量) */
  reported: number;
  /** legal persons registered there */
  subjects: number;
}

const FIGURES_TTL_MS = 60_000;
const PERSONS = { nomination: { select: { responsiblePersons: { select: { role: true, name: true }, orderBy: { id: 'asc' } } } } } as const;

/** The 县市区 pages' reads: the county table, its totals, its departments' 及时率 and its list entries. */
export class CountyRepository {
  private figuresCache = new Map<number, { at: number; value: Promise<CountyFigures> }>();

  constructor(private readonly db: Db) {}

  all(): Promise<CountyRow[]> {
    return this.db.county.findMany({ select: { id: true, code: true, name: true, kind: true }, orderBy: { sortOrder: 'asc' } });
  }

  byCode(code: string): Promise<CountyRow | null> {
    return this.db.county.findUnique({ where: { code }, select: { id: true, code: true, name: true, kind: true } });
  }

  /**
   * The county's totals. Each is an index-only count on county_id, but a county holds hundreds of thousands of
   * records at production size: kept for a minute, as the home page's totals are.
   */
  figures(countyId: number): Promise<CountyFigures> {
    const hit = this.figuresCache.get(countyId);
    if (hit && Date.now() - hit.at < FIGURES_TTL_MS) return hit.value;
    const value = this.db
      .$queryRawUnsafe<{ reported: bigint; subjects: bigint }[]>(
        `SELECT (SELECT count(*) FROM permit WHERE county_id = $1) + (SELECT count(*) FROM penalty WHERE county_id = $1) AS reported,
                (SELECT count(*) FROM legal_person WHERE county_id = $1) AS subjects`,
        countyId,
      )
      .then(([r]) => ({ reported: Number(r?.reported ?? 0), subjects: Number(r?.subjects ?? 0) }));
    this.figuresCache.set(countyId, { at: Date.now(), value });
    value.catch(() => this.figuresCache.delete(countyId));
    return value;
  }

  /**
   * 及时率 per department of the records decided for this county in [from, to) (Beijing days), worst first: the same
   * rule as the city's timeliness page (7 working days, docs/domain.md "Timing"), on the (county_id, decision_date) index.
   */
  async timeliness(countyId: number, from: string, to: string): Promise<TimelinessRow[]> {
    const rows = await this.db.$queryRawUnsafe<{ id: number; name: string; total: bigint; on_time: bigint; late: bigint; unknown: bigint }[]>(
      `WITH r AS (
         SELECT department_id, report_workdays FROM permit WHERE county_id = $1 AND decision_date >= $2 AND decision_date < $3
         UNION ALL
         SELECT department_id, report_workdays FROM penalty WHERE county_id = $1 AND decision_date >= $2 AND decision_date < $3
       )
       SELECT d.id, d.name,
              count(*) AS total,
              count(*) FILTER (WHERE r.report_workdays <= $4) AS on_time,
              count(*) FILTER (WHERE r.report_workdays > $4) AS late,
              count(*) FILTER (WHERE r.report_workdays IS NULL) AS unknown
         FROM r JOIN department d ON d.id = r.department_id
        GROUP BY d.id, d.name`,
      countyId,
      dateColumn(from),
      dateColumn(to),
      REPORTING_DEADLINE_WORKDAYS,
    );
    return rows
      .map((r) => {
        const total = Number(r.total);
        const onTime = Number(r.on_time);
        const unknown = Number(r.unknown);
        const judged = total - unknown;
        return { id: r.id, name: r.name, total, onTime, late: Number(r.late), unknown, rate: judged > 0 ? onTime / judged : null };
      })
      .sort((a, b) => (a.rate ?? 2) - (b.rate ?? 2) || b.total - a.total || a.name.localeCompare(b.name, 'zh-CN'));
  }

  /**
   * The red/black list entries in force (the lists' own rule, platform/database/in-force.ts) of legal persons
   * registered in the county, newest basis first. Natural persons carry no county in the library, so they are not listed here.
   */
  inForceEntries(countyId: number, today: string, take: number) {
    return this.db.listEntry.findMany({
      where: { AND: [inForceWhere(today), { legalPerson: { countyId } }] },
      orderBy: [{ basisDate: 'desc' }, { id: 'desc' }],
      take,
      include: PERSONS,
    });
  }
}
