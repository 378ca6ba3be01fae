import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createTestApp, csrfFrom, seedUsers, signIn, type TestApp } from '../helpers/app.js';
import { COMPANY_USCC, DECIDED, rawRecord } from '../helpers/records.js';
import { day, monthsFrom } from '../helpers/dates.js';
import { importFinished } from '../helpers/imports.js';
import { exportCsvHeader } from '../../src/features/imports/template.js';
import { fieldsOf, PENALTY_EXTRA_FIELDS } from '../../src/domain/publicity/fields.js';
import { DEFAULT_TIER_RULES, defaultTier, publicityPeriod } from '../../src/domain/publicity/tiers.js';
import { loadTierRules } from '../../src/features/publicity/tier-rule-repository.js';
import { applyMigrations, MIGRATIONS_DIR, readMigrations } from '../../src/platform/database/migrate.js';
import { createEmptyDatabase, type TestDatabase } from '../helpers/db.js';
import { addDays, isoDay } from '../../src/domain/dates.js';

let t: TestApp;
let clerk: Awaited<ReturnType<typeof signIn>>;
let token: string;
const made: TestDatabase[] = [];

beforeAll(async () => {
  t = await createTestApp();
  await seedUsers(t.deps);
  clerk = await signIn(t.app, 't-clerk');
  token = csrfFrom((await clerk.get('/admin/penalties/new')).text);
});
afterAll(async () => {
  await t.close();
  await Promise.all(made.map((d) => d.drop()));
});

const slash = (iso: string) => iso.replace(/-/g, '/');

async function report(over: Record<string, string> = {}) {
  return clerk
    .post('/admin/penalties')
    .type('form')
    .send({ ...rawRecord('penalty', over), _csrf: token });
}

const idFrom = (location: string | undefined): number => Number(/\/(\d+)$/.exec(location ?? '')?.[1]);

describe('severity tiers on the form', () => {
  it('the default rules: 吊销许可证件 is 严重, published three years', async () => {
    const res = await report({ documentNo: '新市监罚〔2026〕T1号', penaltyCategories: '吊销许可证件', fineAmount: '', licenceAffected: '食品经营许可证 JY1' });
    expect(res.status, res.text.slice(0, 300)).toBe(303);
    const rec = await t.deps.db.penalty.findUniqueOrThrow({ where: { id: idFrom(res.headers.location) } });
    expect(rec).toMatchObject({ tier: 'serious', tierSource: 'rule', publicityRule: '2026', isPublic: true });
    expect(isoDay(rec.publicUntil)).toBe(monthsFrom(36, DECIDED));
  });

  it('a 警告 alone is 轻微 and not published, unless the department marks it necessary (then at most 3 months)', async () => {
    const plain = await report({ documentNo: '新市监罚〔2026〕T2号', penaltyCategories: '警告', fineAmount: '', content: '警告' });
    const hidden = await t.deps.db.penalty.findUniqueOrThrow({ where: { id: idFrom(plain.headers.location) } });
    expect(hidden).toMatchObject({ tier: 'minor', isPublic: false });
    // Another authority than market supervision (SAMR Order 45 hides its warnings anyway) would be the same: the tier decides.
    const necessary = await report({ documentNo: '新市监罚〔2026〕T3号', penaltyCategories: '通报批评', fineAmount: '', publicityNecessary: '是' });
    const shown = await t.deps.db.penalty.findUniqueOrThrow({ where: { id: idFrom(necessary.headers.location) } });
    expect(shown).toMatchObject({ tier: 'minor', isPublic: true, publicityNecessary: true });
    expect(isoDay(shown.publicUntil)).toBe(monthsFrom(3, DECIDED));
  });

  it('honours a 公示截止期 inside the tier window and refuses one outside it with the window', async () => {
    const inside = await report({ documentNo: '新市监罚〔2026〕T4号', publicityEndDate: slash(monthsFrom(6, DECIDED)) });
    expect(inside.status).toBe(303);
    const rec = await t.deps.db.penalty.findUniqueOrThrow({ where: { id: idFrom(inside.headers.location) } });
    expect(isoDay(rec.publicUntil)).toBe(monthsFrom(6, DECIDED));

    const outside = await report({ documentNo: '新市监罚〔2026〕T5号', publicityEndDate: slash(monthsFrom(24, DECIDED)) });
    expect(outside.status).toBe(400);
    expect(outside.text).toContain(
      `超出一般失信信息的公示期限（自处罚决定日期起至少 3 个月、最长 1 年），应在 ${monthsFrom(3, DECIDED)} 至 ${monthsFrom(12, DECIDED)} 之间`,
    );
    expect(await t.deps.db.penalty.count({ where: { documentNo: '新市监罚〔2026〕T5号' } })).toBe(0);
  });

  it('a department sets another tier with a reason; it is stored as the department’s and audited', async () => {
    const noReason = await report({ documentNo: '新市监罚〔2026〕T6号', tier: '严重' });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain('另行认定严重程度时请填写严重程度认定理由');
    const res = await report({
      documentNo: '新市监罚〔2026〕T6号',
      tier: '严重',
      tierReason: '危害群众健康，情节严重',
      publicityEndDate: slash(monthsFrom(24, DECIDED)),
    });
    expect(res.status, res.text.slice(0, 300)).toBe(303);
    const id = idFrom(res.headers.location);
    const rec = await t.deps.db.penalty.findUniqueOrThrow({ where: { id } });
    expect(rec).toMatchObject({ tier: 'serious', tierSource: 'department', tierReason: '危害群众健康，情节严重' });
    expect(isoDay(rec.publicUntil)).toBe(monthsFrom(24, DECIDED));
    const audit = await t.deps.db.auditLog.findFirstOrThrow({ where: { action: 'penalty.create', targetId: String(id) } });
    expect(JSON.stringify(audit.detail)).toContain('危害群众健康');
  });
});

