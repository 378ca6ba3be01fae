import type { Db } from '../../platform/database/client.js';
import { containing } from '../../platform/database/like.js';
import type { RecordKind } from '../../domain/publicity/fields.js';
import { dateColumn } from '../../domain/dates.js';
import { Prisma } from '../../generated/prisma/client.js';
import { PUBLIC_MAX_RECORDS } from '../../platform/params.js';

export interface PublicFilter {
  q?: string;
  dept?: number;
  county?: number;
  category?: 'legal' | 'natural' | 'soleTrader';
  from?: string;
  to?: string;
}

export interface AdminFilter {
  q?: string;
  status?: 'public' | 'hidden' | 'withdrawn';
}

/**
 * Public lists stop at 1,000 records (PUBLIC_MAX_RECORDS, 50 pages), so counting past it would only feed page links
 * nobody may follow: the count stops there and the page says "1000+", with a hint to narrow the filter.
 */
export const COUNT_CAP = PUBLIC_MAX_RECORDS;
const COUNT_TTL_MS = 60_000;
/**
 * A name fragment held by at most this many record names is listed (recordNames); past it, the list walks the date
 * index matching the fragment by LIKE. Listed names are served name first or by the walk, whichever reads less
 * (nameFirst below); the cap bounds the name-first statements to a few thousand index probes.
 */
export const NAME_FIRST_MAX_NAMES = 3000;
/**
 * What one name's probe of the (subject_name, decision_date, id) index costs against one index entry read by the
 * date walk (docs/performance.md#双公示-lists: ~0.19 ms a name against ~2 µs an entry on a loaded machine). Taken
 * below the measured ratio, as a probe's pages are mostly warm.
 */
const PROBE_PER_ENTRY = 50;
const STATS_TTL_MS = 600_000;

type Delegate = {
  findMany(args: unknown): Promise<Record<string, unknown>[]>;
  findFirst(args: unknown): Promise<Record<string, unknown> | null>;
  findUnique(args: unknown): Promise<Record<string, unknown> | null>;
  count(args: unknown): Promise<number>;
};

const LIST_SELECT = {
  id: true,
  subjectName: true,
  subjectCategory: true,
  uscc: true,
  docType: true,
  docNumber: true,
  documentNo: true,
  decisionDate: true,
  content: true,
  department: { select: { name: true, shortName: true } },
  county: { select: { name: true } },
} as const;

/**
 * A keyword is a USCC, a 文书号 or a name fragment. Each goes to its own index: an OR of the three would make
 * PostgreSQL scan every public record, even for an exact 文书号 (docs/performance.md#双公示-lists).
 */
export function keywordRoute(q: string): 'code' | 'documentNo' | 'name' {
  if (/^[0-9A-Z]{18}$/i.test(q)) return 'code';
  if (/[〔〕[\]（）()]/.test(q) || /\d+号$/.test(q)) return 'documentNo';
  return 'name';
}

/**
 * The record names (行政相对人名称) that contain a fragment, from record_name's grams index; null when the fragment
 * is common (more names than are worth listing): then the list's own date-ordered walk finds a page of matches soon.
 */
export type RecordNameMatcher = (fragment: string) => Promise<string[] | null>;

/** The public records of a kind with one of these names, or whose name contains this fragment, counted up to cap + 1. */
export type NameCounter = (kind: RecordKind, match: { names: readonly string[] } | { fragment: string }, today: string, cap: number) => Promise<number>;

export class PublicityRepository {
  constructor(
    private readonly db: Db,
    /** without one, a name fragment is matched with LIKE on the records */
    private readonly recordNames?: RecordNameMatcher,
    /** without one, a name fragment is counted by Prisma: by its names, or by walking the list */
    private readonly nameCount?: NameCounter,
  ) {}

  private model(kind: RecordKind): Delegate {
    return (kind === 'permit' ? this.db.permit : this.db.penalty) as unknown as Delegate;
  }

  /** What the public may see today: published, not withdrawn, not excluded by a rule, and (penalties) within the publicity period. */
  private publicWhere(kind: RecordKind, today: string): Record<string, unknown> {
    return kind === 'penalty' ? { isPublic: true, publicUntil: { gte: dateColumn(today) } } : { isPublic: true };
  }

  /** The public-record and filter conditions of a list, as SQL on `p` (the record table). */
  private conditions(kind: RecordKind, f: PublicFilter, today: string): Prisma.Sql[] {
    const and = [kind === 'penalty' ? Prisma.sql`p.is_public AND p.public_until >= ${today}::date` : Prisma.sql`p.is_public`];
    if (f.dept) and.push(Prisma.sql`p.department_id = ${f.dept}`);
    if (f.county) and.push(Prisma.sql`p.county_id = ${f.county}`);
    if (f.category) and.push(Prisma.sql`p.subject_category = ${f.category}::"SubjectCategory"`);
    if (f.from) and.push(Prisma.sql`p.decision_date >= ${f.from}::date`);
    if (f.to) and.push(Prisma.sql`p.decision_date <= ${f.to}::date`);
    return and;
  }

  private listStats = new Map<RecordKind, { at: number; value: Promise<{ entries: number; perName: number }> }>();

