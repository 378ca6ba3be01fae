import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom, grantAuthority, seedUsers, signIn, TEST_PASSWORD, type TestApp } from '../helpers/app.js';
import { AGENCY_USCC, COMPANY_USCC, DECIDED, rawRecord } from '../helpers/records.js';
import { hashPassword } from '../../src/platform/passwords.js';
import { beijingToday } from '../../src/domain/dates.js';
import { monthsFrom } from '../helpers/dates.js';

let t: TestApp;
let clerk: Awaited<ReturnType<typeof signIn>>;
let token: string;
let otherClerk: Awaited<ReturnType<typeof signIn>>;
let otherToken: string;
let otherDepartmentId: number;

beforeAll(async () => {
  t = await createTestApp();
  const seeded = await seedUsers(t.deps);
  otherDepartmentId = seeded.otherDepartmentId;
  await t.deps.db.user.create({
    data: {
      username: 'eco-clerk',
      displayName: '环境局填报员',
      role: 'clerk',
      departmentId: seeded.otherDepartmentId,
      passwordHash: await hashPassword(TEST_PASSWORD),
    },
  });
  await t.deps.db.county.create({ data: { code: '410711', name: '牧野区', kind: 'district', sortOrder: 4 } });
  clerk = await signIn(t.app, 't-clerk');
  token = csrfFrom((await clerk.get('/admin/penalties/new')).text);
  otherClerk = await signIn(t.app, 'eco-clerk');
  otherToken = csrfFrom((await otherClerk.get('/admin/penalties/new')).text);
});
afterAll(async () => t.close());

async function report(kind: 'permit' | 'penalty', over: Record<string, string> = {}, agent = clerk, csrf = token) {
  const body = { ...rawRecord(kind, over), _csrf: csrf };
  return agent
    .post(`/admin/${kind === 'permit' ? 'permits' : 'penalties'}`)
    .type('form')
    .send(body);
}

function idFrom(location: string | undefined): number {
  return Number(/\/(\d+)$/.exec(location ?? '')?.[1]);
}

