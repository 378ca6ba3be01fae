import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom, seedUsers, signIn, TEST_PASSWORD, type TestApp } from '../helpers/app.js';
import { COMPANY_USCC, rawRecord } from '../helpers/records.js';
import { day, monthsFrom, slashDay } from '../helpers/dates.js';
import { hashPassword } from '../../src/platform/passwords.js';
import { isoDay } from '../../src/domain/dates.js';
import { CaseRepository } from '../../src/features/cases/repository.js';
import { eligibilityOf } from '../../src/features/cases/repair/definition.js';
import { refusalReasons } from '../../src/features/cases/repair/rules.js';

/**
 * 信用修复 by the rules in force (《信用修复管理办法》, 条例 Art. 43): the tier's minimum period, the application (correction,
 * proof of every duty, a public 信用修复型 commitment), the two approvals, and the effect within 1 working day.
 * The surfaces a repair must reach are enumerated in repair-everywhere.test.ts.
 */

let t: TestApp;
let clerk: Awaited<ReturnType<typeof signIn>>;
let otherClerk: Awaited<ReturnType<typeof signIn>>;
let reviewer: Awaited<ReturnType<typeof signIn>>;
let ct: string;
let rt: string;
let repo: CaseRepository;

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

beforeAll(async () => {
  t = await createTestApp();
  const seeded = await seedUsers(t.deps);
  await t.deps.db.user.create({
    data: {
      username: 'eco-clerk',
      displayName: '环境局填报员',
      role: 'clerk',
      departmentId: seeded.otherDepartmentId,
      passwordHash: await hashPassword(TEST_PASSWORD),
    },
  });
  clerk = await signIn(t.app, 't-clerk');
  otherClerk = await signIn(t.app, 'eco-clerk');
  reviewer = await signIn(t.app, 't-reviewer');
  ct = csrfFrom((await clerk.get('/admin/penalties/new')).text);
  rt = csrfFrom((await reviewer.get('/admin/account/password')).text);
  repo = new CaseRepository(t.deps.db, t.deps.pool);
});
afterAll(async () => t.close());

async function penalty(over: Record<string, string> = {}): Promise<number> {
  const res = await clerk
    .post('/admin/penalties')
    .type('form')
    .send({ ...rawRecord('penalty', over), _csrf: ct });
  expect(res.status, res.text.slice(0, 500)).toBe(303);
  return Number(/\/(\d+)$/.exec(res.headers.location ?? '')?.[1]);
}

async function visitor(path: string) {
  const agent = request.agent(t.app);
  const page = await agent.get(path);
  expect(page.status).toBe(200);
  return { agent, token: csrfFrom(page.text), page };
}

const body = {
  subjectCode: COMPANY_USCC,
  applicantName: '李华',
  phone: '13837300000',
  email: '',
  rectification: '已缴纳全部罚款，并完成整改，建立了进货查验制度',
  duties: 'yes',
  commit: 'yes',
};

