import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { fieldsOf, type RecordKind } from '../../domain/publicity/fields.js';
import { type PenaltyInput, type PermitInput } from '../../domain/publicity/schemas.js';
import { assignTier, publicityPeriod, type Period, type TierChoice, type TierRule } from '../../domain/publicity/tiers.js';
import { CopySlabs, arrayLiteral, copyLine, type CopyChunk } from '../../platform/database/copy.js';
import { redact } from '../../platform/logger.js';
import { nameGrams } from '../../domain/name-grams.js';
import { beijingToday } from '../../domain/dates.js';

/**
 * Writes validated 双公示 records, one row or a whole batch, through one path: COPY into a temporary
 * staging table, then set-based SQL that links the subject libraries and upserts on (机关代码, 文书号), chunk by
 * chunk (CHUNK_ROWS) while the next chunk is still being read. A batch is all-or-nothing: when rows are refused
 * the result lists them and the caller rolls back (earlier chunks may have been stored by then).
 * The form and the batch import both use it, so a record is stored the same way whichever door it came in,
 * and 100,000 rows cost a few set operations instead of 100,000 round trips.
 */

export type RecordInput = PermitInput | PenaltyInput;

export interface WriteContext {
  departmentId: number;
  /** A county-level department's county; null for 市直 departments. */
  departmentCountyId: number | null;
  /** SAMR Order 45: a market-supervision penalty that is only a warning is not published. */
  marketSupervision: boolean;
  /** 6-digit region code → county id, to place a 市直 department's record in a county by its subject. */
  countyByRegion: ReadonlyMap<string, number>;
  userId: number | null;
  importId: number | null;
  /** Working days from decision to report (both YYYY-MM-DD), or null when the calendar cannot tell. */
  reportWorkdays: (decisionDate: string, reportedDay: string) => number | null;
  /** The credit office's tier rules (tier_rule), loaded once per write: a penalty's default tier. */
  tierRules: readonly TierRule[];
}

export interface RowProblem {
  row: number;
  column: string;
  message: string;
  /** the field at fault, when not the 文书号 (an import names it by the file's own header) */
  key?: string;
}

export interface WriteResult {
  inserted: number;
  /** Existing records corrected: at least one value differs (the old values are in the audit log). */
  updated: number;
  /** Existing records reported again with exactly the stored values: not written, not audited. */
  unchanged: number;
  /** Rows refused by the database-level rules (someone else's 文书号, a withdrawn record, a repeat in the batch). */
  problems: RowProblem[];
  /** key `${authorityCode}\u0000${documentNo}` → id, and whether the row was new (or left as it was) */
  ids: Map<string, SavedId>;
}

export interface SavedId {
  id: number;
  inserted: boolean;
  unchanged?: boolean;
}

export const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const EXTRA_COLUMNS = [
  'reported_at',
  'department_id',
  'county_id',
  'publicity_scope',
  'is_public',
  'report_workdays',
  'import_id',
  'created_by_id',
  'legal_person_id',
  'natural_person_id',
];
/** Penalties also carry when and why they left publication (already past their period when reported). */
export const LEFT_COLUMNS = ['left_publication_at', 'left_reason'];
const PENALTY_EXTRA_COLUMNS = [...EXTRA_COLUMNS, ...LEFT_COLUMNS];
const extraColumns = (kind: RecordKind): string[] => (kind === 'penalty' ? PENALTY_EXTRA_COLUMNS : EXTRA_COLUMNS);
/** Columns a repeat report must not overwrite: timeliness counts from the first report. */
const KEEP_ON_UPDATE = new Set(['reported_at', 'report_workdays', 'created_by_id', 'department_id', 'authority_code', 'document_no']);

/** The record's own columns, as staged and compared (seed:scale writes the same). */
export function recordColumns(kind: RecordKind): string[] {
  const own = fieldsOf(kind).map((f) => snake(f.key));
  return kind === 'penalty' ? [...own, 'simple_procedure', 'public_until', 'tier', 'tier_source', 'tier_reason', 'publicity_necessary', 'publicity_rule'] : own;
}

