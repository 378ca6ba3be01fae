import type { Db } from '../../platform/database/client.js';
import type { CodeLookup, SubjectRepository } from '../subjects/repository.js';
import { inForceWhere } from '../lists/service.js';

export interface SearchHit {
  id: number;
  uscc: string | null;
  name: string;
  legalRepresentative: string | null;
  status: string;
  county: string | null;
  regNo: string | null;
}

/** Matches past this are shown as "1000+": counting every holder of a common character costs a scan. */
export const SEARCH_COUNT_CAP = 1000;

/**
 * The grams a name search asks the GIN index for: the term's character bigrams, or its one character.
 * Names are indexed by nameGrams() / xx_name_grams() (grams.ts), lower-cased the same way.
 */
export function searchGrams(term: string): string[] {
  const chars = Array.from(term.toLowerCase());
  if (chars.length === 1) return chars;
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i]! + chars[i + 1]!);
  return [...grams];
}

/** Normalises what a visitor typed as a name: no spaces (Chinese names have none), at most 50 characters. */
export function normaliseTerm(q: string): string {
  return Array.from(q.replace(/\s+/g, '')).slice(0, 50).join('');
}

/** Grams held by more than this share of names (有限, 公司, 新乡…) narrow nothing down and are costly to intersect. */
const COMMON_GRAM_SHARE = 0.01;

/**
 * Keeps the grams worth asking the index for: the rare ones, or failing that the least common one. Correctness
 * does not depend on it — the exact substring is rechecked — only the cost of intersecting posting lists.
 */
export function selectGrams(grams: string[], share: ReadonlyMap<string, number>): string[] {
  if (grams.length <= 1) return grams;
  const rare = grams.filter((g) => (share.get(g) ?? 0) < COMMON_GRAM_SHARE);
  if (rare.length) return rare;
  return [[...grams].sort((a, b) => (share.get(a) ?? 0) - (share.get(b) ?? 0))[0]!];
}

export class SearchRepository {
  private gramShare: { at: number; value: Promise<Map<string, number>> } | null = null;

  constructor(
    private readonly db: Db,
    private readonly subjects: SubjectRepository,
  ) {}

  /** How common each frequent gram is, from PostgreSQL's own statistics (refreshed every 10 minutes). */
  private commonGrams(): Promise<Map<string, number>> {
    if (this.gramShare && Date.now() - this.gramShare.at < 600_000) return this.gramShare.value;
    const value = this.db
      .$queryRaw<{ elems: string[] | null; freqs: number[] | null }[]>`
        SELECT most_common_elems::text::text[] AS elems, most_common_elem_freqs::float8[] AS freqs
          FROM pg_stats WHERE schemaname = 'public' AND tablename = 'legal_person' AND attname = 'name_grams'`
      .then(([r]) => new Map((r?.elems ?? []).map((e, i) => [e, r?.freqs?.[i] ?? 0])))
      .catch(() => new Map<string, number>());
    this.gramShare = { at: Date.now(), value };
    return value;
  }

  async byName(term: string, page: number, pageSize: number): Promise<{ hits: SearchHit[]; total: number; more: boolean }> {
    const grams = selectGrams(searchGrams(term), await this.commonGrams());
    const needle = term.toLowerCase();
    // Plain (unnamed) statements are planned with the actual grams each time; a generic plan would scan the whole index.
    const [hits, counted] = await Promise.all([
      this.db.$queryRaw<SearchHit[]>`
        SELECT lp.id, lp.uscc, lp.name, lp.legal_representative AS "legalRepresentative", lp.status::text AS status,
               c.name AS county, lp.reg_no AS "regNo"
          FROM legal_person lp LEFT JOIN county c ON c.id = lp.county_id
         WHERE lp.name_grams @> ${grams}::text[] AND strpos(lower(lp.name), ${needle}) > 0
         ORDER BY lp.id
         LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
      this.db.$queryRaw<{ n: bigint }[]>`
        SELECT count(*) AS n FROM (
          SELECT 1 FROM legal_person lp
           WHERE lp.name_grams @> ${grams}::text[] AND strpos(lower(lp.name), ${needle}) > 0
           LIMIT ${SEARCH_COUNT_CAP + 1}) x`,
    ]);
    const n = Number(counted[0]?.n ?? 0);
    return { hits, total: Math.min(n, SEARCH_COUNT_CAP), more: n > SEARCH_COUNT_CAP };
  }

  async byCode(code: Exclude<CodeLookup, { kind: 'invalid' | 'notACode' }>): Promise<SearchHit[]> {
    const lp = await this.subjects.findLegalPersonByCode(code);
    if (!lp) return [];
    return [{ id: lp.id, uscc: lp.uscc, name: lp.name, legalRepresentative: lp.legalRepresentative, status: lp.status, county: lp.county?.name ?? null, regNo: lp.regNo }];
  }

  /** Public permit and penalty counts for a page of results, in two grouped queries. */
  async recordCounts(ids: number[], today: string): Promise<Map<number, { permits: number; penalties: number }>> {
    const out = new Map(ids.map((id) => [id, { permits: 0, penalties: 0 }]));
    if (!ids.length) return out;
    const todayDate = new Date(`${today}T00:00:00Z`);
    const [permits, penalties] = await Promise.all([
      this.db.permit.groupBy({ by: ['legalPersonId'], where: { legalPersonId: { in: ids }, isPublic: true }, _count: { _all: true } }),
      this.db.penalty.groupBy({ by: ['legalPersonId'], where: { legalPersonId: { in: ids }, isPublic: true, publicUntil: { gte: todayDate } }, _count: { _all: true } }),
    ]);
    for (const p of permits) if (p.legalPersonId !== null) out.get(p.legalPersonId)!.permits = p._count._all;
    for (const p of penalties) if (p.legalPersonId !== null) out.get(p.legalPersonId)!.penalties = p._count._all;
    return out;
  }

  /** Which lists (red/black) each subject of a result page is on today. */
  async listBadges(ids: number[], today: string): Promise<Map<number, Set<'red' | 'black'>>> {
    const out = new Map<number, Set<'red' | 'black'>>();
    if (!ids.length) return out;
    const rows = await this.db.listEntry.findMany({
      where: { legalPersonId: { in: ids }, ...inForceWhere(today) },
      select: { legalPersonId: true, listType: true },
    });
    for (const r of rows) {
      if (r.legalPersonId === null) continue;
      const set = out.get(r.legalPersonId) ?? new Set();
      set.add(r.listType);
      out.set(r.legalPersonId, set);
    }
    return out;
  }

  /** A natural person by exact name and document; never by partial name. */
  findPerson(docType: Parameters<SubjectRepository['findNaturalPerson']>[0], docNumber: string, name: string) {
    return this.db.naturalPerson.findFirst({ where: { docType, docNumber, name }, select: { id: true, name: true, docType: true, docNumber: true } });
  }

  personPenalties(naturalPersonId: number, today: string) {
    return this.db.penalty.findMany({
      where: { naturalPersonId, isPublic: true, publicUntil: { gte: new Date(`${today}T00:00:00Z`) } },
      orderBy: [{ decisionDate: 'desc' }, { id: 'desc' }],
      include: { department: { select: { name: true } } },
    });
  }
}