describe('the tier decides when a repair may be asked for (pinned dates)', () => {
  // The record is stored with the writer's tier; the dates of the question are pinned, so these hold on any day.
  async function stored(over: Record<string, string>, today: string) {
    const id = await penalty(over);
    // Keep it public as of the pinned day whatever the real day is (the writer judges publicity by today).
    const p = await t.deps.db.penalty.update({ where: { id }, data: { isPublic: true, publicUntil: new Date(`${monthsFrom(0, 3650)}T00:00:00Z`) } });
    const found = await repo.publicPenalty(id, today);
    expect(found).not.toBeNull();
    return { e: eligibilityOf(await repo.repairRules(), found!, today), tier: p.tier };
  }

  it('一般 (a fine): 3 months from the decision; a day earlier is refused with the date', async () => {
    const { e, tier } = await stored({ decisionDate: '2026/05/06', validUntil: '2026/05/06' }, '2026-08-05');
    expect(tier).toBe('general');
    expect(e.eligibleFrom).toBe('2026-08-06');
    expect(refusalReasons(e, '2026-08-05')).toEqual([expect.stringContaining('一般失信信息，最短公示期 3 个月，2026-08-06 起方可申请信用修复')]);
    expect(refusalReasons(e, '2026-08-06')).toEqual([]);
  });

  it('严重 (a revoked licence, outside market supervision): 1 year', async () => {
    const { e, tier } = await stored(
      {
        decisionDate: '2026/06/30',
        validUntil: '2026/06/30',
        authority: '新乡市市场监督管理局',
        penaltyCategories: '吊销许可证件',
        licenceAffected: '食品经营许可证 JY14107000000009',
        content: '吊销食品经营许可证',
        fineAmount: '',
      },
      '2027-06-29',
    );
    expect(tier).toBe('serious');
    // The market-supervision bar catches it (still in effect), so look at the date only.
    expect(e.eligibleFrom).toBe('2027-06-30');
    expect(e.minMonths).toBe(12);
  });

  it('轻微 marked necessary: as soon as the duty is fulfilled', async () => {
    const { e, tier } = await stored(
      { decisionDate: '2026/07/01', validUntil: '2026/07/01', penaltyCategories: '警告', content: '警告', fineAmount: '', publicityNecessary: '是' },
      '2026-07-01',
    );
    expect(tier).toBe('minor');
    expect(e.minMonths).toBe(0);
    expect(refusalReasons(e, '2026-07-01')).toEqual([]);
  });

  it('before 2026-04-01 the shorter minimum applies (从旧兼从轻); the Order 58 sector rows only serve that comparison', async () => {
    // 严重 by the department's choice, decided under Order 58: its 3 months win over the tier's year.
    const { e } = await stored({ decisionDate: '2026/01/15', validUntil: '2026/01/15', tier: '严重', tierReason: '情节严重' }, '2026-04-20');
    expect(e.minMonths).toBe(3);
    expect(e.eligibleFrom).toBe('2026-04-15');
    expect(e.basisText).toContain('从旧兼从轻');
    // 消防 had a year under Order 58; the same penalty decided after 2026-04-01 gets its tier's 3 months.
    const fire = { violationType: '消防设施未保持完好有效', basis: '《中华人民共和国消防法》第六十条' };
    expect((await stored({ ...fire, decisionDate: '2025/10/10', validUntil: '2025/10/10' }, '2026-01-10')).e.eligibleFrom).toBe('2026-01-10');
    expect((await stored({ ...fire, decisionDate: '2026/10/10', validUntil: '2026/10/10' }, '2027-01-10')).e.eligibleFrom).toBe('2027-01-10');
  });
});

