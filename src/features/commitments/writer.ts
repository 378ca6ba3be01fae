import type pg from 'pg';
import type { CommitmentInput } from './schemas.js';

/**
 * Writes validated commitments, one from the form or a whole batch from the import, through one path, so
 * 承诺编码 (region 6 + date 8 + serial 6) is handed out in one place. The serial is the day's next number in
 * the region, taken under a transaction-scoped advisory lock on the code prefix: a batch and a concurrent
 * single entry of the same region and day queue for the lock instead of computing the same code. The caller
 * owns the transaction (BEGIN … COMMIT/ROLLBACK); the lock is released with it.
 */

export interface CommitmentRow {
  rowNo: number;
  input: CommitmentInput;
}

export interface CommitmentContext {
  departmentId: number;
  /** 6-digit region of the accepting department (its county, or the city 410700). */
  region: string;
  /** YYYY-MM-DD, Beijing time. */
  today: string;
  userId: number;
  importId: number | null;
}

export interface CommitmentWriteResult {
  inserted: number;
  /** [id, 承诺编码] in row order. */
  created: { id: number; code: string }[];
}

const CHUNK = 1000;
const MAX_SERIAL = 999_999;

export class SerialExhaustedError extends Error {
  override readonly name = 'SerialExhaustedError';
}

export async function writeCommitments(
  client: pg.PoolClient | pg.Client,
  rows: AsyncIterable<CommitmentRow> | Iterable<CommitmentRow>,
  ctx: CommitmentContext,
  opts: { shouldApply?: () => boolean } = {},
): Promise<CommitmentWriteResult> {
  const prefix = `${ctx.region}${ctx.today.replace(/-/g, '')}`;
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`commitment-code:${prefix}`]);
  // A range, not LIKE: it uses commitment_code_key under any collation (codes are all digits).
  const last = await client.query<{ code: string | null }>(`SELECT max(code) AS code FROM commitment WHERE code BETWEEN $1 || '000000' AND $1 || '999999'`, [
    prefix,
  ]);
  let serial = last.rows[0]?.code ? Number(last.rows[0].code.slice(14)) : 0;
  const result: CommitmentWriteResult = { inserted: 0, created: [] };
  let chunk: CommitmentRow[] = [];

  const flush = async () => {
    if (chunk.length === 0 || (opts.shouldApply && !opts.shouldApply())) {
      chunk = [];
      return;
    }
    if (serial + chunk.length > MAX_SERIAL) throw new SerialExhaustedError(`承诺编码 ${prefix} 当日序号已用完`);
    const codes = chunk.map(() => `${prefix}${String(++serial).padStart(6, '0')}`);
    const col = <T>(f: (i: CommitmentInput) => T) => chunk.map((r) => f(r.input));
    // Organisations and sole traders are linked to (or added to) the legal-person library by USCC.
    await client.query(
      `INSERT INTO legal_person (uscc, name, subject_type, updated_at)
       SELECT DISTINCT ON (uscc) uscc, name, kind::"SubjectType", now() FROM unnest($1::text[], $2::text[], $3::text[]) AS t(uscc, name, kind)
        WHERE kind <> 'natural'
       ON CONFLICT (uscc) DO NOTHING`,
      [
        col((i) => i.promisorCode),
        col((i) => i.promisorName),
        col((i) => (i.promisorCategory === 'natural' ? 'natural' : i.promisorCategory === 'soleTrader' ? 'soleTrader' : 'organisation')),
      ],
    );
    const inserted = await client.query<{ id: number; code: string }>(
      `INSERT INTO commitment (code, promisor_name, promisor_category, promisor_code, commitment_type, matter, content, liability, made_on, valid_until,
                               fulfilment, unfulfilled_content, liability_pursued, disclosure, remark, department_id, created_by_id, import_id, legal_person_id, updated_at,
                               breached_on)
       SELECT t.code, t.name, t.category::"SubjectCategory", t.promisor_code, t.type, t.matter, t.content, t.liability, t.made_on::date, t.valid_until::date,
              t.fulfilment, t.unfulfilled, t.pursued, t.disclosure, t.remark, $16, $17, $18,
              CASE WHEN t.category <> 'natural' THEN (SELECT lp.id FROM legal_person lp WHERE lp.uscc = t.promisor_code) END, now(),
              -- 条例 Art. 19: a breach reported with the commitment is established the day it reaches the platform.
              CASE WHEN t.fulfilment IN ('部分履行', '全部未履行') THEN $19::date END
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
                     $11::text[], $12::text[], $13::text[], $14::text[], $15::text[])
           AS t(code, name, category, promisor_code, type, matter, content, liability, made_on, valid_until, fulfilment, unfulfilled, pursued, disclosure, remark)
       RETURNING id, code`,
      [
        codes,
        col((i) => i.promisorName),
        col((i) => i.promisorCategory),
        col((i) => i.promisorCode),
        col((i) => i.commitmentType),
        col((i) => i.matter),
        col((i) => i.content),
        col((i) => i.liability),
        col((i) => i.madeOn),
        col((i) => i.validUntil),
        col((i) => i.fulfilment),
        col((i) => i.unfulfilledContent),
        col((i) => i.liabilityPursued),
        col((i) => i.disclosure),
        col((i) => i.remark),
        ctx.departmentId,
        ctx.userId,
        ctx.importId,
        ctx.today,
      ],
    );
    const byCode = new Map(inserted.rows.map((r) => [r.code, r.id]));
    for (const code of codes) result.created.push({ id: byCode.get(code)!, code });
    result.inserted += inserted.rowCount ?? 0;
    chunk = [];
  };

  for await (const r of rows) {
    chunk.push(r);
    if (chunk.length >= CHUNK) await flush();
  }
  await flush();
  return result;
}

/** The single entry from the form: its own transaction on the bulk pool, through the same writeCommitments as a batch. */
export class CommitmentWriter {
  constructor(private readonly pool: pg.Pool) {}

  async writeOne(input: CommitmentInput, ctx: CommitmentContext): Promise<{ id: number; code: string }> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { created } = await writeCommitments(client, [{ rowNo: 1, input }], ctx);
      await client.query('COMMIT');
      return created[0]!;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }
}