  /**
   * The public list's size and records per name, from the planner's statistics (the partial date index's entries,
   * record_name's rows), refreshed every 10 minutes.
   */
  private stats(kind: RecordKind): Promise<{ entries: number; perName: number }> {
    const hit = this.listStats.get(kind);
    if (hit && Date.now() - hit.at < STATS_TTL_MS) return hit.value;
    const index = kind === 'permit' ? 'permit_public_recent_idx' : 'penalty_public_recent_idx';
    const value = this.db.$queryRaw<{ entries: number | null; names: number | null }[]>`
        SELECT (SELECT reltuples::float8 FROM pg_class WHERE relname = ${index}) AS entries,
               (SELECT reltuples::float8 FROM pg_class WHERE relname = 'record_name') AS names`
      .then(([r]) => {
        const entries = Math.max(1, r?.entries ?? 1);
        return { entries, perName: Math.max(1, entries / Math.max(1, r?.names ?? 1)) };
      })
      .catch(() => ({ entries: 1, perName: 1 }));
    this.listStats.set(kind, { at: Date.now(), value });
    return value;
  }

  /**
   * Whether `names` listed names are cheaper to read name by name than to find by walking the date index until `rows`
   * of them: the walk reads about rows / density entries, density being the names' share of the public records
   * (names × records per name / entries), the name-first statement one probe per name. With another filter the
   * walk's density is lower by an unknown factor, and name first is bounded: name first.
   */
  private async nameFirst(kind: RecordKind, names: number, rows: number, filtered: boolean): Promise<boolean> {
    if (filtered) return true;
    const { entries, perName } = await this.stats(kind);
    return names * names * perName * PROBE_PER_ENTRY <= rows * entries;
  }

  /**
   * A page of the public list, newest decision first, and its count up to COUNT_CAP + 1. First the page's ids, then
   * its rows by id, so that OFFSET skips index entries rather than whole rows (the skipped rows are never read).
   * A name fragment listed as names (recordNames) is served name first when that reads less (nameFirst); everything
   * else walks the partial date index of the narrowest filter, index-only (the filter columns are carried in it),
   * until offset + page size matches. Deep pages are bounded by the route (50 pages), which keeps that walk short.
   */
  async publicPage(kind: RecordKind, f: PublicFilter, today: string, page: number, pageSize: number) {
    const table = Prisma.raw(kind === 'permit' ? 'permit' : 'penalty');
    const and = this.conditions(kind, f, today);
    const offset = (page - 1) * pageSize;
    let names: string[] | null = null;
    let fragment: string | null = null;
    if (f.q) {
      const route = keywordRoute(f.q);
      if (route === 'code') and.push(Prisma.sql`(p.uscc = ${f.q.toUpperCase()} OR p.document_no = ${f.q})`);
      else if (route === 'documentNo') and.push(Prisma.sql`p.document_no = ${f.q}`);
      else {
        names = this.recordNames ? await this.recordNames(f.q) : null;
        if (names === null) {
          fragment = f.q;
          and.push(Prisma.sql`p.subject_name LIKE ${`%${containing(f.q)}%`}`);
        }
      }
    }
    const where = Prisma.join(and, ' AND ');
    let ids: Promise<{ id: number }[]>;
    let count: Promise<number>;
    if (names !== null && names.length === 0) return { rows: [], total: 0, more: false };
    const filtered = Boolean(f.dept || f.county || f.category || f.from || f.to);
    const byName = names === null ? null : (rows: number) => this.nameFirst(kind, names!.length, rows, filtered);
    // Listed names but walked: matched on the index entry (subject_name is carried) the way recordNames matched them.
    // Not `= ANY(names)`: the planner estimates each of thousands of names against the column's statistics, 200–300 ms
    // of planning (docs/performance.md#双公示-lists).
    const walkWhere = names === null || !f.q ? where : Prisma.sql`${where} AND strpos(lower(p.subject_name), ${f.q.toLowerCase()}) > 0`;
    if (byName && (await byName(offset + pageSize))) {
      // Per name at most offset + pageSize records, newest first, from (subject_name, decision_date, id): the merge
      // of those holds the page.
      ids = this.db.$queryRaw<{ id: number }[]>`
        SELECT x.id FROM unnest(${names}::text[]) AS n(name)
          CROSS JOIN LATERAL (SELECT p.id, p.decision_date FROM ${table} p WHERE p.subject_name = n.name AND ${where}
                               ORDER BY p.decision_date DESC, p.id DESC LIMIT ${offset + pageSize}) x
         ORDER BY x.decision_date DESC, x.id DESC LIMIT ${pageSize} OFFSET ${offset}`;
    } else {
      ids = this.db.$queryRaw<{ id: number }[]>`
        SELECT p.id FROM ${table} p WHERE ${walkWhere} ORDER BY p.decision_date DESC, p.id DESC LIMIT ${pageSize} OFFSET ${offset}`;
    }
    if (byName && (await byName(COUNT_CAP + 1))) {
      // Name by name, stopping at the cap.
      count = this.db.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM (SELECT 1 FROM unnest(${names}::text[]) AS n(name)
          CROSS JOIN LATERAL (SELECT 1 FROM ${table} p WHERE p.subject_name = n.name AND ${where} OFFSET 0) x LIMIT ${COUNT_CAP + 1}) c`.then(
        ([r]) => r?.n ?? 0,
      );
    } else if (fragment !== null && this.nameCount && !filtered) {
      // A common fragment alone is counted name by name through record_name (nameCount): walking the list until the
      // cap would read every record that does not match on the way. With other filters the walk is bounded by them.
      count = this.nameCount(kind, { fragment }, today, COUNT_CAP);
    } else {
      count = this.db.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM (SELECT 1 FROM ${table} p WHERE ${walkWhere} ORDER BY p.decision_date DESC, p.id DESC LIMIT ${COUNT_CAP + 1}) c`.then(
        ([r]) => r?.n ?? 0,
      );
    }
    const [pageIds, capped] = await Promise.all([ids.then((r) => r.map((x) => x.id)), count]);
    const select = kind === 'permit' ? { ...LIST_SELECT, permitCategory: true } : { ...LIST_SELECT, penaltyCategories: true, fineAmount: true };
    const found = pageIds.length ? await this.model(kind).findMany({ where: { id: { in: pageIds } }, select }) : [];
    const byId = new Map(found.map((r) => [r.id as number, r]));
    const rows = pageIds.map((id) => byId.get(id)).filter((r): r is Record<string, unknown> => r !== undefined);
    return { rows, total: Math.min(capped, COUNT_CAP), more: capped > COUNT_CAP };
  }