describe('信用修复: application, approvals, effect', () => {
  it('the form says from when; an early application is recorded and refused with the date', async () => {
    const id = await penalty({ decisionDate: slashDay(-10) });
    const eligibleFrom = monthsFrom(3, -10);
    const { agent, token, page } = await visitor(`/publicity/penalties/${id}/repair`);
    expect(page.text).toContain(`一般失信信息，最短公示期 3 个月，${eligibleFrom} 起方可申请信用修复`);
    expect(page.text).toContain('最短公示期未满');
    const res = await agent.post(`/publicity/penalties/${id}/repair`).field('_csrf', token).field(body).attach('attachments', PNG, '缴款凭证.png');
    expect(res.status).toBe(303);
    const status = await request(t.app).get(res.headers.location!);
    expect(status.text).toContain('不予修复');
    expect(status.text).toContain(`${eligibleFrom} 起方可申请信用修复`);
    expect((await request(t.app).get(`/publicity/penalties/${id}`)).status).toBe(200);
  });

  it('the application needs the correction, the duties confirmed, proof attached (checked by content) and the commitment', async () => {
    const id = await penalty({ decisionDate: slashDay(-100) });
    const { agent, token } = await visitor(`/publicity/penalties/${id}/repair`);
    const none = await agent
      .post(`/publicity/penalties/${id}/repair`)
      .field('_csrf', token)
      .field({ ...body, duties: '', commit: '' });
    expect(none.status).toBe(400);
    for (const m of ['请确认已履行行政处罚决定规定的全部义务', '请阅读并勾选信用修复承诺', '请上传履行全部义务的证明材料']) expect(none.text).toContain(m);
    const fake = await agent
      .post(`/publicity/penalties/${id}/repair`)
      .field('_csrf', token)
      .field(body)
      .attach('attachments', Buffer.from('not a png'), '凭证.png');
    expect(fake.status).toBe(400);
    expect(await t.deps.db.repairRequest.count({ where: { penaltyId: id } })).toBe(0);
  });

  it('a revoked licence under the market-supervision bar may not be repaired, whatever its age', async () => {
    const id = await penalty({
      decisionDate: slashDay(-400),
      penaltyCategories: '吊销许可证件',
      licenceAffected: '食品经营许可证 JY14107000000001',
      content: '吊销食品经营许可证',
      fineAmount: '',
      validUntil: slashDay(-400),
    });
    const { agent, token } = await visitor(`/publicity/penalties/${id}/repair`);
    const res = await agent.post(`/publicity/penalties/${id}/repair`).field('_csrf', token).field(body).attach('attachments', PNG, '缴款凭证.png');
    expect(res.status).toBe(303);
    const r = await t.deps.db.repairRequest.findFirstOrThrow({ where: { penaltyId: id } });
    expect(r.status).toBe('refused');
    expect(r.refusalReason).toContain('该行政处罚不适用信用修复（市场监管：吊销许可证件）');
  });

  it('after the minimum the department and the office approve; it takes effect at once, due within 1 working day', async () => {
    const decided = day(-100);
    const id = await penalty({ decisionDate: slashDay(-100), validUntil: slashDay(-100) });
    const { agent, token } = await visitor(`/publicity/penalties/${id}/repair`);
    const res = await agent.post(`/publicity/penalties/${id}/repair`).field('_csrf', token).field(body).attach('attachments', PNG, '缴款凭证.png');
    expect(res.status).toBe(303);
    const r = await t.deps.db.repairRequest.findFirstOrThrow({ where: { penaltyId: id } });
    expect(r.status).toBe('pendingDepartment');
    expect(r.tier).toBe('general');
    expect(isoDay(r.eligibleFrom)).toBe(monthsFrom(3, -100));
    expect(r.rules).toContain('一般失信信息');
    expect(decided < isoDay(r.eligibleFrom)).toBe(true);

    // The office cannot skip the department; another department cannot decide.
    expect((await reviewer.post(`/admin/repairs/${r.id}/office`).type('form').send({ decision: 'approve', _csrf: rt })).status).toBe(409);
    expect((await otherClerk.get(`/admin/repairs/${r.id}`)).status).toBe(403);
    expect((await clerk.post(`/admin/repairs/${r.id}/department`).type('form').send({ decision: 'approve', note: '已核实缴款', _csrf: ct })).status).toBe(303);
    expect((await reviewer.post(`/admin/repairs/${r.id}/office`).type('form').send({ decision: 'approve', _csrf: rt })).status).toBe(303);

    const after = await t.deps.db.repairRequest.findUniqueOrThrow({ where: { id: r.id } });
    expect(after.status).toBe('approved');
    const approvedOn = day(0);
    expect(isoDay(after.effectBy)).toBe(t.deps.publicity.calendar.addWorkingDays(approvedOn, 1));
    expect(after.effectiveAt).not.toBeNull();
    const p = await t.deps.db.penalty.findUniqueOrThrow({ where: { id } });
    expect({ isPublic: p.isPublic, leftReason: p.leftReason, repaired: p.repairedAt !== null }).toEqual({
      isPublic: false,
      leftReason: 'repaired',
      repaired: true,
    });
    expect(isoDay(p.publicUntil) < approvedOn).toBe(true);
    expect((await request(t.app).get(`/publicity/penalties/${id}`)).status).toBe(404);

    // The 信用修复型 commitment is public and names the case.
    const commitment = await t.deps.db.commitment.findUniqueOrThrow({ where: { id: after.commitmentId! } });
    expect(commitment.commitmentType).toBe('信用修复型');
    expect(commitment.disclosure).toBe('可向社会公开');
    expect((await request(t.app).get(`/commitments/${commitment.id}`)).text).toContain(r.caseNo);

    const status = await request(t.app).get(`/repairs/${r.caseNo}`);
    expect(status.text).toContain('已修复，停止公示');
    expect(status.text).toMatch(/data-qa="repair-effect">应于 \d{4}-\d{2}-\d{2} 前生效[^<]*已于/);
    expect((await reviewer.get(`/admin/repairs/${r.id}`)).text).toContain('data-qa="repair-effect"');

    // A later correction of the same 文书号 keeps it out of public view.
    await clerk
      .post(`/admin/penalties/${id}`)
      .type('form')
      .send({
        ...rawRecord('penalty', { documentNo: p.documentNo, decisionDate: slashDay(-100), validUntil: slashDay(-100), content: '罚款人民币 2000 元' }),
        _csrf: ct,
      });
    expect((await t.deps.db.penalty.findUniqueOrThrow({ where: { id } })).content).toBe('罚款人民币 2000 元');
    expect((await request(t.app).get(`/publicity/penalties/${id}`)).status).toBe(404);
    const actions = (await t.deps.db.auditLog.findMany({ where: { targetType: 'repair', targetId: String(r.id) }, orderBy: { id: 'asc' } })).map(
      (a) => a.action,
    );
    expect(actions).toEqual(['repair.submit', 'repair.department', 'repair.office']);
  });

  it('a refusal by the department gives its reason to the applicant; the record stays public', async () => {
    const id = await penalty({ decisionDate: slashDay(-120), validUntil: slashDay(-120) });
    const { agent, token } = await visitor(`/publicity/penalties/${id}/repair`);
    await agent.post(`/publicity/penalties/${id}/repair`).field('_csrf', token).field(body).attach('attachments', PNG, '缴款凭证.png');
    const r = await t.deps.db.repairRequest.findFirstOrThrow({ where: { penaltyId: id } });
    expect((await clerk.post(`/admin/repairs/${r.id}/department`).type('form').send({ decision: 'refuse', _csrf: ct })).status).toBe(400);
    expect((await clerk.post(`/admin/repairs/${r.id}/department`).type('form').send({ decision: 'refuse', note: '罚款尚未缴清', _csrf: ct })).status).toBe(303);
    expect((await request(t.app).get(`/repairs/${r.caseNo}`)).text).toContain('数据来源单位审核不通过：罚款尚未缴清');
    expect((await request(t.app).get(`/publicity/penalties/${id}`)).status).toBe(200);
  });
});