describe('reporting a record through the form', () => {
  it('lists every problem at once, keeps what was typed, and writes nothing', async () => {
    const res = await report('penalty', {
      subjectName: '',
      uscc: '91410700174608534F',
      decisionDate: '2099/01/01',
      fineAmount: '',
      facts: '当事人销售超过保质期的食品（原样保留）',
    });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/<title>错误：/);
    expect(res.text).toContain('请填写行政相对人名称');
    expect(res.text).toMatch(/统一社会信用代码：第18位校验码应为 E/);
    expect(res.text).toContain('处罚决定日期不能晚于今天');
    expect(res.text).toContain('处罚类别含「罚款」时，「罚款金额（万元）」必填');
    expect(res.text).toContain('当事人销售超过保质期的食品（原样保留）');
    expect(res.text).toContain('href="#subjectName"');
    expect(await t.deps.db.penalty.count()).toBe(0);
  });

  it('saves a valid penalty, links the legal-person library, audits it and publishes it', async () => {
    const res = await report('penalty', { documentNo: '新市监罚〔2026〕100号' });
    expect(res.status, res.text.slice(0, 500)).toBe(303);
    const id = idFrom(res.headers.location);
    const rec = await t.deps.db.penalty.findUniqueOrThrow({ where: { id }, include: { legalPerson: true } });
    expect(rec.legalPerson?.uscc).toBe(COMPANY_USCC);
    expect(rec.fineAmount?.toString()).toBe('0.2');
    expect(rec.penaltyCategories).toEqual(['警告', '罚款']);
    expect(rec.isPublic).toBe(true);
    // 警告 + 罚款 of 0.2 万元: 一般 by the default rules, published for its longest period, one year from the decision
    // (rawRecord decides DECIDED days from today).
    expect(rec.tier).toBe('general');
    expect(rec.tierSource).toBe('rule');
    expect(rec.publicityRule).toBe('2026');
    expect(rec.publicUntil.toISOString().slice(0, 10)).toBe(monthsFrom(12, DECIDED));
    expect(await t.deps.db.auditLog.count({ where: { action: 'penalty.create', targetId: String(id) } })).toBe(1);

    const list = await request(t.app).get('/publicity/penalties');
    expect(list.text).toContain('新乡市华兴食品有限公司');
    expect(list.text).toContain('新市监罚〔2026〕100号');
    const detail = await request(t.app).get(`/publicity/penalties/${id}`);
    expect(detail.status).toBe(200);
    for (const label of ['行政相对人名称', '处罚决定书文号', '违法行为类型', '处罚类别', '罚款金额（万元）', '处罚机关统一社会信用代码'])
      expect(detail.text).toContain(label);
    expect(detail.text).toContain('警告；罚款');
    const home = await request(t.app).get('/publicity');
    expect(home.text).toContain('新乡市华兴食品有限公司');
  });

  it('a new record with a 文书号 already reported: 400, values kept, a link to the record; corrected only once confirmed, old values audited', async () => {
    const first = await report('penalty', { documentNo: '新市监罚〔2026〕200号', content: '警告，罚款 2000 元' });
    const id = idFrom(first.headers.location);
    const audits = () => t.deps.db.auditLog.count({ where: { action: 'penalty.update', targetId: String(id) } });

    const unconfirmed = await report('penalty', { documentNo: '新市监罚〔2026〕200号', content: '警告，罚款 3000 元', fineAmount: '0.3' });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.text).toContain('警告，罚款 3000 元');
    expect(unconfirmed.text).toContain(`href="/admin/penalties/${id}"`);
    expect(unconfirmed.text).toMatch(/name="confirmCorrection" value="1"(?! checked)/);
    expect(unconfirmed.text).toContain('确认更正该记录');
    expect(unconfirmed.text).toContain('href="#confirmCorrection"');
    expect((await t.deps.db.penalty.findUniqueOrThrow({ where: { id } })).content).toBe('警告，罚款 2000 元');
    expect(await audits()).toBe(0);

    const again = await report('penalty', { documentNo: '新市监罚〔2026〕200号', content: '警告，罚款 3000 元', fineAmount: '0.3', confirmCorrection: '1' });
    expect(again.status).toBe(303);
    expect(idFrom(again.headers.location)).toBe(id);
    expect(await t.deps.db.penalty.count({ where: { documentNo: '新市监罚〔2026〕200号' } })).toBe(1);
    const page = await clerk.get(again.headers.location!);
    expect(page.text).toContain('已按更正处理');
    const audit = await t.deps.db.auditLog.findFirstOrThrow({ where: { action: 'penalty.update', targetId: String(id) } });
    const detail = audit.detail as { changes: Record<string, unknown> };
    expect(detail.changes.content).toEqual(['警告，罚款 2000 元', '警告，罚款 3000 元']);
    expect(Object.keys(detail.changes)).toContain('fine_amount');

    // Confirmed with nothing changed: nothing written, no empty audit entry.
    const same = await report('penalty', { documentNo: '新市监罚〔2026〕200号', content: '警告，罚款 3000 元', fineAmount: '0.3', confirmCorrection: '1' });
    expect(same.status).toBe(303);
    expect((await clerk.get(same.headers.location!)).text).toContain('完全相同，未做修改');
    expect(await audits()).toBe(1);
  });

  it('refuses another department’s 文书号 and hides its records from other clerks', async () => {
    const mine = await report('penalty', { documentNo: '新市监罚〔2026〕300号' });
    const id = idFrom(mine.headers.location);
    // Only a department that also reports for this authority can name its 文书号 at all.
    await grantAuthority(t.deps, otherDepartmentId, { name: '新乡市市场监督管理局', uscc: AGENCY_USCC });
    const theirs = await report('penalty', { documentNo: '新市监罚〔2026〕300号' }, otherClerk, otherToken);
    await t.deps.db.departmentAuthority.updateMany({ where: { departmentId: otherDepartmentId, uscc: AGENCY_USCC }, data: { active: false } });
    expect(theirs.status).toBe(409);
    expect(theirs.text).toContain('已由新乡市市场监督管理局报送');
    expect((await otherClerk.get(`/admin/penalties/${id}`)).status).toBe(403);
    expect((await otherClerk.get('/admin/penalties')).text).not.toContain('新市监罚〔2026〕300号');
    // The filter form refuses a bad value with its error summary and keeps what was typed.
    const badFilter = await otherClerk.get(`/admin/penalties?q=${encodeURIComponent('某公司')}&status=bogus`);
    expect(badFilter.status).toBe(400);
    expect(badFilter.text).toContain('data-qa="error-summary"');
    expect(badFilter.text).toContain('状态无效');
    expect(badFilter.text).toContain('value="某公司"');
    expect((await clerk.get('/admin/penalties')).text).toContain('新市监罚〔2026〕300号');
  });

  it('edits a record: the key stays, the content changes', async () => {
    const res = await report('permit', { documentNo: '新市监许〔2026〕900号' });
    const id = idFrom(res.headers.location);
    const form = await clerk.get(`/admin/permits/${id}/edit`);
    expect(form.text).toContain('新市监许〔2026〕900号');
    const saved = await clerk
      .post(`/admin/permits/${id}`)
      .type('form')
      .send({ ...rawRecord('permit', { documentNo: 'attempt-to-change', content: '预包装食品、散装食品销售' }), _csrf: token });
    expect(saved.status).toBe(303);
    const rec = await t.deps.db.permit.findUniqueOrThrow({ where: { id } });
    expect(rec.documentNo).toBe('新市监许〔2026〕900号');
    expect(rec.content).toBe('预包装食品、散装食品销售');
  });
});

