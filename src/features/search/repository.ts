import type pg from 'pg';
import { Prisma } from '../../generated/prisma/client.js';
import type { Db } from '../../platform/database/client.js';
import type { CodeLookup, SubjectRepository } from '../subjects/repository.js';
import { inForceSql } from '../../platform/database/in-force.js';
import { dateColumn } from '../../domain/dates.js';
import { OPEN_OBJECTION_STATUSES_SQL } from '../../domain/objections.js';

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
  /** one of its records has an objection being handled (条例 Art. 41: 异议处理中 on every surface) */
  disputed: boolean;
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

/**
 * Grams held by more than this share of names (有限, 公司…) narrow little down and are costly to intersect. Below
 * it every gram is worth asking for: each one more cuts the rows to recheck, and posting lists of up to a fifth of
 * the names intersect cheaply (see docs/performance.md#search).
 */
const COMMON_GRAM_SHARE = 0.2;

/**
 * What rechecking one candidate name costs (a heap visit, mostly to a page of its own) against reading one more
 * posting-list entry of a gram. Taken well below the measured ratio (docs/performance.md#search), as warm pages make
 * a recheck cheaper.
 */
const RECHECK_PER_ENTRY = 100;

/**
 * Keeps the grams worth asking the index for: the rare ones, or failing that the least common one. Correctness
 * does not depend on it — the exact substring is rechecked — only the cost of intersecting posting lists against
 * that of rechecking candidates. When the rare grams still leave many candidates (「新乡市老」: 「市老」 alone
 * matches far more names than contain the term), common grams are added, least common first, while the candidates one
 * would strike (counted as if the grams were independent) cost more to recheck than its posting list to read.
 */
export function selectGrams(grams: string[], share: ReadonlyMap<string, number>, names = 0): string[] {
  if (grams.length <= 1) return grams;
  const shareOf = (g: string) => share.get(g) ?? 0;
  const byShare = [...grams].sort((a, b) => shareOf(a) - shareOf(b));
  const rare = byShare.filter((g) => shareOf(g) < COMMON_GRAM_SHARE);
  const chosen = rare.length ? rare : [byShare[0]!];
  let candidates = shareOf(chosen[0]!) * names;
  for (const g of byShare.slice(chosen.length)) {
    const s = shareOf(g);
    if ((1 - s) * candidates * RECHECK_PER_ENTRY <= s * names) break;
    chosen.push(g);
    candidates *= s;
  }
  return chosen;
}

/**
 * A result page in one statement: the matching subjects (`match`, already limited to the page) with their county,
 * public record counts and list badges, computed for the page's rows only.
 */
function pageSql(match: Prisma.Sql, today: string): Prisma.Sql {
  return Prisma.sql`
      WITH hits AS MATERIALIZED (${match})
      SELECT lp.id, lp.uscc, lp.name, lp.legal_representative AS "legalRepresentative", lp.status::text AS status,
             c.name AS county, lp.reg_no AS "regNo",
             (SELECT count(*)::int FROM permit p WHERE p.legal_person_id = lp.id AND p.is_public) AS permits,
             (SELECT count(*)::int FROM penalty p WHERE p.legal_person_id = lp.id AND p.is_public AND p.public_until >= ${today}::date) AS penalties,
             EXISTS (SELECT 1 FROM list_entry e JOIN list_issue i ON i.id = e.issue_id
                      WHERE e.legal_person_id = lp.id AND e.list_type = 'red' AND ${inForceSql(today)}) AS red,
             EXISTS (SELECT 1 FROM list_entry e JOIN list_issue i ON i.id = e.issue_id
                      WHERE e.legal_person_id = lp.id AND e.list_type = 'black' AND ${inForceSql(today)}) AS black,
             EXISTS (SELECT 1 FROM objection o
                       LEFT JOIN penalty p ON p.id = o.penalty_id LEFT JOIN permit pm ON pm.id = o.permit_id
                       LEFT JOIN list_entry e ON e.id = o.list_entry_id LEFT JOIN commitment cm ON cm.id = o.commitment_id
                      WHERE o.status IN ${Prisma.raw(OPEN_OBJECTION_STATUSES_SQL)}
                        AND lp.id IN (p.legal_person_id, pm.legal_person_id, e.legal_person_id, cm.legal_person_id)) AS disputed
        FROM hits JOIN legal_person lp ON lp.id = hits.id LEFT JOIN county c ON c.id = lp.county_id
       ORDER BY lp.id`;
}

interface GramStats {
  share: ReadonlyMap<string, number>;
  /** the planner's estimate of the number of legal persons */
  names: number;
}

/**
 * Up to this many gram matches, collecting them all through the GIN index and sorting beats walking the primary
 * key. With C gram matches that are (nearly) all real matches, the walk reads about 20·N/C names for a page of 20,
 * the sort C; but the walk reads them in key order, mostly from pages it has just read, and the sort visits each on
 * a page of its own, several times dearer per name. They break even at C = √(20·N·walk cost/sort cost); with the
 * costs measured at 1M names (docs/performance.md#search) that is this constant.
 */
const GIN_SORT_MAX_CANDIDATES = 1_500;