function countyOf(input: RecordInput, ctx: WriteContext): number | null {
  if (ctx.departmentCountyId !== null) return ctx.departmentCountyId;
  const region =
    input.uscc && input.uscc.length === 18 ? input.uscc.slice(2, 8) : input.docNumber && input.docType === 'residentId' ? input.docNumber.slice(0, 6) : null;
  return region ? (ctx.countyByRegion.get(region) ?? null) : null;
}

/** Publicity rules (docs/domain.md), decided once per write and stored as is_public. */
export function publicityOf(
  kind: RecordKind,
  input: RecordInput,
  ctx: Pick<WriteContext, 'marketSupervision'>,
): { scope: 'public' | 'government'; isPublic: boolean } {
  if (kind === 'permit') {
    // Natural-person permits are shared between government bodies only (政务共享).
    return input.subjectCategory === 'natural' ? { scope: 'government', isPublic: false } : { scope: 'public', isPublic: true };
  }
  const p = input as PenaltyInput;
  if (p.subjectCategory === 'natural' && p.simpleProcedure) return { scope: 'public', isPublic: false };
  if (ctx.marketSupervision && p.penaltyCategories.length > 0 && p.penaltyCategories.every((c) => c === '警告')) return { scope: 'public', isPublic: false };
  return { scope: 'public', isPublic: true };
}

export interface StagedRow {
  rowNo: number;
  input: RecordInput;
  /** When the record was reported; now unless loading history (demo and scale data). */
  reportedAt?: Date;
}

/**
 * The name grams of the record's subject name (see nameGrams), as an array literal: for a new legal-person library
 * entry and for the record names the public columns' keyword looks up.
 */
function gramsLiteral(input: RecordInput): string {
  return arrayLiteral(nameGrams(input.subjectName));
}

export interface PenaltyPublicity extends Period {
  tier: TierChoice & { source: 'rule' | 'department' };
}

/**
 * A penalty's tier and publicity period, the same on every write (form, import, seed): the department's tier or the
 * rules' default, then the tier's window (src/domain/publicity/tiers.ts). A 公示截止期 outside the window is refused.
 */
export function penaltyPublicity(p: PenaltyInput, ctx: Pick<WriteContext, 'tierRules' | 'departmentId'>): PenaltyPublicity | { message: string } {
  const tier = assignTier(
    ctx.tierRules,
    {
      decisionDate: p.decisionDate,
      departmentId: ctx.departmentId,
      penaltyCategories: p.penaltyCategories,
      fineAmount: p.fineAmount,
      simpleProcedure: p.simpleProcedure,
    },
    { tier: p.tier, reason: p.tierReason },
  );
  const period = publicityPeriod({ decisionDate: p.decisionDate, tier: tier.tier, necessary: p.publicityNecessary, requestedEnd: p.publicityEndDate });
  if (!period.ok) return { message: period.message };
  return { tier, published: period.published, publicUntil: period.publicUntil, rule: period.rule };
}

/** The staged line of a row, or the reason the row is refused. */
function line(kind: RecordKind, row: StagedRow, ctx: WriteContext, now: Date, today: string): string | RowProblem {
  const { rowNo, input } = row;
  const reportedAt = row.reportedAt ?? now;
  const reportedDay = beijingToday(reportedAt);
  let period: PenaltyPublicity | null = null;
  if (kind === 'penalty') {
    const r = penaltyPublicity(input as PenaltyInput, ctx);
    if ('message' in r) return { row: rowNo, column: '公示截止期', key: 'publicityEndDate', message: r.message };
    period = r;
  }
  const rec = input as unknown as Record<string, unknown>;
  const values: (string | number | boolean | null)[] = [rowNo];
  for (const f of fieldsOf(kind)) {
    const v = rec[f.key];
    values.push(Array.isArray(v) ? arrayLiteral(v as string[]) : ((v as string | null | undefined) ?? null));
  }
  if (period) {
    const p = input as PenaltyInput;
    values.push(p.simpleProcedure, period.publicUntil, period.tier.tier, period.tier.source, period.tier.reason || null, p.publicityNecessary, period.rule);
  }
  const rules = publicityOf(kind, input, ctx);
  // Published by every rule but already past its period today (a late report, history loaded now): it has left.
  const expired = period !== null && rules.isPublic && period.published && period.publicUntil < today;
  const pub = { scope: rules.scope, isPublic: rules.isPublic && (period === null || (period.published && !expired)) };
  values.push(
    reportedAt.toISOString(),
    ctx.departmentId,
    countyOf(input, ctx),
    pub.scope,
    pub.isPublic,
    ctx.reportWorkdays(input.decisionDate, reportedDay),
    ctx.importId,
    ctx.userId,
    null,
    null,
  );
  if (kind === 'penalty') values.push(expired ? now.toISOString() : null, expired ? 'expired' : null);
  values.push(gramsLiteral(input));
  return copyLine(values);
}