describe('the credit office keeps only what is still lawful', () => {
  it('refuses a minimum-period rule in effect after 2026-03-31; saves a bar with its dates; the public sees both', async () => {
    const page = await reviewer.get('/admin/repair-rules');
    expect(page.text).toContain('最短公示期由失信信息的严重程度决定');
    const rule = await t.deps.db.repairRule.findFirstOrThrow({ where: { name: '消防领域' } });
    expect(isoDay(rule.effectiveTo)).toBe('2026-03-31');
    const token = csrfFrom(page.text);
    const form = {
      name: '消防领域',
      keyword: '消防',
      minMonths: '18',
      repairable: 'yes',
      basis: '地方规定',
      active: 'yes',
      effectiveFrom: '2026-04-01',
      _csrf: token,
    };
    const bad = await reviewer
      .post('/admin/repair-rules')
      .type('form')
      .send({ ...form, id: String(rule.id) });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('最短公示期由失信信息的严重程度决定（《信用修复管理办法》）');
    const bar = await reviewer.post('/admin/repair-rules').type('form').send({
      name: '法律规定不得修复的情形',
      keyword: '终身禁入',
      minMonths: '0',
      repairable: 'no',
      basis: '法律、行政法规规定不得修复的，不予修复',
      active: 'yes',
      effectiveFrom: '2026-04-01',
      _csrf: token,
    });
    expect(bar.status).toBe(303);
    const saved = await t.deps.db.repairRule.findFirstOrThrow({ where: { name: '法律规定不得修复的情形' } });
    expect({ from: isoDay(saved.effectiveFrom), to: saved.effectiveTo }).toEqual({ from: '2026-04-01', to: null });
    const pub = await request(t.app).get('/objections');
    expect(pub.text).toContain('法律、行政法规规定不得修复的，不予修复');
    expect(pub.text).toContain('公示满 3 个月');
    expect(await t.deps.db.auditLog.count({ where: { action: 'repair.rule' } })).toBe(1);
    const stats = await reviewer.get('/admin/statistics');
    expect(stats.text).toMatch(/信用修复申请 <strong>\d+<\/strong> 件（[^）]*已修复，停止公示 1/);
  });
});
