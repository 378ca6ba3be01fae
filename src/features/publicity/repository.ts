import type { Db } from '../../platform/database/client.js';
import { containing } from '../../platform/database/like.js';
import type { RecordKind } from '../../domain/publicity/fields.js';
import { dateColumn } from '../../domain/dates.js';

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

/** Counting every match of a broad filter over millions of rows is the slow part; past this we say "10000+". */
export const COUNT_CAP = 10_000;
const COUNT_TTL_MS = 60_000;

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

export function keywordWhere(q: string): Record<string, unknown> {
  const route = keywordRoute(q);
  if (route === 'code') return { OR: [{ uscc: q.toUpperCase() }, { documentNo: q }] };
  if (route === 'documentNo') return { documentNo: q };
  return { subjectName: { contains: containing(q) } };
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

  /**
   * A name fragment as the list of record names containing it when that list is short: the subject-name index
   * then fetches exactly the matching records, where LIKE would read every public record to find a rare name
   * (docs/performance.md#双公示-lists).
   */
  private async keyword(q: string): Promise<{ where: Record<string, unknown>; names: string[] | null; isName: boolean }> {
    const isName = keywordRoute(q) === 'name';
    const names = isName && this.recordNames ? await this.recordNames(q) : null;
    return { where: names === null ? keywordWhere(q) : { subjectName: { in: names } }, names, isName };
  }

  private model(kind: RecordKind): Delegate {
    return (kind === 'permit' ? this.db.permit : this.db.penalty) as unknown as Delegate;
  }

  /** What the public may see today: published, not withdrawn, not excluded by a rule, and (penalties) within the publicity period. */
  private publicWhere(kind: RecordKind, today: string): Record<string, unknown> {
    return kind === 'penalty' ? { isPublic: true, publicUntil: { gte: dateColumn(today) } } : { isPublic: true };
  }

  private filterWhere(f: PublicFilter): Record<string, unknown>[] {
    const and: Record<string, unknown>[] = [];
    if (f.dept) and.push({ departmentId: f.dept });
    if (f.county) and.push({ countyId: f.county });
    if (f.category) and.push({ subjectCategory: f.category });
    if (f.from || f.to) and.push({ decisionDate: { ...(f.from ? { gte: dateColumn(f.from) } : {}), ...(f.to ? { lte: dateColumn(f.to) } : {}) } });
    return and;
  }

  async publicPage(kind: RecordKind, f: PublicFilter, today: string, page: number, pageSize: number) {
    const keyword = f.q ? await this.keyword(f.q) : null;
    const where = { AND: [this.publicWhere(kind, today), ...(keyword ? [keyword.where] : []), ...this.filterWhere(f)] };
    const select = kind === 'permit' ? { ...LIST_SELECT, permitCategory: true } : { ...LIST_SELECT, penaltyCategories: true, fineAmount: true };
    const order = [{ decisionDate: 'desc' }, { id: 'desc' }] as const;
    // Counted in the list's own order, so PostgreSQL walks the same partial index and stops at the cap; but when
    // the keyword has become a list of record names, the subject-name index finds them all faster than any walk.
    // A name fragment with no other filter is counted name by name in one statement (nameCount): through the names
    // already listed, or for a common fragment through record_name. A walk would read hundreds of thousands of
    // records to reach the cap, and Prisma sends a list of names as one parameter each. With a department, county,
    // category or dates the walk is bounded by them.
    const count = (): Promise<number> => {
      if (keyword?.isName && f.q && this.nameCount && this.filterWhere(f).length === 0) {
        return this.nameCount(kind, keyword.names ? { names: keyword.names } : { fragment: f.q }, today, COUNT_CAP);
      }
      if (keyword?.names) return this.model(kind).count({ where });
      return this.model(kind).count({ where, orderBy: order, take: COUNT_CAP + 1 });
    };
    const [rows, capped] = await Promise.all([
      this.model(kind).findMany({ where, select, orderBy: order, skip: (page - 1) * pageSize, take: pageSize }),
      count(),
    ]);
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