/**
 * The subject links of a staged row, looked up by the final insert (rather than written into the stage: an UPDATE
 * would rewrite every wide staged row). A 个体工商户 without a USCC is found by its 注册号. Both libraries are looked
 * up row by row through their unique keys: a join was planned as a hash of the whole library for every chunk, a cost that
 * grows with the library (docs/performance.md#imports-and-bulk-writing).
 */
const SUBJECT_LINKS: Record<string, string> = {
  legal_person_id: `COALESCE((SELECT lp.id FROM legal_person lp WHERE lp.uscc = s.uscc),
                      CASE WHEN s.uscc IS NULL AND s.subject_category = 'soleTrader' AND s.reg_no IS NOT NULL
                      THEN (SELECT min(l2.id) FROM legal_person l2 WHERE l2.reg_no = s.reg_no) END)`,
  natural_person_id: `CASE WHEN s.subject_category = 'natural'
                        THEN (SELECT np.id FROM natural_person np WHERE np.doc_type = s.doc_type AND np.doc_number = s.doc_number) END`,
};

/** Masks document numbers before they reach the audit log. */
const AUDIT_HIDDEN = new Set(['doc_number', 'legal_rep_doc_number']);

/**
 * Rows per chunk. Each chunk is staged and stored with the set-based statements below while the next one is read and
 * validated, so parsing in Node and writing in PostgreSQL overlap instead of taking turns (2 cores: one each).
 * Smaller chunks overlap more but repeat the dozen statements more often; larger ones hold more COPY text at a time
 * (sizes and timings in docs/performance.md#imports-and-bulk-writing).
 */
export const CHUNK_ROWS = 10_000;
const YIELD_EVERY = 100;