/** A penalty CSV with the national codes and our own columns (适用简易程序, 严重程度 …). */
function csvWithTiers(rows: Record<string, string>[]): string {
  const fields = [...fieldsOf('penalty'), ...PENALTY_EXTRA_FIELDS];
  const lines = [[...exportCsvHeader('penalty'), ...PENALTY_EXTRA_FIELDS.map((f) => f.code)].join(',')];
  for (const r of rows) lines.push(fields.map((f) => r[f.key] ?? '').join(','));
  return lines.join('\r\n') + '\r\n';
}

describe('the credit office keeps the rules', () => {
  it('a department’s own fine threshold applies to decisions from its effective date; a rule is ended, never edited; both audited', async () => {
    const reviewer = await signIn(t.app, 't-reviewer');
    const csrf = csrfFrom((await reviewer.get('/admin/tier-rules')).text);
    const postRule = (body: Record<string, string>) =>
      reviewer
        .post('/admin/tier-rules')
        .type('form')
        .send({ _csrf: csrf, ...body });
    expect((await clerk.get('/admin/tier-rules')).status).toBe(403);
    const dept = await t.deps.db.user.findUniqueOrThrow({ where: { username: 't-clerk' }, select: { departmentId: true } });
    const bad = await postRule({ action: 'add', kind: 'fine', minFineAmount: '-1', tier: '严重', effectiveFrom: '2026-01-01' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('罚款金额标准应为不小于 0 的数字');
    expect(bad.text).toContain('生效日期不能早于 2026-04-01');
    const added = await postRule({
      action: 'add',
      kind: 'fine',
      departmentId: String(dept.departmentId),
      minFineAmount: '5',
      tier: '严重',
      effectiveFrom: day(DECIDED - 1),
      note: '本部门较大数额罚款标准',
    });
    expect(added.status, added.text.slice(0, 300)).toBe(303);
    const rule = await t.deps.db.tierRule.findFirstOrThrow({ where: { departmentId: dept.departmentId } });
    const res = await report({ documentNo: '新市监罚〔2026〕R1号', penaltyCategories: '罚款', fineAmount: '6', content: '罚款 6 万元' });
    const rec = await t.deps.db.penalty.findUniqueOrThrow({ where: { id: idFrom(res.headers.location) } });
    // Removed again whatever happens: the migration test below compares the table with the defaults.
    onTestFinished(() => t.deps.db.tierRule.deleteMany({ where: { id: rule.id } }).then(() => undefined));
    expect(rec).toMatchObject({ tier: 'serious', tierSource: 'rule', tierReason: '罚款 6 万元，达到本部门标准 5 万元，按规则认定为严重' });

    const ended = await postRule({ action: 'end', ruleId: String(rule.id), effectiveTo: day(DECIDED - 1) });
    expect(ended.status).toBe(303);
    const again = await report({ documentNo: '新市监罚〔2026〕R2号', penaltyCategories: '罚款', fineAmount: '6', content: '罚款 6 万元' });
    expect((await t.deps.db.penalty.findUniqueOrThrow({ where: { id: idFrom(again.headers.location) } })).tier).toBe('general');
    expect(await t.deps.db.auditLog.count({ where: { action: { in: ['tier-rule.add', 'tier-rule.end'] }, targetId: String(rule.id) } })).toBe(2);
  });
});

describe('the tier and 公示截止期 wherever a record is shown', () => {
  it('on the public detail page, in the subject profile, in the credit report’s data and in the back office', async () => {
    const res = await report({ documentNo: '新市监罚〔2026〕S1号', penaltyCategories: '责令关闭', fineAmount: '', content: '责令关闭' });
    const id = idFrom(res.headers.location);
    const until = monthsFrom(36, DECIDED);
    const detail = (await request(t.app).get(`/publicity/penalties/${id}`)).text;
    expect(detail).toContain('严重程度');
    expect(detail).toContain(until);
    expect(detail).toContain('《信用修复管理办法》');
    const profile = (await request(t.app).get(`/subjects/${COMPANY_USCC}`)).text;
    expect(profile).toContain(`严重程度：严重 · 公示截止期 ${until}`);
    const full = await t.deps.profiles.byUscc(COMPANY_USCC, { full: true });
    const rec = full!.sections.find((x) => x.key === 'penalties')!.records.find((r) => r.id === id)!;
    expect(rec.fields).toEqual(
      expect.arrayContaining([
        { label: '严重程度', value: '严重' },
        { label: '公示截止期', value: until },
      ]),
    );
    const admin = (await clerk.get(`/admin/penalties/${id}`)).text;
    expect(admin).toContain('公示截止期（实际适用）');
    expect(admin).toContain('认定规则：处罚类别「责令关闭」按规则认定为严重');
    expect(admin).toContain(`已报送行政处罚（文书号 新市监罚〔2026〕S1号）。严重程度：严重（按认定规则），公示截止期 ${until}`);
  });
});

describe('severity tiers in a batch import', () => {
  async function upload(csv: string) {
    const res = await clerk.post('/admin/imports').field('_csrf', token).field('kind', 'penalty').attach('file', Buffer.from(csv), 'tiers.csv');
    expect(res.status, res.text.slice(0, 300)).toBe(303);
    const id = Number(/\/admin\/imports\/(\d+)$/.exec(res.headers.location ?? '')?.[1]);
    return { id, imp: await importFinished(t.deps, id) };
  }

  it('refuses a row whose 公示截止期 is outside its tier window, naming the row and the window', async () => {
    const { imp } = await upload(
      csvWithTiers([
        rawRecord('penalty', { documentNo: '新市监罚〔2026〕I1号', content: '罚款' }),
        rawRecord('penalty', { documentNo: '新市监罚〔2026〕I2号', content: '罚款', publicityEndDate: slash(monthsFrom(30, DECIDED)) }),
      ]),
    );
    expect(imp.status).toBe('failed');
    const errors = imp.errors as { row: number; column: string; message: string }[];
    expect(errors).toEqual([
      expect.objectContaining({
        row: 3,
        column: '公示截止期',
        message: expect.stringContaining(`应在 ${monthsFrom(3, DECIDED)} 至 ${monthsFrom(12, DECIDED)} 之间`),
      }),
    ]);
    expect(await t.deps.db.penalty.count({ where: { documentNo: { in: ['新市监罚〔2026〕I1号', '新市监罚〔2026〕I2号'] } } })).toBe(0);
  });

  it('takes the department’s tier and reason from their columns, and the result page counts the tiers', async () => {
    const { id, imp } = await upload(
      csvWithTiers([rawRecord('penalty', { documentNo: '新市监罚〔2026〕I3号', content: '罚款', tier: '严重', tierReason: '屡查屡犯' })]),
    );
    expect(imp.status, JSON.stringify(imp.errors)).toBe('succeeded');
    const rec = await t.deps.db.penalty.findFirstOrThrow({ where: { documentNo: '新市监罚〔2026〕I3号' } });
    expect(rec).toMatchObject({ tier: 'serious', tierSource: 'department', tierReason: '屡查屡犯' });
    expect(isoDay(rec.publicUntil)).toBe(monthsFrom(36, DECIDED));
    expect((await clerk.get(`/admin/imports/${id}`)).text).toContain(
      `严重程度：严重</dt><dd data-qa="import-tier">1 条；公示截止期 ${monthsFrom(36, DECIDED)}`,
    );
  });
});

describe('the end of publicity (job publicity-expiry)', () => {
  it('a record reported after its period is stored as having left (expired)', async () => {
    const decided = day(-800);
    const res = await report({ documentNo: '新市监罚〔2024〕E1号', decisionDate: slash(decided), validUntil: slash(decided) });
    expect(res.status, res.text.slice(0, 300)).toBe(303);
    const rec = await t.deps.db.penalty.findUniqueOrThrow({ where: { id: idFrom(res.headers.location) } });
    expect(rec).toMatchObject({ isPublic: false, leftReason: 'expired' });
    expect(rec.leftPublicationAt).not.toBeNull();
  });

  it('stops publication once public_until has passed, in batches, idempotently; the last public day stays public', async () => {
    const ids: number[] = [];
    for (const n of [1, 2, 3, 4]) ids.push(idFrom((await report({ documentNo: `新市监罚〔2026〕E${10 + n}号` })).headers.location));
    // Time passes: three have passed their last public day (yesterday, Beijing), one ends today.
    await t.deps.db.penalty.updateMany({ where: { id: { in: ids.slice(0, 3) } }, data: { publicUntil: new Date(`${day(-1)}T00:00:00Z`) } });
    await t.deps.db.penalty.update({ where: { id: ids[3]! }, data: { publicUntil: new Date(`${day(0)}T00:00:00Z`) } });
    await t.deps.db.penalty.update({ where: { id: ids[2]! }, data: { repairedAt: new Date() } });
    expect((await request(t.app).get(`/publicity/penalties/${ids[3]}`)).status).toBe(200);

    const first = await t.deps.publicity.expirePublicity({ batch: 2 });
    expect(first).toBeGreaterThanOrEqual(3);
    expect(await t.deps.publicity.expirePublicity({ batch: 2 })).toBe(0);
    const rows = await t.deps.db.penalty.findMany({ where: { id: { in: ids } }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.isPublic, r.leftReason])).toEqual([
      [false, 'expired'],
      [false, 'expired'],
      [false, 'repaired'],
      [true, null],
    ]);
    expect(rows[0]!.leftPublicationAt).not.toBeNull();
    expect((await request(t.app).get(`/publicity/penalties/${ids[3]}`)).status).toBe(200);
    expect((await request(t.app).get(`/publicity/penalties/${ids[0]}`)).status).toBe(404);
  });
});

describe('the migration', () => {
  it('writes the default rules the code starts with', async () => {
    const rules = await loadTierRules(t.deps.db);
    expect(
      rules.map(({ id: _id, effectiveTo: _to, ...r }) => ({ ...r, minFineAmount: r.minFineAmount === null ? null : String(Number(r.minFineAmount)) })),
    ).toEqual(DEFAULT_TIER_RULES.map((r) => ({ ...r })));
  });

  it('computes tier and period of stored penalties, the shorter rule for decisions before 2026-04-01', async () => {
    const db = await createEmptyDatabase();
    made.push(db);
    const all = readMigrations();
    const tiers = all.findIndex((m) => m.name.endsWith('_severity_tiers'));
    const before = mkdtempSync(path.join(os.tmpdir(), 'xx-mig-'));
    try {
      for (const m of all.slice(0, tiers)) cpSync(path.join(MIGRATIONS_DIR, m.name), path.join(before, m.name), { recursive: true });
      await applyMigrations(db.url, { dir: before });
    } finally {
      rmSync(before, { recursive: true, force: true });
    }
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      const dept = await c.query<{ id: number }>(`INSERT INTO department (name, level) VALUES ('测试局', 'city') RETURNING id`);
      // [文书号, decision, categories, fine, CF_GSJZQ, simple, public_until as stored before]
      const rows: [string, string, string[], string | null, string | null, boolean][] = [
        ['M1', '2025-06-01', ['罚款'], '0.5', null, false], // 一般: 1 year < Order 58's 3 years → 2026
        ['M2', '2025-06-01', ['吊销许可证件'], null, '2025-10-01', false], // 严重 but the department gave 4 months → order58
        ['M3', '2026-05-10', ['罚款'], '150', null, false], // 巨额罚款 → 严重, 3 years
        ['M4', '2026-05-10', ['警告'], null, null, false], // 轻微, not marked necessary → not published
        ['M5', '2026-05-10', ['罚款'], '0.1', '2029-01-01', false], // 一般 with an end beyond 1 year → the window's end
        ['M6', '2026-05-10', ['罚款', '吊销许可证件'], '1', null, true], // 简易程序 decides alone → 轻微
      ];
      // And a few hundred arbitrary ones, which must come out exactly as the writer's own computation would have it.
      const random = fc.sample(
        fc.record({
          decided: fc.integer({ min: 0, max: 1430 }).map((n) => addDays('2023-01-01', n)),
          cats: fc.subarray(['警告', '通报批评', '罚款', '没收违法所得', '吊销许可证件', '责令关闭', '限制从业', '其他'], { minLength: 1 }),
          fine: fc.option(fc.constantFrom('0.1', '5', '99.999999', '100', '250')),
          endOffset: fc.option(fc.integer({ min: 0, max: 1100 })),
          simple: fc.boolean(),
        }),
        { numRuns: 300, seed: 14 },
      );
      random.forEach((r, i) => rows.push([`R${i}`, r.decided, r.cats, r.fine, r.endOffset === null ? null : addDays(r.decided, r.endOffset), r.simple]));
      for (const [no, decided, cats, fine, end, simple] of rows) {
        await c.query(
          `INSERT INTO penalty (subject_name, subject_category, document_no, violation_type, facts, basis, penalty_categories, content, fine_amount,
                                decision_date, valid_until, publicity_end_date, public_until, authority, authority_code, source_name, source_code,
                                simple_procedure, department_id, is_public, updated_at)
           VALUES ('某公司', 'legal', $1, 'x', 'x', 'x', $2, 'x', $3, $4, $4, $5, COALESCE($5, ($4::date + interval '36 months')::date), '某局', '114107000052410574',
                   '某局', '114107000052410574', $6, $7, true, now())`,
          [no, cats, fine, decided, end, simple, dept.rows[0]!.id],
        );
      }
      await applyMigrations(db.url);
      const got = await c.query<{
        document_no: string;
        tier: string;
        public_until: string;
        publicity_rule: string;
        is_public: boolean;
        left_reason: string | null;
      }>(`SELECT document_no, tier::text, public_until::text, publicity_rule, is_public, left_reason FROM penalty ORDER BY document_no`);
      const rules = DEFAULT_TIER_RULES.map((r, i) => ({ ...r, id: i + 1, effectiveTo: null }));
      const byNo = new Map(got.rows.map((r) => [r.document_no, r]));
      for (const [no, decisionDate, penaltyCategories, fineAmount, requestedEnd, simpleProcedure] of rows) {
        const { tier } = defaultTier(rules, { decisionDate, departmentId: dept.rows[0]!.id, penaltyCategories, fineAmount, simpleProcedure });
        const period = publicityPeriod({ decisionDate, tier, necessary: false, requestedEnd }, { clamp: true });
        if (!period.ok) throw new Error('clamp never refuses');
        const stored = byNo.get(no)!;
        expect([no, stored.tier, stored.public_until, stored.publicity_rule, stored.is_public]).toEqual([
          no,
          tier,
          period.publicUntil,
          period.rule,
          period.published,
        ]);
      }
      expect(
        got.rows.filter((r) => r.document_no.startsWith('M')).map((r) => [r.document_no, r.tier, r.public_until, r.publicity_rule, r.is_public, r.left_reason]),
      ).toEqual([
        ['M1', 'general', '2026-06-01', '2026', true, null],
        ['M2', 'serious', '2025-10-01', 'order58', true, null],
        ['M3', 'serious', '2029-05-10', '2026', true, null],
        ['M4', 'minor', '2026-05-10', '2026', false, 'minor'],
        ['M5', 'general', '2027-05-10', '2026', true, null],
        ['M6', 'minor', '2026-05-10', '2026', false, 'minor'],
      ]);
    } finally {
      await c.end();
    }
  });
});
