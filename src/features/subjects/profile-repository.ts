import type pg from 'pg';
import { OPEN_OBJECTION_STATUSES_SQL as OPEN_STATUSES_SQL } from '../../domain/objections.js';
import { inForceSqlText } from '../../platform/database/in-force.js';
import { publicCommitmentSql } from '../../platform/database/commitment-disclosure.js';

/** What every aggregated record carries besides its columns: an objection to it is being handled. */
interface Disputable {
  objection_open: boolean;
}

/**
 * A permit as the profile query aggregates it. The web page asks for the listed columns only; the credit report
 * (`full`) gets every column of the row (to_jsonb), which the index signature admits for the field catalogue.
 */
export interface ProfilePermitRow extends Disputable {
  id: number;
  document_name: string;
  document_no: string;
  decision_date: string;
  authority: string;
  permit_category: string;
  content: string;
  [column: string]: unknown;
}

export interface ProfilePenaltyRow extends Disputable {
  id: number;
  violation_type: string;
  document_no: string;
  decision_date: string;
  authority: string;
  penalty_categories: string[];
  /** decimal(18,6) as text, so no digit is lost */
  fine_amount: string | null;
  /** severity tier (轻微 / 一般 / 严重) */
  tier: string | null;
  /** the day it leaves publication (公示截止期 applied), YYYY-MM-DD */
  public_until: string | null;
  [column: string]: unknown;
}

export interface ProfileListEntryRow extends Disputable {
  id: number;
  list_type: 'red' | 'black';
  issue_id: number;
  reason: string;
  basis_doc_no: string;
  basis_date: string;
  basis_authority: string;
  valid_until: string;
  department: string;
}

export interface ProfileCommitmentRow extends Disputable {
  id: number;
  code: string;
  commitment_type: string;
  matter: string;
  content: string;
  made_on: string;
  fulfilment: string | null;
}

export interface ProfileRow {
  id: number;
  uscc: string | null;
  name: string;
  legal_representative: string | null;
  subject_type: string;
  status: string;
  address: string | null;
  established_on: string | null;
  org_code: string | null;
  reg_no: string | null;
  county: string | null;
  /** at most `limit` of each, newest first, from `offset` in the asked section (every section from its start otherwise) */
  permits: ProfilePermitRow[];
  penalties: ProfilePenaltyRow[];
  red_entries: ProfileListEntryRow[];
  black_entries: ProfileListEntryRow[];
  commitments: ProfileCommitmentRow[];
  /** how many each section holds in all */
  permit_count: number;
  penalty_count: number;
  red_count: number;
  black_count: number;
  commitment_count: number;
  /** a public commitment is assessed as not (wholly) fulfilled (违诺), whichever page lists it */
  commitment_broken: boolean;
}

/** The record sections of a profile, as the paged section view names them in its address. */
export const PROFILE_SECTIONS = ['permits', 'penalties', 'red', 'black', 'commitments'] as const;
export type ProfileSectionKey = (typeof PROFILE_SECTIONS)[number];

/** The `objection_open` flag of a record (alias `alias`) whose objections point at it through `col`. */
const open = (col: string, alias = 'p') =>
  `'objection_open', EXISTS (SELECT 1 FROM objection o WHERE o.${col} = ${alias}.id AND o.status IN ${OPEN_STATUSES_SQL})`;

/**
 * A subject's credit profile in one query whatever the number of records, so a subject with thousands of
 * records costs the same round trip as one with none.
 *
 * The subject and its public records aggregated as JSON, in one statement ($1 USCC, $2 today, $3 rows per section,
 * $4 offset within the asked section). Each section brings its newest `$3` records and its total: a subject with
 * thousands of records would otherwise cost thousands of JSON objects built, sent, parsed and rendered for one page,
 * while the page lists the first few and links to the section's own pages. The records are picked (sorted, limited)
 * before their JSON and objection flags are built, so those cost only the rows kept. Amounts travel as text so
 * decimal(18,6) keeps every digit; the founding date as text so no time zone can shift it. The web page lists a few
 * columns of each record, the credit report prints every public field: the page asks for those few (`full` false),
 * which spares PostgreSQL building and Node parsing some forty columns a record, and builds them as json, not jsonb,
 * which json_agg would only turn back into text, a measurable share of the query (docs/performance.md#search).
 */
