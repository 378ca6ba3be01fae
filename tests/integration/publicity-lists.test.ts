import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom, seedUsers, signIn, type TestApp } from '../helpers/app.js';
import { rawRecord } from '../helpers/records.js';
import { addDays, beijingToday } from '../../src/domain/dates.js';
import { COUNT_CAP, PublicityRepository, type PublicFilter } from '../../src/features/publicity/repository.js';
import { NARROW_SEARCH, PUBLIC_MAX_PAGES } from '../../src/platform/params.js';
import type { RecordKind } from '../../src/domain/publicity/fields.js';

/**
 * The public 双公示 lists on a small generated dataset: the page-depth rule, the capped count, and every filter
 * combination (keyword, department, county, category, dates, page) returning exactly the rows of a plain reference
 * query, through each of the list's plans (name first, the date walk with LIKE, a common fragment counted by name).
 */

let t: TestApp;
let today: string;
const depts: number[] = [];
const counties: number[] = [];
/** Trade names cut into the subject names, so that fragments match one, a few or many names. */
const TRADES = ['华兴', '华盛', '兴隆', '隆昌', '昌盛', '盛达', '达通', '通宇'];
const SUFFIXES = ['食品有限公司', '商贸有限公司', '机械厂'];
const PLACES = ['新乡市', '卫辉市', '长垣市'];
const NAMES = PLACES.flatMap((p) => TRADES.flatMap((tr) => SUFFIXES.map((s) => `${p}${tr}${s}`)));
const CATEGORIES = ['legal', 'natural', 'soleTrader'] as const;
const PUBLIC_PENALTIES = 1_150;

beforeAll(async () => {
  t = await createTestApp();
  today = beijingToday();
  const seeded = await seedUsers(t.deps);
  depts.push(seeded.departmentId, seeded.otherDepartmentId);
  for (const [i, name] of ['红旗区', '卫滨区', '凤泉区'].entries()) {
    counties.push((await t.deps.db.county.create({ data: { code: `41070${i + 2}`, name, kind: 'district', sortOrder: i + 10 } })).id);
  }
  const clerk = await signIn(t.app, 't-clerk');
  const token = csrfFrom((await clerk.get('/admin/penalties/new')).text);
  for (const kind of ['penalty', 'permit'] as const) {
    const res = await clerk
      .post(`/admin/${kind === 'permit' ? 'permits' : 'penalties'}`)
      .type('form')
      .send({ ...rawRecord(kind), _csrf: token });
    expect(res.status).toBe(303);
  }
  // Clones of the two reported records with every listed column varied deterministically; some not public, some
  // past their publicity period, several on the same day so that the id decides the order.
  for (const kind of ['penalty', 'permit'] as const) {
    const columns = (
      await t.deps.db.$queryRawUnsafe<{ c: string }[]>(
        `SELECT column_name AS c FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '${kind}' AND column_name <> 'id' AND is_generated = 'NEVER'`,
      )
    ).map((r) => r.c);
    const names = `ARRAY[${NAMES.map((n) => `'${n}'`).join(',')}]`;
    const over: Record<string, string> = {
      document_no: `t.document_no || '-' || g`,
      subject_name: `(${names})[1 + (g * 7 + g / 13) % ${NAMES.length}]`,
      subject_category: `(ARRAY['legal','natural','soleTrader'])[1 + g % 3]::"SubjectCategory"`,
      department_id: `(ARRAY[${depts.join(',')}])[1 + g % 2]`,
      county_id: `CASE WHEN g % 4 = 3 THEN NULL ELSE (ARRAY[${counties.join(',')}])[1 + g % 3] END`,
      decision_date: `'${today}'::date - (g * 37 % 500)`,
      is_public: `g % 17 <> 0`,
      ...(kind === 'penalty' ? { public_until: `'${today}'::date + (CASE WHEN g % 11 = 0 THEN -1 ELSE 30 END)` } : {}),
    };
    const select = columns.map((c) => over[c] ?? `t.${c}`).join(', ');
    await t.deps.db.$executeRawUnsafe(
      `INSERT INTO ${kind} (${columns.join(', ')}) SELECT ${select} FROM ${kind} t, generate_series(1, ${kind === 'penalty' ? 1400 : 300}) g`,
    );
  }
  await t.deps.db.$executeRawUnsafe(`INSERT INTO record_name (name, grams) SELECT n, xx_name_grams(n) FROM unnest($1::text[]) n ON CONFLICT DO NOTHING`, NAMES);
  await t.deps.db.$executeRawUnsafe('ANALYZE penalty; ANALYZE permit; ANALYZE record_name');
}, 120_000);
afterAll(async () => t.close());