export async function writeRecords(
  client: pg.PoolClient | pg.Client,
  kind: RecordKind,
  rows: AsyncIterable<StagedRow> | Iterable<StagedRow>,
  ctx: WriteContext,
  opts: {
    auditAction: string;
    username: string | null;
    ip: string | null;
    shouldApply?: () => boolean;
    /** false: leave `ids` empty. A batch does not need them, and returning 100,000 rows costs time and memory. */
    returnIds?: boolean;
    /** rows per chunk; CHUNK_ROWS unless a test wants several chunks of a few rows */
    chunkRows?: number;
  },
): Promise<WriteResult> {
  const table = kind;
  const cols = recordColumns(kind);
  const stage = `stage_${kind}`;
  const keys = `stage_${kind}_keys`;
  const stageCols = ['row_no', ...cols, ...extraColumns(kind), 'subject_grams'];
  // Same column types as the real table, no constraints; dropped at commit. subject_grams: the name grams of
  // the subject, in case it is new to the legal-person library. The stage holds one chunk; the keys table every
  // row's (机关代码, 文书号), for the check for repeats within the whole batch.
  await client.query(
    `CREATE TEMP TABLE ${stage} ON COMMIT DROP AS SELECT 0::int AS row_no, ${[...cols, ...extraColumns(kind)].join(', ')}, NULL::text[] AS subject_grams FROM ${table} WITH NO DATA`,
  );
  await client.query(`CREATE TEMP TABLE ${keys} ON COMMIT DROP AS SELECT 0::int AS row_no, authority_code, document_no FROM ${table} WITH NO DATA`);

  const now = new Date();
  const today = beijingToday(now);
  const chunkRows = opts.chunkRows ?? CHUNK_ROWS;
  const problems: RowProblem[] = [];
  const ids = new Map<string, SavedId>();
  let inserted = 0;
  let updated = 0;
  let unchanged = 0;
  // Once a row is refused nothing more is stored (the caller rolls back); later chunks are still checked, so that
  // every refused row is reported.
  let storing = true;
  const store = (text: CopyChunk, count: number) =>
    writeChunk(client, kind, text, ctx, opts, { stage, keys, stageCols, cols, now, storing: () => storing && (!opts.shouldApply || opts.shouldApply()) }).then(
      (r) => {
        problems.push(...r.problems);
        if (!r.stored) {
          storing = false;
          return;
        }
        unchanged += r.unchanged;
        if (r.ids) {
          for (const [k, v] of r.ids) {
            ids.set(k, v);
            if (v.inserted) inserted++;
            else if (!v.unchanged) updated++;
          }
        } else {
          inserted += count - r.repeats - r.unchanged;
          updated += r.repeats;
        }
      },
    );

  // Lines go into reused 64 KiB slabs (CopySlabs): one socket write per line made the COPY cost several times the
  // SQL, and with fresh buffers for every chunk the sent chunks piled up until a full collection
  // (docs/performance.md#imports-and-bulk-writing).
  const slabs = new CopySlabs();
  let pending: Promise<void> = Promise.resolve();
  let chunk = slabs.chunk();
  let count = 0;
  try {
    for await (const r of rows as AsyncIterable<StagedRow>) {
      const l = line(kind, r, ctx, now, today);
      if (typeof l !== 'string') {
        // Refused here (a 公示截止期 outside its tier's window): reported with the others, nothing more is stored.
        if (problems.length < 1000) problems.push(l);
        storing = false;
        continue;
      }
      chunk.add(l);
      count++;
      // Rows arrive in long synchronous runs (a read of the file is ~100 rows); without a turn of the event loop
      // now and then, the replies to the chunk being stored would wait for the run to end, and PostgreSQL with them.
      if (count % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      if (count === chunkRows) {
        await pending;
        pending = store(chunk, count);
        // Awaited before the next chunk or at the end; marked handled so a failure meanwhile is not "unhandled".
        pending.catch(() => {});
        chunk = slabs.chunk();
        count = 0;
      }
    }
  } finally {
    // Never leave a chunk's statements running: the caller's ROLLBACK must come after the last of them, or a
    // statement queued behind it would run outside the transaction.
    await pending.catch(() => {});
  }
  await pending;
  if (count > 0) await store(chunk, count);

  // A 文书号 twice in the batch: the later rows are refused (and the earlier row may have been updated by them,
  // which the caller's rollback undoes).
  const dup = await client.query<{ row_no: number; first: number; document_no: string }>(
    `SELECT row_no, first, document_no FROM (
       SELECT row_no, document_no, min(row_no) OVER (PARTITION BY authority_code, document_no) AS first FROM ${keys}
     ) d WHERE row_no <> first ORDER BY row_no LIMIT 1000`,
  );
  for (const d of dup.rows)
    problems.push({ row: d.row_no, column: '文书号', message: `文书号“${d.document_no}”与第 ${d.first} 行重复（同一机关的同一文书号只能报送一次）` });
  if (problems.length) return { inserted: 0, updated: 0, unchanged: 0, problems: problems.sort((a, b) => a.row - b.row), ids: new Map() };
  if (!storing) return { inserted: 0, updated: 0, unchanged: 0, problems: [], ids: new Map() };
  return { inserted, updated, unchanged, problems, ids };
}

/** One chunk: staged, checked against the records already stored, then stored with its subjects linked. */
async function writeChunk(
  client: pg.PoolClient | pg.Client,
  kind: RecordKind,
  text: CopyChunk,
  ctx: WriteContext,
  opts: { auditAction: string; username: string | null; ip: string | null; returnIds?: boolean },
  run: { stage: string; keys: string; stageCols: string[]; cols: string[]; now: Date; storing: () => boolean },
): Promise<{ stored: boolean; problems: RowProblem[]; repeats: number; unchanged: number; ids: Map<string, SavedId> | null }> {
  const { stage, keys, cols } = run;
  const table = kind;
  await client.query(`TRUNCATE ${stage}`);
  await pipeline(Readable.from(text.buffers()), client.query(copyFrom(`COPY ${stage} (${run.stageCols.join(', ')}) FROM STDIN`)));
  // The chunk's text is not needed any more: its slabs take the chunk after next.
  text.release();
  await client.query(`INSERT INTO ${keys} SELECT row_no, authority_code, document_no FROM ${stage}`);
  // The rows that repeat a stored record, in one probe of the (机关代码, 文书号) key: another department's record or a
  // withdrawn one refuses the row; otherwise the repeat corrects the record, and the old values of every changed
  // column go to the audit log. A repeat with no changed column is left alone: not rewritten, not audited, counted
  // as unchanged. (A repaired penalty keeps its early public_until, so that column is no change for it. Exports send
  // the applied 公示截止期 as CF_GSJZQ, so one that repeats the applied date of a record reported without one is no
  // change either: a re-imported export changes nothing.)
  const differs = (c: string): string =>
    c === 'public_until'
      ? `t.repaired_at IS NULL AND t.${c} IS DISTINCT FROM s.${c}`
      : c === 'publicity_end_date'
        ? `t.${c} IS DISTINCT FROM s.${c} AND NOT (t.${c} IS NULL AND s.${c} = t.public_until)`
        : `t.${c} IS DISTINCT FROM s.${c}`;
  const diff = cols
    .filter((c) => c !== 'authority_code' && c !== 'document_no')
    .map((c) =>
      AUDIT_HIDDEN.has(c)
        ? `CASE WHEN ${differs(c)} THEN jsonb_build_object('${c}', '（已变更，不记录）') ELSE '{}'::jsonb END`
        : `CASE WHEN ${differs(c)} THEN jsonb_build_object('${c}', jsonb_build_array(t.${c}, s.${c})) ELSE '{}'::jsonb END`,
    )
    .join(' || ');
  const repeats = await client.query<{
    row_no: number;
    id: number;
    document_no: string;
    department: string | null;
    withdrawn: boolean;
    refused: boolean;
    changes: Record<string, unknown> | null;
  }>(
    `SELECT s.row_no, t.id, t.document_no, t.withdrawn_at IS NOT NULL AS withdrawn,
            (t.department_id <> s.department_id OR t.withdrawn_at IS NOT NULL) AS refused,
            CASE WHEN t.department_id <> s.department_id THEN (SELECT d.name FROM department d WHERE d.id = t.department_id) END AS department,
            CASE WHEN t.department_id = s.department_id AND t.withdrawn_at IS NULL THEN ${diff} END AS changes
       FROM ${stage} s JOIN ${table} t USING (authority_code, document_no)
      ORDER BY s.row_no`,
  );
  const problems: RowProblem[] = [];
  for (const c of repeats.rows) {
    if (!c.refused || problems.length >= 1000) continue;
    problems.push({
      row: c.row_no,
      column: '文书号',
      message: c.withdrawn
        ? `文书号“${c.document_no}”的记录已撤回，不能再次报送；如需恢复请联系信用办`
        : `文书号“${c.document_no}”已由${c.department ?? '其他部门'}报送，不能覆盖其他部门的记录`,
    });
  }
  // A batch validated while it streamed in may have found bad rows, or an earlier chunk refused ones: then nothing
  // more is stored (the caller rolls back).
  if (problems.length || !run.storing()) return { stored: false, problems, repeats: 0, unchanged: 0, ids: null };
  // Subject libraries: find or create each subject; the insert below links the records to them.
  await client.query(`
    INSERT INTO legal_person (uscc, name, legal_representative, subject_type, county_id, org_code, reg_no, name_grams, updated_at)
    SELECT DISTINCT ON (uscc) uscc, subject_name, legal_representative,
           CASE WHEN subject_category = 'soleTrader' THEN 'soleTrader' ELSE 'organisation' END::"SubjectType",
           county_id, CASE WHEN length(org_code) = 9 THEN org_code END, CASE WHEN length(reg_no) = 15 THEN reg_no END, subject_grams, now()
      FROM ${stage} WHERE uscc IS NOT NULL ORDER BY uscc, row_no DESC
    ON CONFLICT (uscc) DO NOTHING`);
  await client.query(`
    INSERT INTO legal_person (uscc, name, legal_representative, subject_type, county_id, reg_no, name_grams, updated_at)
    SELECT DISTINCT ON (reg_no) NULL, subject_name, legal_representative, 'soleTrader', county_id, reg_no, subject_grams, now()
      FROM ${stage} s
     WHERE s.subject_category = 'soleTrader' AND s.uscc IS NULL AND s.reg_no IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM legal_person lp WHERE lp.reg_no = s.reg_no)
     ORDER BY reg_no, row_no DESC`);
  await client.query(`
    INSERT INTO natural_person (doc_type, doc_number, name, updated_at)
    SELECT DISTINCT ON (doc_type, doc_number) doc_type, doc_number, subject_name, now()
      FROM ${stage} WHERE subject_category = 'natural' AND doc_type IS NOT NULL AND doc_number IS NOT NULL
     ORDER BY doc_type, doc_number, row_no DESC
    ON CONFLICT (doc_type, doc_number) DO NOTHING`);

  // Names the public columns' keyword has not seen yet.
  await client.query(`
    INSERT INTO record_name (name, grams)
    SELECT DISTINCT ON (subject_name) subject_name, subject_grams FROM ${stage} s
     WHERE NOT EXISTS (SELECT 1 FROM record_name r WHERE r.name = s.subject_name)
     ORDER BY subject_name
    ON CONFLICT (name) DO NOTHING`);

  const isUnchanged = (r: { changes: Record<string, unknown> | null }): boolean => r.changes !== null && Object.keys(r.changes).length === 0;
  const same = repeats.rows.filter(isUnchanged);
  const changes = repeats.rows.filter((r) => r.changes !== null && !isUnchanged(r));
  if (changes.length) {
    const auditRows = changes.map((r) =>
      copyLine([
        opts.auditAction,
        ctx.userId,
        opts.username,
        table,
        String(r.id),
        opts.ip,
        redact(JSON.stringify({ documentNo: r.document_no, repeat: true, importId: ctx.importId, changes: r.changes })),
      ]),
    );
    await pipeline(
      Readable.from(auditRows),
      client.query(copyFrom(`COPY audit_log (action, user_id, username, target_type, target_id, ip, detail) FROM STDIN`)),
    );
  }

  const insertCols = [...cols, ...extraColumns(kind)];
  // A penalty whose publicity ended early by 信用修复 keeps that end, and its left state, when it is corrected later.
  // A penalty that had already left keeps the day it left while it stays out.
  const KEEP_IF_REPAIRED = new Set(['public_until', 'is_public', 'left_reason']);
  const updates = insertCols
    .filter((c) => !KEEP_ON_UPDATE.has(c))
    .map((c) =>
      kind === 'penalty' && c === 'left_publication_at'
        ? `${c} = CASE WHEN ${table}.repaired_at IS NOT NULL THEN ${table}.${c} WHEN EXCLUDED.left_reason IS NULL THEN NULL ELSE COALESCE(${table}.${c}, EXCLUDED.${c}) END`
        : kind === 'penalty' && c === 'is_public'
          ? // An archived penalty (条例 Art. 19/44) is never disclosed again, whatever a correction says.
            `${c} = CASE WHEN ${table}.archived_at IS NOT NULL THEN false WHEN ${table}.repaired_at IS NULL THEN EXCLUDED.${c} ELSE ${table}.${c} END`
          : kind === 'penalty' && KEEP_IF_REPAIRED.has(c)
            ? `${c} = CASE WHEN ${table}.repaired_at IS NULL THEN EXCLUDED.${c} ELSE ${table}.${c} END`
            : `${c} = EXCLUDED.${c}`,
    );
  const returnIds = opts.returnIds ?? true;
  const result = await client.query<{ id: number; authority_code: string; document_no: string; inserted: boolean }>(
    `INSERT INTO ${table} (${insertCols.join(', ')}, published_at, updated_at)
     SELECT ${insertCols.map((c) => SUBJECT_LINKS[c] ?? `s.${c}`).join(', ')}, CASE WHEN s.is_public THEN s.reported_at END, now()
       FROM ${stage} s
      ${same.length ? 'WHERE s.row_no <> ALL($1::int[])' : ''}
      ORDER BY s.row_no
     ON CONFLICT (authority_code, document_no) DO UPDATE SET ${updates.join(', ')}, updated_at = now(),
        published_at = COALESCE(${table}.published_at, EXCLUDED.published_at)
     ${returnIds ? 'RETURNING id, authority_code, document_no, (xmax = 0) AS inserted' : ''}`,
    same.length ? [same.map((r) => r.row_no)] : [],
  );
  // Without ids: within this transaction the rows that already existed are exactly the ones the change comparison joined.
  if (!returnIds) return { stored: true, problems, repeats: changes.length, unchanged: same.length, ids: null };
  const ids = new Map<string, SavedId>(result.rows.map((r) => [`${r.authority_code}\u0000${r.document_no}`, { id: r.id, inserted: r.inserted }]));
  if (same.length) {
    const keyOf = await client.query<{ row_no: number; authority_code: string; document_no: string }>(
      `SELECT row_no, authority_code, document_no FROM ${stage} WHERE row_no = ANY($1::int[])`,
      [same.map((r) => r.row_no)],
    );
    const idOf = new Map(same.map((r) => [r.row_no, r.id]));
    for (const k of keyOf.rows) ids.set(`${k.authority_code}\u0000${k.document_no}`, { id: idOf.get(k.row_no)!, inserted: false, unchanged: true });
  }
  return { stored: true, problems, repeats: 0, unchanged: same.length, ids };
}

/** What saveOne reports: the saved record, or the rows the database-level rules refused (nothing written). */
export type SaveOneResult = { ok: true; saved: SavedId } | { ok: false; problems: RowProblem[] };

/** A record's key in a batch: (机关代码, 文书号). */
export interface RecordKey {
  authorityCode: string;
  documentNo: string;
}

/**
 * 条例 Art. 42 through a batch import: rows whose national-template state says the decision no longer stands
 * (当前状态 无效, the 2015 撤销) revoke the stored record exactly as the back-office 登记撤销 does — withdrawn, out
 * of publication, with the day the update reached the platform (`knownOn`, the import's day) and the 1-working-day
 * due date — in the import's own transaction, so the record never shows as an ordinary update. The template
 * carries neither the revocation date nor the revoking document: the day is the import's and the document number
 * stays empty (the reason says where it came from) and `import_id` names the import, which is how its result page
 * counts them (a revocation from the form always has a document number). Only records not yet withdrawn; returns
 * those revoked.
 */
export async function revokeImported(
  client: pg.PoolClient | pg.Client,
  kind: RecordKind,
  keys: readonly RecordKey[],
  r: { knownOn: string; dueBy: string; reason: string; importId: number },
): Promise<{ id: number; documentNo: string }[]> {
  if (!keys.length) return [];
  const res = await client.query<{ id: number; document_no: string }>(
    `UPDATE ${kind} t
        SET withdrawn_at = now(), withdraw_reason = $3, is_public = false,
            revoked_on = $4::date, revocation_doc_no = NULL, revocation_known_on = $4::date, revocation_due_by = $5::date,
            import_id = $6, updated_at = now()
       FROM unnest($1::text[], $2::text[]) AS k(authority_code, document_no)
      WHERE t.authority_code = k.authority_code AND t.document_no = k.document_no AND t.withdrawn_at IS NULL
      RETURNING t.id, t.document_no`,
    [keys.map((k) => k.authorityCode), keys.map((k) => k.documentNo), r.reason, r.knownOn, r.dueBy, r.importId],
  );
  return res.rows.map((row) => ({ id: row.id, documentNo: row.document_no }));
}

/**
 * One record from the form, in its own transaction on the bulk pool: writeRecords (as a batch would), and for a new
 * record its `<kind>.create` audit line in the same transaction, so a record never exists without its trace.
 */
export class RecordWriter {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * A published penalty whose public_until has passed (Beijing's today) stops being public and records when and why —
   * 'repaired' when a repair ended it early, else 'expired'. The public reads also filter on public_until, so nothing is
   * shown meanwhile; this makes the record itself say it left. Ordered by public_until so the scan is the front of
   * penalty_expiry_due_idx (plans in docs/domain.md). Batches of `batch` rows, each its own short statement,
   * so a night with many expiries never holds a long lock; idempotent. updated_at is left alone: it means the record's
   * content was corrected (objections and exports read it so), and left_publication_at says this.
   */
  async expirePublicity(today: string, batch: number): Promise<number> {
    let total = 0;
    for (;;) {
      const r = await this.pool.query(
        `WITH due AS (
           SELECT id FROM penalty WHERE is_public AND public_until < $1::date ORDER BY public_until LIMIT $2 FOR UPDATE SKIP LOCKED
         )
         UPDATE penalty p
            SET is_public = false, left_publication_at = now(),
                left_reason = CASE WHEN p.repaired_at IS NOT NULL THEN 'repaired' ELSE 'expired' END
           FROM due WHERE p.id = due.id`,
        [today, batch],
      );
      total += r.rowCount ?? 0;
      if ((r.rowCount ?? 0) < batch) return total;
    }
  }

  /**
   * 条例 Art. 19: a penalty decided more than 5 years ago (archiveDue in domain/publicity/disclosure.ts) is archived —
   * never disclosed again, kept in the back office — unless its subject is on a black list in force (the same "in
   * force" as platform/database/in-force.ts). Its publicity ended long before (public_until is capped at 5 years), so
   * the public reads already agree before this runs; this makes the record say so and takes it out of every other use
   * (credit checks, nominations). The partial index penalty_archive_due_idx serves the decision_date range; the
   * exact month arithmetic is rechecked. Ordered by decision date so the planner walks that index from its oldest
   * entry (the rows due) instead of guessing the share of due rows from independent column statistics (it would scan
   * the table; plans in docs/domain.md). Batches as in expirePublicity; idempotent.
   */
  async archiveExpired(today: string, scanBound: string, batch: number): Promise<number> {
    let total = 0;
    for (;;) {
      const r = await this.pool.query(
        `WITH due AS (
           SELECT p.id FROM penalty p
            WHERE p.archived_at IS NULL AND p.decision_date <= $2::date
              AND (p.decision_date + interval '60 months')::date < $1::date
              AND NOT EXISTS (
                SELECT 1 FROM list_entry e JOIN list_issue i ON i.id = e.issue_id
                 WHERE e.list_type = 'black' AND e.exited_at IS NULL AND e.valid_until >= $1::date AND i.published_at IS NOT NULL
                   AND (e.legal_person_id = p.legal_person_id OR e.natural_person_id = p.natural_person_id))
            ORDER BY p.decision_date LIMIT $3 FOR UPDATE OF p SKIP LOCKED
         )
         UPDATE penalty p
            SET archived_at = now(), archive_reason = 'five_years', is_public = false,
                left_publication_at = CASE WHEN p.is_public THEN now() ELSE p.left_publication_at END,
                left_reason = CASE WHEN p.is_public THEN 'expired' ELSE p.left_reason END
           FROM due WHERE p.id = due.id`,
        [today, scanBound, batch],
      );
      total += r.rowCount ?? 0;
      if ((r.rowCount ?? 0) < batch) return total;
    }
  }

  async saveOne(kind: RecordKind, input: RecordInput, ctx: WriteContext, who: { userId: number; username: string; ip: string | null }): Promise<SaveOneResult> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await writeRecords(client, kind, [{ rowNo: 1, input }], ctx, { auditAction: `${kind}.update`, username: who.username, ip: who.ip });
      if (result.problems.length) {
        await client.query('ROLLBACK');
        return { ok: false, problems: result.problems };
      }
      const saved = [...result.ids.values()][0]!;
      if (saved.inserted) {
        await client.query(`INSERT INTO audit_log (action, user_id, username, target_type, target_id, ip, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
          `${kind}.create`,
          who.userId,
          who.username,
          kind,
          String(saved.id),
          who.ip,
          // A department's own tier is a decision against the credit office's rules: the log keeps it and its reason.
          JSON.stringify({
            documentNo: input.documentNo,
            ...(kind === 'penalty' && (input as PenaltyInput).tier
              ? { tier: (input as PenaltyInput).tier, tierReason: (input as PenaltyInput).tierReason }
              : {}),
          }),
        ]);
      }
      await client.query('COMMIT');
      return { ok: true, saved };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }
}