  publicDetail(kind: RecordKind, id: number, today: string) {
    return this.model(kind).findFirst({
      where: { id, ...this.publicWhere(kind, today) },
      include: { department: { select: { name: true } }, county: { select: { name: true } } },
    });
  }

  /** Whether the record's decision was revoked (条例 Art. 42): its public page answers 410. */
  async isRevoked(kind: RecordKind, id: number): Promise<boolean> {
    const args = { where: { id, revokedOn: { not: null } }, select: { id: true } } as const;
    return (kind === 'permit' ? await this.db.permit.findFirst(args) : await this.db.penalty.findFirst(args)) !== null;
  }

  async latest(kind: RecordKind, today: string, take: number) {
    return this.model(kind).findMany({ where: this.publicWhere(kind, today), select: LIST_SELECT, orderBy: [{ decisionDate: 'desc' }, { id: 'desc' }], take });
  }

  private counted = new Map<string, { at: number; value: Promise<number> }>();

  /**
   * The home page's public totals. Exact counts over millions of rows cost a scan, so each is kept for a
   * minute: a figure a minute old is fine for a headline number, a slow home page is not.
   */
  publicCount(kind: RecordKind, today: string): Promise<number> {
    const key = `${kind}:${today}`;
    const hit = this.counted.get(key);
    if (hit && Date.now() - hit.at < COUNT_TTL_MS) return hit.value;
    const value = this.model(kind).count({ where: this.publicWhere(kind, today) });
    this.counted.set(key, { at: Date.now(), value });
    value.catch(() => this.counted.delete(key));
    return value;
  }

  /** After a write the next reader should see the new total. */
  forgetCounts(): void {
    this.counted.clear();
  }

  async adminPage(kind: RecordKind, scope: { departmentId?: number }, f: AdminFilter, page: number, pageSize: number) {
    const and: Record<string, unknown>[] = [];
    if (scope.departmentId !== undefined) and.push({ departmentId: scope.departmentId });
    if (f.q) and.push({ OR: [{ subjectName: { contains: containing(f.q) } }, { documentNo: { contains: containing(f.q) } }] });
    if (f.status === 'public') and.push({ isPublic: true });
    if (f.status === 'hidden') and.push({ isPublic: false, withdrawnAt: null });
    if (f.status === 'withdrawn') and.push({ withdrawnAt: { not: null } });
    const where = { AND: and };
    const [rows, total] = await Promise.all([
      this.model(kind).findMany({
        where,
        select: { ...LIST_SELECT, isPublic: true, withdrawnAt: true, reportedAt: true, reportWorkdays: true, updatedAt: true },
        orderBy: [{ reportedAt: 'desc' }, { id: 'desc' }],
        skip: (page - 1) * pageSize,
        take: pageSize,
      }),
      this.model(kind).count({ where }),
    ]);
    return { rows, total };
  }

  adminDetail(kind: RecordKind, id: number) {
    return this.model(kind).findUnique({
      where: { id },
      include: { department: { select: { name: true } }, county: { select: { name: true } } },
    });
  }

  /** A department's name and USCC (the source of the records it reports), or null. */
  department(id: number) {
    return this.db.department.findUnique({ where: { id }, select: { name: true, uscc: true } });
  }

  departmentOptions() {
    return this.db.department.findMany({ where: { active: true }, orderBy: [{ level: 'asc' }, { id: 'asc' }], select: { id: true, name: true } });
  }

  countyOptions() {
    return this.db.county.findMany({ orderBy: { sortOrder: 'asc' }, select: { id: true, name: true } });
  }
}