/** The list as a plain query would give it: every condition spelled out, no plan chosen. */
async function reference(kind: RecordKind, f: PublicFilter, page: number): Promise<{ ids: number[]; total: number }> {
  const and = [kind === 'penalty' ? `is_public AND public_until >= '${today}'` : 'is_public'];
  const params: unknown[] = [];
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (f.q) and.push(`strpos(lower(subject_name), lower(${param(f.q)})) > 0`);
  if (f.dept) and.push(`department_id = ${param(f.dept)}`);
  if (f.county) and.push(`county_id = ${param(f.county)}`);
  if (f.category) and.push(`subject_category::text = ${param(f.category)}`);
  if (f.from) and.push(`decision_date >= ${param(f.from)}::date`);
  if (f.to) and.push(`decision_date <= ${param(f.to)}::date`);
  const rows = await t.deps.db.$queryRawUnsafe<{ id: number }[]>(
    `SELECT id FROM ${kind} WHERE ${and.join(' AND ')} ORDER BY decision_date DESC, id DESC`,
    ...params,
  );
  return { ids: rows.slice((page - 1) * 20, page * 20).map((r) => r.id), total: rows.length };
}

const filterArb = fc.record(
  {
    q: fc.oneof(
      fc.constantFrom(...TRADES, ...SUFFIXES, '有限', '市华', '华', '新乡市华兴', '没有的名'),
      fc.constantFrom(...NAMES).chain((n) => fc.integer({ min: 0, max: n.length - 2 }).map((at) => n.slice(at, at + 2))),
    ),
    dept: fc.constantFrom(0, 1).map((i) => depts[i]!),
    county: fc.constantFrom(0, 1, 2).map((i) => counties[i]!),
    category: fc.constantFrom(...CATEGORIES),
    from: fc.integer({ min: 0, max: 520 }).map((d) => addDays(beijingToday(), -d)),
    to: fc.integer({ min: 0, max: 520 }).map((d) => addDays(beijingToday(), -d)),
  },
  { requiredKeys: [] },
);

describe('public 双公示 lists', () => {
  it('count up to 1,000 ("1000+"), offer at most 50 pages with a hint to narrow the filter, and answer a deeper page with 400', async () => {
    const first = await request(t.app).get('/publicity/penalties');
    expect(first.status).toBe(200);
    expect(first.text).toMatch(/共 1,000\+ 条/);
    expect(first.text).toContain('请缩小筛选范围');
    expect(first.text).toContain(`page=${PUBLIC_MAX_PAGES}"`);
    expect(first.text).not.toContain(`page=${PUBLIC_MAX_PAGES + 1}"`);
    const deepest = await request(t.app).get(`/publicity/penalties?page=${PUBLIC_MAX_PAGES}`);
    expect(deepest.status).toBe(200);
    expect(deepest.text).not.toContain('rel="next"');
    const beyond = await request(t.app).get(`/publicity/penalties?page=${PUBLIC_MAX_PAGES + 1}`);
    expect(beyond.status).toBe(400);
    expect(beyond.text).toContain(NARROW_SEARCH);
    expect((await request(t.app).get('/publicity/penalties?page=9999999999')).status).toBe(400);
    expect((await request(t.app).get('/publicity/penalties?page=2abc')).text).toContain('页码应为正整数');
    // Fewer than the cap: exact, no hint.
    const few = await request(t.app).get(`/publicity/penalties?q=${encodeURIComponent('华兴')}&dept=${depts[0]}`);
    expect(few.text).toMatch(/共 \d{1,3} 条/);
    expect(few.text).not.toContain('请缩小筛选范围');
  });

  it('the repository caps the count at COUNT_CAP and flags more', async () => {
    const all = await t.deps.publicityRepo.publicPage('penalty', {}, today, 1, 20);
    expect(all.total).toBe(COUNT_CAP);
    expect(all.more).toBe(true);
    expect((await reference('penalty', {}, 1)).total).toBeGreaterThan(COUNT_CAP);
    expect((await reference('penalty', {}, 1)).total).toBeLessThan(PUBLIC_PENALTIES + 200);
  });

  // The same filters through each plan: names listed (name first), no name lookup (LIKE while walking the date
  // index), and a lookup that finds every fragment too common to list (counted name by name when alone).
  const plans = {
    'name first': () => t.deps.publicityRepo,
    'date walk with LIKE': () => new PublicityRepository(t.deps.db),
    'common fragment': () =>
      new PublicityRepository(
        t.deps.db,
        async () => null,
        (kind, match, day, cap) => t.deps.search.publicRecordCount(kind, match, day, cap),
      ),
  };
  for (const [plan, repo] of Object.entries(plans)) {
    it(`returns the rows and count of a reference query for random filter combinations (${plan})`, async () => {
      await fc.assert(
        fc.asyncProperty(
          filterArb,
          fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: PUBLIC_MAX_PAGES })),
          fc.constantFrom<RecordKind>('penalty', 'permit'),
          async (f, page, kind) => {
            const filter: PublicFilter = f.from && f.to && f.from > f.to ? { ...f, from: f.to, to: f.from } : f;
            const got = await repo().publicPage(kind, filter, today, page, 20);
            const want = await reference(kind, filter, page);
            expect(got.rows.map((r) => r.id)).toEqual(want.ids);
            expect(got.total).toBe(Math.min(want.total, COUNT_CAP));
            expect(got.more).toBe(want.total > COUNT_CAP);
          },
        ),
        { numRuns: 60 },
      );
    }, 120_000);
  }
});
