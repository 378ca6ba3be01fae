import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordSchema } from '../../src/domain/publicity/schemas.js';
import { isoDay } from '../../src/domain/dates.js';
import { createTestApp, seedUsers, sessionUser, type TestApp } from '../helpers/app.js';
import { COMPANY_USCC, rawRecord } from '../helpers/records.js';
import { day } from '../helpers/dates.js';

/**
 * Issue #17: "what was public on day D" equals what the portal showed on D. Random histories of three penalties of one
 * subject run over the next days; each day's changes are written in a transaction on that day's clock
 * (app.publication_day, the trigger's day), with the nightly expiry job run or skipped at random, and the credit
 * check's own read for that day (CreditCheckRepository.seriousPenalties with today = D) is recorded. After the whole
 * history — later changes included — the as-of answer for every day must equal the recorded view, 异议处理中 included
 * (objections filed, forwarded and settled on those days).
 */

let t: TestApp;
let seeded: Awaited<ReturnType<typeof seedUsers>>;
let legalPersonId = 0;
const DAYS = 6;
const OPS = ['withdraw', 'repair', 'toggleTier', 'extend', 'shorten', 'archive', 'correct', 'object', 'forward', 'settle'] as const;
const OPEN = `('submitted', 'accepted', 'answered')`;
const SETTLED = ['corrected', 'upheld', 'refused'] as const;
type Op = (typeof OPS)[number];

beforeAll(async () => {
  t = await createTestApp();
  seeded = await seedUsers(t.deps);
  legalPersonId = (await t.deps.db.legalPerson.create({ data: { uscc: COMPANY_USCC, name: '新乡市历史样本有限公司', subjectType: 'organisation' } })).id;
});
afterAll(async () => t.close());

/** Changes of one record on day `d`, as the writers, the case effects and the jobs make them. */
async function apply(client: import('pg').PoolClient, op: Op, id: number, d: string, n: number): Promise<void> {
  const sql: Record<Op, [string, unknown[]]> = {
    withdraw: [
      `UPDATE penalty SET withdrawn_at = now(), withdraw_reason = '撤回', is_public = false, updated_at = now() WHERE id = $1 AND withdrawn_at IS NULL`,
      [id],
    ],
    repair: [
      `UPDATE penalty SET repaired_at = now(), public_until = LEAST(public_until, $2::date - 1), is_public = false, left_publication_at = now(),
              left_reason = 'repaired', updated_at = now() WHERE id = $1 AND is_public AND public_until >= $2::date`,
      [id, d],
    ],
    toggleTier: [`UPDATE penalty SET tier = CASE WHEN tier = 'serious' THEN 'general'::"SeverityTier" ELSE 'serious'::"SeverityTier" END WHERE id = $1`, [id]],
    extend: [`UPDATE penalty SET public_until = public_until + $2::int WHERE id = $1`, [id, n]],
    shorten: [`UPDATE penalty SET public_until = public_until - $2::int WHERE id = $1`, [id, n]],
    archive: [`UPDATE penalty SET archived_at = now(), archive_reason = 'requested', is_public = false WHERE id = $1 AND archived_at IS NULL`, [id]],
    correct: [`UPDATE penalty SET content = content || '（更正）', updated_at = now() WHERE id = $1`, [id]],
    // 条例 Art. 41: an objection filed (one at a time, as the portal allows), forwarded, then settled
    object: [
      `INSERT INTO objection (case_no, penalty_id, document_no, department_id, subject_name, subject_code, applicant_name, phone, reason, accept_by)
       SELECT left(md5(random()::text), 24), id, document_no, department_id, subject_name, COALESCE(uscc, doc_number, ''), '张三', '13800000000', '处罚金额有误', $2::date + 3
         FROM penalty WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM objection WHERE penalty_id = $1 AND status IN ${OPEN})`,
      [id, d],
    ],
    forward: [`UPDATE objection SET status = 'accepted', office_decided_at = now() WHERE penalty_id = $1 AND status = 'submitted'`, [id]],
    settle: [
      `UPDATE objection SET status = $2::"ObjectionStatus", settled_at = now() WHERE penalty_id = $1 AND status IN ${OPEN}`,
      [id, SETTLED[n % SETTLED.length]],
    ],
  };
  const [text, params] = sql[op];
  await client.query(text, params);
}

