import { Prisma } from '../../generated/prisma/client.js';
import type { Db } from '../../platform/database/client.js';
import type { CodeLookup, SubjectRepository } from '../subjects/repository.js';
import { inForceSql } from '../lists/service.js';

export interface SearchHit {
  id: number;
  uscc: string | null;
  name: string;
  legalRepresentative: string | null;
  status: string;
  county: string | null;
  regNo: string | null;
  /** public permits, and penalties still in their publicity period */
  permits: number;
  penalties: number;
  /** on the red / black list today */
  red: boolean;
  black: boolean;
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

  /**
   * A result page in one query: the matching subjects (`match`, already limited to the page) with their county,
   * public record counts and list badges, computed for the page's rows only.
   */
  private page(match: Prisma.Sql, today: string): Promise<SearchHit[]> {
    return this.db.$queryRaw<SearchHit[]>`
      WITH hits AS MATERIALIZED (${match})
      SELECT lp.id, lp.uscc, lp.name, lp.legal_representative AS "legalRepresentative", lp.status::text AS status,
             c.name AS county, lp.reg_no AS "regNo",
             (SELECT count(*)::int FROM permit p WHERE p.legal_person_id = lp.id AND p.is_public) AS permits,
             (SELECT count(*)::int FROM penalty p WHERE p.legal_person_id = lp.id AND p.is_public AND p.public_until >= ${today}::date) AS penalties,
             EXISTS (SELECT 1 FROM list_entry e JOIN list_issue i ON i.id = e.issue_id
                      WHERE e.legal_person_id = lp.id AND e.list_type = 'red' AND ${inForceSql(today)}) AS red,
             EXISTS (SELECT 1 FROM list_entry e JOIN list_issue i ON i.id = e.issue_id
                      WHERE e.legal_person_id = lp.id AND e.list_type = 'black' AND ${inForceSql(today)}) AS black
        FROM hits JOIN legal_person lp ON lp.id = hits.id LEFT JOIN county c ON c.id = lp.county_id
       ORDER BY lp.id`;
  }

  async byName(term: string, page: number, pageSize: number, today: string): Promise<{ hits: SearchHit[]; total: number; more: boolean }> {
    const grams = selectGrams(searchGrams(term), await this.commonGrams());
    const needle = term.toLowerCase();
    // Plain (unnamed) statements are planned with the actual grams each time; a generic plan would scan the whole index.
    const [hits, counted] = await Promise.all([
      this.page(
        Prisma.sql`SELECT lp.id FROM legal_person lp
                    WHERE lp.name_grams @> ${grams}::text[] AND strpos(lower(lp.name), ${needle}) > 0
                    ORDER BY lp.id LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
        today,
      ),
      this.db.$queryRaw<{ n: bigint }[]>`
        SELECT count(*) AS n FROM (
          SELECT 1 FROM legal_person lp
           WHERE lp.name_grams @> ${grams}::text[] AND strpos(lower(lp.name), ${needle}) > 0
           LIMIT ${SEARCH_COUNT_CAP + 1}) x`,
    ]);
    const n = Number(counted[0]?.n ?? 0);
    return { hits, total: Math.min(n, SEARCH_COUNT_CAP), more: n > SEARCH_COUNT_CAP };
  }

  /** The subject a code names (a legacy code: the first one holding it), as a result row; [] when none. */
  byCode(code: Exclude<CodeLookup, { kind: 'invalid' | 'notACode' }>, today: string): Promise<SearchHit[]> {
    const match =
      code.kind === 'uscc'
        ? Prisma.sql`SELECT id FROM legal_person WHERE uscc = ${code.value}`
        : code.kind === 'regNo'
          ? Prisma.sql`SELECT id FROM legal_person WHERE reg_no = ${code.value} ORDER BY id LIMIT 1`
          : Prisma.sql`SELECT id FROM legal_person WHERE org_code = ${code.value.replace('-', '')} ORDER BY id LIMIT 1`;
    return this.page(match, today);
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