/**
 * A one- or two-character term whose posting list the statistics put at this many times the count cap is taken to
 * have more matches than we count, uncounted. The element frequencies come from a sample of 30,000 names: at three
 * times the cap (0.3% of 1M names, ~90 sampled) an estimate off by a factor of three is far outside their error.
 */
const SURE_PAST_CAP = 3;

export class SearchRepository {
  private gramStats: { at: number; value: Promise<GramStats> } | null = null;

  constructor(
    private readonly db: Db,
    /** node-pg, for the search's own statements (see rows()) */
    private readonly pool: Pick<pg.Pool, 'query' | 'connect'>,
  ) {}

  /** How common each frequent gram is, and how many names there are, from PostgreSQL's own statistics (refreshed every 10 minutes). */
  private commonGrams(): Promise<GramStats> {
    if (this.gramStats && Date.now() - this.gramStats.at < 600_000) return this.gramStats.value;
    const value = this.db.$queryRaw<{ elems: string[] | null; freqs: number[] | null; names: number | null }[]>`
        SELECT s.most_common_elems::text::text[] AS elems, s.most_common_elem_freqs::float8[] AS freqs,
               (SELECT reltuples::float8 FROM pg_class WHERE oid = 'legal_person'::regclass) AS names
          FROM (SELECT 1) one LEFT JOIN pg_stats s ON s.schemaname = 'public' AND s.tablename = 'legal_person' AND s.attname = 'name_grams'`
      .then(([r]) => ({ share: new Map((r?.elems ?? []).map((e, i) => [e, r?.freqs?.[i] ?? 0])), names: Math.max(0, r?.names ?? 0) }))
      .catch(() => ({ share: new Map<string, number>(), names: 0 }));
    this.gramStats = { at: Date.now(), value };
    return value;
  }

  /**
   * The search's statements go through node-pg rather than Prisma: Prisma's raw query and batch transaction cost
   * more per search than node-pg's (docs/performance.md#search).
   */
  private async rows<T extends pg.QueryResultRow>(sql: Prisma.Sql, client: Pick<pg.PoolClient, 'query'> = this.pool): Promise<T[]> {
    return (await client.query<T>(sql.text, sql.values)).rows;
  }

  /**
   * The grams a term is looked up by (selectGrams), and the candidates they bound: the rarest one's posting list, by
   * the statistics. Public so that bench:search can show the plans of what the search really sends.
   */
  async gramPlan(term: string): Promise<{ grams: string[]; candidates: number }> {
    const { share, names } = await this.commonGrams();
    const grams = selectGrams(searchGrams(term), share, names);
    return { grams, candidates: grams.length ? Math.min(...grams.map((g) => share.get(g) ?? 0)) * names : 0 };
  }

  async byName(term: string, page: number, pageSize: number, today: string): Promise<{ hits: SearchHit[]; total: number; more: boolean }> {
    const { grams, candidates } = await this.gramPlan(term);
    const needle = term.toLowerCase();
    const offset = (page - 1) * pageSize;
    const matching = Prisma.sql`FROM legal_person lp WHERE lp.name_grams @> ${grams}::text[] AND strpos(lower(lp.name), ${needle}) > 0`;
    // For a term of one or two characters the rarest gram's posting list *is* the matches, since names are indexed by
    // every character and bigram. Well past the cap by the statistics, counting would only confirm "1000+" at the
    // cost of visiting a thousand names, most of such a search's time (docs/performance.md#search).
    const surelyPastCap = Array.from(needle).length <= 2 && candidates >= SURE_PAST_CAP * SEARCH_COUNT_CAP;
    if (!surelyPastCap) {
      // First every match up to the cap, in any order: the index and the rows it points at are visited once, and
      // when that is all of them the page is cut from them. Plain (unnamed) statements are planned with the actual
      // grams each time; a generic plan would scan the whole index.
      const found = await this.rows<{ id: number }>(Prisma.sql`SELECT lp.id ${matching} LIMIT ${SEARCH_COUNT_CAP + 1}`);
      if (found.length <= SEARCH_COUNT_CAP) {
        const ids = found
          .map((r) => r.id)
          .sort((a, b) => a - b)
          .slice(offset, offset + pageSize);
        const hits = ids.length ? await this.rows<SearchHit>(pageSql(Prisma.sql`SELECT unnest(${ids}::int[]) AS id`, today)) : [];
        return { hits, total: found.length, more: false };
      }
    }
    return { hits: await this.orderedPage(matching, candidates, pageSize, offset, today), total: SEARCH_COUNT_CAP, more: true };
  }