function profileSql(full: boolean, only: ProfileSectionKey | null): string {
  const permit = full
    ? `to_jsonb(p) || jsonb_build_object(${open('permit_id')})`
    : `json_build_object('id', p.id, 'document_name', p.document_name, 'document_no', p.document_no, 'decision_date', p.decision_date, 'authority', p.authority,
                          'permit_category', p.permit_category, 'content', p.content, ${open('permit_id')})`;
  const penalty = full
    ? `to_jsonb(p) || jsonb_build_object('fine_amount', p.fine_amount::text, 'confiscated_amount', p.confiscated_amount::text, ${open('penalty_id')})`
    : `json_build_object('id', p.id, 'violation_type', p.violation_type, 'document_no', p.document_no, 'decision_date', p.decision_date, 'authority', p.authority,
                          'penalty_categories', p.penalty_categories, 'fine_amount', p.fine_amount::text, 'tier', p.tier, 'public_until', p.public_until,
                          ${open('penalty_id')})`;
  const where: Record<ProfileSectionKey, { from: string; order: string }> = {
    permits: { from: `permit p WHERE p.legal_person_id = lp.id AND p.is_public`, order: 'p.decision_date DESC, p.id DESC' },
    penalties: {
      from: `penalty p WHERE p.legal_person_id = lp.id AND p.is_public AND p.public_until >= $2::date`,
      order: 'p.decision_date DESC, p.id DESC',
    },
    red: {
      from: `list_entry e JOIN list_issue i ON i.id = e.issue_id WHERE e.legal_person_id = lp.id AND e.list_type = 'red' AND ${inForceSqlText('$2::date')}`,
      order: 'e.basis_date DESC, e.id DESC',
    },
    black: {
      from: `list_entry e JOIN list_issue i ON i.id = e.issue_id WHERE e.legal_person_id = lp.id AND e.list_type = 'black' AND ${inForceSqlText('$2::date')}`,
      order: 'e.basis_date DESC, e.id DESC',
    },
    commitments: { from: `commitment c WHERE c.legal_person_id = lp.id AND ${publicCommitmentSql('$2::date')}`, order: 'c.made_on DESC, c.id DESC' },
  };
  const alias: Record<ProfileSectionKey, string> = { permits: 'p', penalties: 'p', red: 'e', black: 'e', commitments: 'c' };
  const table: Record<ProfileSectionKey, string> = {
    permits: 'permit',
    penalties: 'penalty',
    red: 'list_entry',
    black: 'list_entry',
    commitments: 'commitment',
  };
  const json: Record<ProfileSectionKey, string> = {
    permits: permit,
    penalties: penalty,
    red: `to_jsonb(e) || jsonb_build_object(${open('list_entry_id', 'e')})`,
    black: `to_jsonb(e) || jsonb_build_object(${open('list_entry_id', 'e')})`,
    commitments: `to_jsonb(c) || jsonb_build_object(${open('commitment_id', 'c')})`,
  };
  const names: Record<ProfileSectionKey, [string, string]> = {
    permits: ['permits', 'permit_count'],
    penalties: ['penalties', 'penalty_count'],
    red: ['red_entries', 'red_count'],
    black: ['black_entries', 'black_count'],
    commitments: ['commitments', 'commitment_count'],
  };
  const columns = PROFILE_SECTIONS.map((key) => {
    const [rows, count] = names[key];
    if (only && only !== key) return `'[]'::json AS ${rows}, 0 AS ${count}`;
    const a = alias[key];
    const { from, order } = where[key];
    // The subquery keeps the alias, so the JSON expressions read its row as they would the table's. The page's ids
    // are picked first and only their rows read: a deep page of a penalty or permit section then walks the
    // subject's index entries alone (an index-only scan) instead of a table row per record skipped.
    return `(SELECT coalesce(json_agg(${json[key]} ORDER BY ${order}), '[]')
               FROM (SELECT ${a}.* FROM ${table[key]} ${a}
                      WHERE ${a}.id IN (SELECT ${a}.id FROM ${from} ORDER BY ${order} LIMIT $3 OFFSET ${only ? '$4' : '0'})) ${a}) AS ${rows},
            (SELECT count(*)::int FROM ${from}) AS ${count}`;
  });
  // The outer WHERE names $2 as well: the permits pages read no date, and PostgreSQL refuses to prepare a statement
  // with a parameter of unknown type.
  const broken =
    only && only !== 'commitments'
      ? 'false'
      : `EXISTS (SELECT 1 FROM commitment c WHERE c.legal_person_id = lp.id AND c.fulfilment IN ('部分履行', '全部未履行') AND ${publicCommitmentSql('$2::date')})`;
  return `
      SELECT lp.id, lp.uscc, lp.name, lp.legal_representative, lp.subject_type::text AS subject_type, lp.status::text AS status,
             lp.address, lp.established_on::text AS established_on, lp.org_code, lp.reg_no, c.name AS county,
             ${columns.join(',\n             ')},
             ${broken} AS commitment_broken
        FROM legal_person lp LEFT JOIN county c ON c.id = lp.county_id
       WHERE lp.uscc = $1 AND $2::date IS NOT NULL`;
}
/** One statement per shape, prepared once per connection: the whole profile (page or report) and each section's pages. */
const PROFILE_SQL = new Map<string, string>();
function sqlFor(full: boolean, only: ProfileSectionKey | null): { name: string; text: string } {
  const name = `subject-profile${full ? '-full' : ''}${only ? `-${only}` : ''}`;
  let text = PROFILE_SQL.get(name);
  if (!text) PROFILE_SQL.set(name, (text = profileSql(full, only)));
  return { name, text };
}

/** The one statement of a subject's credit profile; ProfileService turns its row into the page's and report's sections. */
export class ProfileRepository {
  constructor(private readonly pool: Pick<pg.Pool, 'query'>) {}

  /**
   * `full`: every public column of every record (the credit report); otherwise what the web page lists. `limit` rows
   * per section; with `section`, only that section's rows, from `offset` (the other sections come back empty).
   */
  async byUscc(
    uscc: string,
    today: string,
    opts: { full: boolean; limit: number; section?: ProfileSectionKey; offset?: number },
  ): Promise<ProfileRow | undefined> {
    // A named statement through node-pg: planned once per connection instead of on every request (the plan
    // with its aggregates costs about as much as running it), and the JSON parsed without Prisma's raw-row mapping.
    const { name, text } = sqlFor(opts.full, opts.section ?? null);
    const { rows } = await this.pool.query<ProfileRow>({
      name,
      text,
      values: opts.section ? [uscc, today, opts.limit, opts.offset ?? 0] : [uscc, today, opts.limit],
    });
    return rows[0];
  }
}