describe('publicity rules and privacy', () => {
  const person = { subjectCategory: '自然人', uscc: '', legalRepresentative: '', subjectName: '张伟', docType: '身份证', docNumber: '410702198503151235' };

  it('masks a natural person’s ID number everywhere public and never shows 法定代表人证件号码', async () => {
    const res = await report('penalty', { ...person, documentNo: '新市监罚〔2026〕400号' });
    expect(res.status).toBe(303);
    const id = idFrom(res.headers.location);
    const list = await request(t.app).get('/publicity/penalties');
    const detail = await request(t.app).get(`/publicity/penalties/${id}`);
    for (const html of [list.text, detail.text]) {
      expect(html).not.toContain('410702198503151235');
    }
    expect(detail.text).toContain('410702********1235');
    const company = await report('penalty', { documentNo: '新市监罚〔2026〕401号', legalRepDocType: '身份证', legalRepDocNumber: '410702198503151235' });
    const cd = await request(t.app).get(`/publicity/penalties/${idFrom(company.headers.location)}`);
    expect(cd.text).not.toContain('法定代表人证件号码');
    expect(cd.text).not.toContain('410702198503151235');
    expect(await t.deps.db.naturalPerson.count({ where: { docNumber: '410702198503151235' } })).toBe(1);
  });

  it('the keyword finds a record by any part of its own 相对人名称, through the record-name index', async () => {
    // Same USCC as other test records, whose library entry carries another name: the record's own name counts.
    await report('penalty', { documentNo: '新市监罚〔2026〕420号', subjectName: '新乡市更名后食品有限公司' });
    await report('penalty', { ...person, subjectName: '李更名', documentNo: '新市监罚〔2026〕421号' });
    const q = async (k: string) => (await request(t.app).get(`/publicity/penalties?q=${encodeURIComponent(k)}`)).text;
    expect(await q('更名后')).toContain('新市监罚〔2026〕420号');
    expect(await q('更名后')).not.toContain('新市监罚〔2026〕421号');
    expect(await q('更名')).toContain('新市监罚〔2026〕421号');
    expect(await t.deps.db.recordName.count({ where: { name: '新乡市更名后食品有限公司' } })).toBe(1);
    expect(await q('没有这个名字')).toContain('没有符合条件的公示信息');
    // Counted through the names listed for the page (nameCount), so the total agrees with it, letters of any case included.
    expect(await q('更名后')).toMatch(/共 1 条/);
    expect(await q('更名')).toMatch(/共 2 条/);
    await report('penalty', { documentNo: '新市监罚〔2026〕422号', subjectName: '新乡市ABC更名商贸有限公司' });
    expect(await q('abc更名')).toMatch(/共 1 条/);
    expect(await q('abc更名')).toContain('新市监罚〔2026〕422号');
  });

  it('counts a fragment common to thousands of names through those names, the same as the list would', async () => {
    // 6,000 names hold 「通用」, more than the keyword lists (recordNames gives up): the count goes name by name.
    await t.deps.db.$executeRawUnsafe(
      `INSERT INTO record_name (name, grams) SELECT n, xx_name_grams(n) FROM (SELECT '通用测试' || g || '号商行' AS n FROM generate_series(1, 6000) g) x`,
    );
    expect(await t.deps.search.recordNames('通用', 5000)).toBeNull();
    await report('penalty', { documentNo: '新市监罚〔2026〕431号', subjectName: '新乡市通用机械有限公司' });
    await report('penalty', { documentNo: '新市监罚〔2026〕432号', subjectName: '新乡市通用机械有限公司' });
    await report('penalty', { documentNo: '新市监罚〔2026〕433号', subjectName: '卫辉市通用食品有限公司' });
    // Not public: past its 公示截止期, and withdrawn.
    await report('penalty', {
      documentNo: '新市监罚〔2022〕434号',
      subjectName: '卫辉市通用食品有限公司',
      decisionDate: '2022/01/10',
      validUntil: '2022/01/10',
      publicityEndDate: '2022/07/10',
    });
    const withdrawn = idFrom((await report('penalty', { documentNo: '新市监罚〔2026〕435号', subjectName: '新乡市通用机械有限公司' })).headers.location);
    await clerk.post(`/admin/penalties/${withdrawn}/withdraw`).type('form').send({ _csrf: token, reason: '复议撤销' });

    const today = beijingToday();
    const common = { fragment: '通用' };
    expect(await t.deps.search.publicRecordCount('penalty', common, today, 10_000)).toBe(3);
    expect(await t.deps.search.publicRecordCount('penalty', common, today, 2)).toBe(3);
    expect(await t.deps.search.publicRecordCount('permit', common, today, 10_000)).toBe(0);
    // Listed names count the same way: 5 penalties carry these two names, 3 of them public.
    expect(await t.deps.search.publicRecordCount('penalty', { names: ['新乡市通用机械有限公司', '卫辉市通用食品有限公司'] }, today, 10_000)).toBe(3);
    const html = (await request(t.app).get(`/publicity/penalties?q=${encodeURIComponent('通用')}`)).text;
    expect(html).toMatch(/共 3 条/);
    for (const no of ['431', '432', '433']) expect(html).toContain(`新市监罚〔2026〕${no}号`);
    expect(html).not.toContain('新市监罚〔2026〕435号');
    // With another filter the list's own walk counts, and agrees.
    const dept = await t.deps.db.penalty.findFirstOrThrow({ where: { documentNo: '新市监罚〔2026〕431号' }, select: { departmentId: true } });
    expect((await request(t.app).get(`/publicity/penalties?q=${encodeURIComponent('通用')}&dept=${dept.departmentId}`)).text).toMatch(/共 3 条/);
  });

  it('keeps simple-procedure natural-person penalties and natural-person permits off the public columns', async () => {
    const simple = await report('penalty', { ...person, documentNo: '新市监罚〔2026〕500号', simpleProcedure: '是' });
    const permit = await report('permit', { ...person, documentNo: '新市监许〔2026〕500号' });
    expect((await request(t.app).get(`/publicity/penalties/${idFrom(simple.headers.location)}`)).status).toBe(404);
    expect((await request(t.app).get(`/publicity/permits/${idFrom(permit.headers.location)}`)).status).toBe(404);
    expect((await request(t.app).get('/publicity/penalties')).text).not.toContain('新市监罚〔2026〕500号');
    expect((await clerk.get(`/admin/permits/${idFrom(permit.headers.location)}`)).text).toContain('政务共享');
  });

  it('does not publish a market-supervision penalty that is only a warning (SAMR Order 45)', async () => {
    const res = await report('penalty', { documentNo: '新市监罚〔2026〕600号', penaltyCategories: '警告', fineAmount: '', content: '警告' });
    expect(res.status).toBe(303);
    expect((await request(t.app).get(`/publicity/penalties/${idFrom(res.headers.location)}`)).status).toBe(404);
  });

  it('a penalty past its 公示截止期 leaves the public columns but stays in the back office', async () => {
    const res = await report('penalty', {
      documentNo: '新市监罚〔2022〕1号',
      decisionDate: '2022/01/10',
      validUntil: '2022/01/10',
      publicityEndDate: '2022/07/10',
    });
    expect(res.status).toBe(303);
    const id = idFrom(res.headers.location);
    expect((await request(t.app).get(`/publicity/penalties/${id}`)).status).toBe(404);
    expect((await request(t.app).get('/publicity/penalties')).text).not.toContain('新市监罚〔2022〕1号');
    expect((await clerk.get('/admin/penalties')).text).toContain('新市监罚〔2022〕1号');
  });

  it('withdrawal needs a reason and takes the record off the public columns at once', async () => {
    const res = await report('penalty', { documentNo: '新市监罚〔2026〕700号' });
    const id = idFrom(res.headers.location);
    expect((await request(t.app).get(`/publicity/penalties/${id}`)).status).toBe(200);
    const noReason = await clerk.post(`/admin/penalties/${id}/withdraw`).type('form').send({ _csrf: token, reason: '' });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain('请填写撤回原因');
    const ok = await clerk.post(`/admin/penalties/${id}/withdraw`).type('form').send({ _csrf: token, reason: '复议撤销原处罚决定' });
    expect(ok.status).toBe(303);
    expect((await request(t.app).get(`/publicity/penalties/${id}`)).status).toBe(404);
    expect((await request(t.app).get('/publicity/penalties')).text).not.toContain('新市监罚〔2026〕700号');
    expect((await clerk.get(`/admin/penalties/${id}`)).text).toContain('复议撤销原处罚决定');
    expect(await t.deps.db.auditLog.count({ where: { action: 'penalty.withdraw', targetId: String(id) } })).toBe(1);
    const again = await report('penalty', { documentNo: '新市监罚〔2026〕700号' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('已撤回');
  });
});

describe('public columns: filters as bookmarkable GET parameters', () => {
  it('filters by keyword, department, county, category and date range; ignores unknown parameters', async () => {
    // A 牧野区 sole trader: its county comes from the region code inside the USCC.
    await report('permit', {
      documentNo: '新市监许〔2025〕77号',
      subjectName: '新乡市过滤测试有限公司',
      subjectCategory: '个体工商户',
      uscc: '92410711MA44HB7D13',
      decisionDate: '2025/03/05',
      validFrom: '2025/03/05',
    });
    const dept = await t.deps.db.department.findFirstOrThrow({ where: { name: '新乡市市场监督管理局' } });
    const county = await t.deps.db.county.findFirstOrThrow({ where: { code: '410711' } });
    const base = '/publicity/permits';
    expect((await request(t.app).get(`${base}?q=过滤测试`)).text).toContain('新市监许〔2025〕77号');
    expect((await request(t.app).get(`${base}?q=${encodeURIComponent('新市监许〔2025〕77号')}`)).text).toContain('新乡市过滤测试有限公司');
    expect(
      (await request(t.app).get(`${base}?q=过滤测试&dept=${dept.id}&county=${county.id}&category=个体工商户&from=2025-03-01&to=2025-03-31&utm_source=x`)).text,
    ).toContain('新市监许〔2025〕77号');
    expect((await request(t.app).get(`${base}?q=过滤测试&from=2025-04-01`)).text).not.toContain('新市监许〔2025〕77号');
    expect((await request(t.app).get(`${base}?q=过滤测试&category=自然人`)).text).not.toContain('新市监许〔2025〕77号');
  });

  it('answers a malformed parameter with a 400 page that says which', async () => {
    const badDate = await request(t.app).get('/publicity/permits?from=2025-02-30');
    expect(badDate.status).toBe(400);
    expect(badDate.text).toContain('起始日期“2025-02-30”不是有效日期');
    const badPage = await request(t.app).get('/publicity/penalties?page=0');
    expect(badPage.status).toBe(400);
    expect(badPage.text).toContain('页码应为正整数（“0”无效）');
    expect((await request(t.app).get('/publicity/penalties?dept=abc')).status).toBe(400);
    expect((await request(t.app).get('/publicity/penalties/abc')).status).toBe(404);
    expect((await request(t.app).get('/publicity/penalties/999999')).status).toBe(404);
  });

  it('shows newest decisions first', async () => {
    await report('permit', { documentNo: '新市监许〔2024〕1号', subjectName: '新乡市排序甲有限公司', decisionDate: '2024/01/01', validFrom: '2024/01/01' });
    await report('permit', { documentNo: '新市监许〔2026〕2号', subjectName: '新乡市排序乙有限公司', decisionDate: '2026/11/20', validFrom: '2026/11/20' });
    const html = (await request(t.app).get('/publicity/permits?q=排序')).text;
    expect(html.indexOf('排序乙')).toBeLessThan(html.indexOf('排序甲'));
  });
});

describe('role limits', () => {
  it('only clerks report; the credit office reads every department', async () => {
    const reviewer = await signIn(t.app, 't-reviewer');
    expect((await reviewer.get('/admin/penalties/new')).status).toBe(403);
    const list = await reviewer.get('/admin/penalties');
    expect(list.status).toBe(200);
    expect(list.text).toContain('新市监罚〔2026〕100号');
  });
});