const history = fc.record({
  penalties: fc.array(fc.record({ serious: fc.boolean(), lastDay: fc.integer({ min: 0, max: DAYS + 1 }) }), { minLength: 3, maxLength: 3 }),
  days: fc.array(
    fc.record({
      ops: fc.array(fc.record({ op: fc.constantFrom(...OPS), which: fc.integer({ min: 0, max: 2 }), n: fc.integer({ min: 1, max: 3 }) }), { maxLength: 3 }),
      jobRuns: fc.boolean(),
    }),
    { minLength: DAYS, maxLength: DAYS },
  ),
});

const ALWAYS_DISPUTED: typeof history extends fc.Arbitrary<infer T> ? T : never = {
  penalties: [0, 1, 2].map(() => ({ serious: true, lastDay: DAYS + 1 })),
  days: Array.from({ length: DAYS }, (_, k) => ({
    ops: k === 0 ? [{ op: 'object' as const, which: 0, n: 1 }] : k === 3 ? [{ op: 'settle' as const, which: 0, n: 1 }] : [],
    jobRuns: false,
  })),
};

describe('the credit check as of a day', () => {
  it('equals the view the portal showed that day, for random histories', async () => {
    // the comparisons must not all be of empty views
    let seen = 0;
    let disputed = 0;
    await fc.assert(
      fc.asyncProperty(history, async (h) => {
        const clerk = sessionUser(seeded);
        const ids: number[] = [];
        for (const p of h.penalties) {
          const saved = await t.deps.publicity.saveOne('penalty', recordSchema('penalty').parse(rawRecord('penalty')), clerk, null);
          if (!saved.ok) throw new Error('penalty not saved');
          ids.push(saved.id);
          // Day 0 (today): the tier and the last public day of this history.
          await t.deps.bulkPool.query(`UPDATE penalty SET tier = $2::"SeverityTier", public_until = $3::date WHERE id = $1`, [
            saved.id,
            p.serious ? 'serious' : 'general',
            day(p.lastDay),
          ]);
        }
        const view = async (d: string) =>
          (await t.deps.creditCheckRepo.seriousPenalties([legalPersonId], d))
            .filter((p) => idOf.has(p.documentNo))
            .map((p) => `${p.documentNo}|${isoDay(p.publicUntil)}|${p.penaltyCategories.join('、')}|${p.objections.length > 0 ? '异议处理中' : ''}`)
            .sort();
        const docs = await t.deps.db.penalty.findMany({ where: { id: { in: ids } }, select: { id: true, documentNo: true } });
        const idOf = new Map(docs.map((r) => [r.documentNo, r.id]));
        const shown = new Map<string, string[]>([[day(0), await view(day(0))]]);
        for (let k = 1; k <= DAYS; k++) {
          const d = day(k);
          const client = await t.deps.bulkPool.connect();
          try {
            await client.query('BEGIN');
            await client.query(`SELECT set_config('app.publication_day', $1, true)`, [d]);
            for (const o of h.days[k - 1]!.ops) await apply(client, o.op, ids[o.which]!, d, o.n);
            if (h.days[k - 1]!.jobRuns)
              await client.query(
                `UPDATE penalty SET is_public = false, left_publication_at = now(),
                        left_reason = CASE WHEN repaired_at IS NOT NULL THEN 'repaired' ELSE 'expired' END
                  WHERE id = ANY($1::int[]) AND is_public AND public_until < $2::date`,
                [ids, d],
              );
            await client.query('COMMIT');
          } finally {
            client.release();
          }
          shown.set(d, await view(d));
        }
        for (const [d, expected] of shown) {
          const asOf = (await t.deps.publication.seriousPenaltiesOn([legalPersonId], d))
            .filter((p) => idOf.has(p.documentNo))
            .map((p) => `${p.documentNo}|${isoDay(p.publicUntil)}|${p.penaltyCategories.join('、')}|${p.objections.length > 0 ? '异议处理中' : ''}`)
            .sort();
          expect(asOf, d).toEqual(expected);
          seen += expected.length;
          disputed += expected.filter((e) => e.endsWith('异议处理中')).length;
        }
      }),
      // Random histories file an objection on a shown penalty only now and then; this one always does, so the mark is
      // compared on every run of the suite, not only on lucky ones.
      { numRuns: Number(process.env.ASOF_RUNS ?? 10), examples: [[ALWAYS_DISPUTED]] },
    );
    expect(seen).toBeGreaterThan(0);
    // nor all without the mark (ALWAYS_DISPUTED guarantees some)
    expect(disputed).toBeGreaterThan(0);
  }, 600_000);
});