  /**
   * A page of the first matches in id order, when there are more matches than we count. The planner cannot tell how
   * rare the exact substring is among the gram matches, and picks badly both ways (walking the primary key through
   * 30,000 names for 「维修行业」, sorting 20,000 gram matches for 「管理有限」). The rarest gram's share bounds the gram
   * matches (`candidates`): few enough, and they are collected through the GIN index and sorted; otherwise the exact
   * matches are dense and walking the primary key stops soon. Either way in one process: parallel workers cost more
   * to start than such a query takes.
   */
  private async orderedPage(matching: Prisma.Sql, candidates: number, pageSize: number, offset: number, today: string): Promise<SearchHit[]> {
    const off = candidates <= GIN_SORT_MAX_CANDIDATES ? 'enable_indexscan' : 'enable_bitmapscan';
    const client = await this.pool.connect();
    try {
      // The planner settings hold for this transaction only.
      await client.query(`BEGIN; SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL enable_seqscan = off; SET LOCAL ${off} = off`);
      const hits = await this.rows<SearchHit>(pageSql(Prisma.sql`SELECT lp.id ${matching} ORDER BY lp.id LIMIT ${pageSize} OFFSET ${offset}`, today), client);
      await client.query('COMMIT');
      return hits;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  /**
   * The 双公示 record names (record_name) containing `term`, or null when more than `cap` do. The grams are chosen
   * with the legal-person names' statistics: the record names are mostly those same names.
   */
  async recordNames(term: string, cap: number): Promise<string[] | null> {
    const { grams, candidates } = await this.gramPlan(term);
    if (!grams.length) return [];
    // A fragment whose rarest gram is in a large share of the names (有限, 公司…) is common: no need to ask.
    if (candidates > cap * 4) return null;
    const rows = await this.rows<{ name: string }>(Prisma.sql`
      SELECT r.name FROM record_name r WHERE r.grams @> ${grams}::text[] AND strpos(lower(r.name), ${term.toLowerCase()}) > 0 LIMIT ${cap + 1}`);
    return rows.length > cap ? null : rows.map((r) => r.name);
  }

  /**
   * The public records whose 相对人名称 is one of `names` (what recordNames listed) or contains a common `fragment`
   * (too many names to list), counted up to cap + 1 name by name: per name, the subject-name index says how many of
   * its records are public, and the count stops at the cap. For a common fragment the alternative, walking the public
   * list until cap + 1 records match, reads hundreds of thousands of records; for a listed few thousand names, Prisma's
   * count sends one parameter per name. Both were many times slower (docs/performance.md#双公示-lists).
   * A fragment is matched case-sensitively, as the list's own LIKE matches it.
   */
  async publicRecordCount(kind: 'permit' | 'penalty', match: { names: readonly string[] } | { fragment: string }, today: string, cap: number): Promise<number> {
    let names: Prisma.Sql;
    if ('names' in match) {
      names = Prisma.sql`SELECT unnest(${match.names}::text[]) AS name`;
    } else {
      const { grams } = await this.gramPlan(match.fragment);
      if (!grams.length) return 0;
      names = Prisma.sql`SELECT r.name FROM record_name r WHERE r.grams @> ${grams}::text[] AND strpos(r.name, ${match.fragment}) > 0`;
    }
    // OFFSET 0 keeps the per-name lookup a subquery, so it stays a nested loop that stops at the cap.
    const perName =
      kind === 'penalty'
        ? Prisma.sql`SELECT 1 FROM penalty p WHERE p.subject_name = n.name AND p.is_public AND p.public_until >= ${today}::date OFFSET 0`
        : Prisma.sql`SELECT 1 FROM permit p WHERE p.subject_name = n.name AND p.is_public OFFSET 0`;
    const [row] = await this.rows<{ n: number }>(Prisma.sql`
      SELECT count(*)::int AS n FROM (SELECT 1 FROM (${names}) n, LATERAL (${perName}) p LIMIT ${cap + 1}) x`);
    return row?.n ?? 0;
  }

  /**
   * The subject a code names (a legacy code: the first one holding it), as a result row; [] when none. A named
   * statement per kind of code (the text is the same for every code of a kind): planned once per connection, and
   * without Prisma's per-query overhead, which was most of a lookup's time.
   */
  async byCode(code: Exclude<CodeLookup, { kind: 'invalid' | 'notACode' }>, today: string): Promise<SearchHit[]> {
    const match =
      code.kind === 'uscc'
        ? Prisma.sql`SELECT id FROM legal_person WHERE uscc = ${code.value}`
        : code.kind === 'regNo'
          ? Prisma.sql`SELECT id FROM legal_person WHERE reg_no = ${code.value} ORDER BY id LIMIT 1`
          : Prisma.sql`SELECT id FROM legal_person WHERE org_code = ${code.value.replace('-', '')} ORDER BY id LIMIT 1`;
    const sql = pageSql(match, today);
    return (await this.pool.query<SearchHit>({ name: `search-by-${code.kind}`, text: sql.text, values: sql.values })).rows;
  }

  /** A natural person by exact name and document; never by partial name. */
  findPerson(docType: Parameters<SubjectRepository['findNaturalPerson']>[0], docNumber: string, name: string) {
    return this.db.naturalPerson.findFirst({ where: { docType, docNumber, name }, select: { id: true, name: true, docType: true, docNumber: true } });
  }

  personPenalties(naturalPersonId: number, today: string) {
    return this.db.penalty.findMany({
      where: { naturalPersonId, isPublic: true, publicUntil: { gte: dateColumn(today) } },
      orderBy: [{ decisionDate: 'desc' }, { id: 'desc' }],
      include: { department: { select: { name: true } } },
    });
  }
}
