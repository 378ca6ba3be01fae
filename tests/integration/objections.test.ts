import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom, seedUsers, signIn, TEST_PASSWORD, type TestApp } from '../helpers/app.js';
import { COMPANY_USCC, rawRecord } from '../helpers/records.js';
import { hashPassword } from '../../src/platform/passwords.js';
import { beijingToday } from '../../src/domain/dates.js';

let t: TestApp;
let clerk: Awaited<ReturnType<typeof signIn>>;
let otherClerk: Awaited<ReturnType<typeof signIn>>;
let reviewer: Awaited<ReturnType<typeof signIn>>;
let ct: string;
let oct: string;
let rt: string;

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
  oct = csrfFrom((await otherClerk.get('/admin/penalties/new')).text);
  rt = csrfFrom((await reviewer.get('/admin/account/password')).text);
});
afterAll(async () => t.close());

async function penalty(over: Record<string, string> = {}): Promise<number> {
  const res = await clerk
    .post('/admin/penalties')
    .type('form')
    .send({ ...rawRecord('penalty', over), _csrf: ct });
  expect(res.status).toBe(303);
  return Number(/\/(\d+)$/.exec(res.headers.location ?? '')?.[1]);
}

/** A visitor's browser: a session for the CSRF token, no sign-in. */
async function visitor(path: string) {
  const agent = request.agent(t.app);
  const page = await agent.get(path);
  expect(page.status).toBe(200);
  return { agent, token: csrfFrom(page.text) };
}

const applicant = { subjectCode: COMPANY_USCC, applicantName: '李华', phone: '13837300000', email: '' };

describe('异议: file → office accepts or refuses → department answers → applicant follows', () => {
  it('a stranger cannot dispute a record that is not theirs, and the form keeps what was typed', async () => {
    const id = await penalty();
    const { agent, token } = await visitor(`/publicity/penalties/${id}/objection`);
    const res = await agent
      .post(`/publicity/penalties/${id}/objection`)
      .field('_csrf', token)
      .field('subjectCode', '91410700MA9XXXXX1X')
      .field('applicantName', '李华')
      .field('phone', '123')
      .field('reason', '罚款金额登记错误，实际为一千元');
    expect(res.status).toBe(400);
    expect(res.text).toContain('联系电话应为 11 位手机号码');
    expect(res.text).toContain('罚款金额登记错误，实际为一千元');
    const wrong = await agent
      .post(`/publicity/penalties/${id}/objection`)
      .field('_csrf', token)
      .field('subjectCode', '91410700MA44C8WJ3X')
      .field('applicantName', '李华')
      .field('phone', '13837300000')
      .field('reason', '罚款金额登记错误，实际为一千元');
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('与该记录的行政相对人不一致');
    const noToken = await request(t.app).post(`/publicity/penalties/${id}/objection`).field('reason', 'x');
    expect(noToken.status).toBe(403);
    expect(await t.deps.db.objection.count()).toBe(0);
  });

  it('runs a whole objection, with deadlines in working days and every step audited', async () => {
    const id = await penalty({ content: '警告，罚款人民币 2000 元' });
    const { agent, token } = await visitor(`/publicity/penalties/${id}/objection`);
    const filed = await agent
      .post(`/publicity/penalties/${id}/objection`)
      .field('_csrf', token)
      .field({ ...applicant, subjectCode: COMPANY_USCC.toLowerCase(), reason: '罚款金额登记错误，处罚决定书写明为一千元', requested: '罚款人民币 1000 元' })
      .attach('attachments', PNG, '决定书.png');
    expect(filed.status).toBe(303);
    const caseNo = /\/objections\/(YY\d{8}[A-Z2-9]{6})$/.exec(filed.headers.location ?? '')?.[1];
    expect(caseNo).toBeTruthy();
    const o = await t.deps.db.objection.findUniqueOrThrow({ where: { caseNo: caseNo! }, include: { attachments: true } });
    expect(o.attachments).toHaveLength(1);
    // 条例 Art. 41: 3 working days of receipt for the office.
    expect(o.acceptBy.toISOString().slice(0, 10)).toBe(t.deps.publicity.calendar.addWorkingDays(beijingToday(), 3));

    // While open, the record says so everywhere the public sees it, and a second objection waits.
    expect((await request(t.app).get(`/publicity/penalties/${id}`)).text).toContain('异议处理中');
    expect((await request(t.app).get('/publicity/penalties')).text).toContain('异议处理中');
    expect((await request(t.app).get(`/subjects/${COMPANY_USCC}`)).text).toContain('异议处理中');
    const again = await agent
      .post(`/publicity/penalties/${id}/objection`)
      .field('_csrf', token)
      .field({ ...applicant, reason: '再次提出异议，金额错误' });
    expect(again.status).toBe(409);

    const page = await request(t.app).get(`/objections/${caseNo}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('待信用办处理');
    expect(page.text).toContain('李*');
    expect(page.text).not.toContain('13837300000');
    expect((await request(t.app).get(`/objections?no=${caseNo!.toLowerCase()}`)).headers.location).toBe(`/objections/${caseNo}`);
    expect((await request(t.app).get('/objections/YY20260101AAAAAA')).status).toBe(404);

    // The department sees nothing until the office has accepted it; a refusal needs a reason.
    expect((await clerk.get(`/admin/objections/${o.id}`)).status).toBe(403);
    expect((await reviewer.get('/admin/objections')).text).toContain('剩余');
    const noReason = await reviewer.post(`/admin/objections/${o.id}/decision`).type('form').send({ decision: 'refuse', _csrf: rt });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain('不予受理须说明理由');
    expect((await reviewer.post(`/admin/objections/${o.id}/decision`).type('form').send({ decision: 'accept', note: '材料齐全', _csrf: rt })).status).toBe(303);
    const accepted = await t.deps.db.objection.findUniqueOrThrow({ where: { id: o.id } });
    expect(accepted.status).toBe('accepted');
    // The department answers within 3 working days of being notified; the case is settled within 7 of receipt.
    expect(accepted.answerBy?.toISOString().slice(0, 10)).toBe(t.deps.publicity.calendar.addWorkingDays(beijingToday(), 3));
    expect(accepted.settleBy?.toISOString().slice(0, 10)).toBe(t.deps.publicity.calendar.addWorkingDays(beijingToday(), 7));
    const twice = await reviewer.post(`/admin/objections/${o.id}/decision`).type('form').send({ decision: 'accept', _csrf: rt });
    expect(twice.status).toBe(409);

    // Only the source department answers, and it cannot claim a correction it has not made.
    expect((await otherClerk.post(`/admin/objections/${o.id}/answer`).type('form').send({ outcome: 'upheld', answer: '经核查无误', _csrf: oct })).status).toBe(
      403,
    );
    const claimed = await clerk.post(`/admin/objections/${o.id}/answer`).type('form').send({ outcome: 'corrected', answer: '已更正罚款金额', _csrf: ct });
    expect(claimed.status).toBe(409);
    expect(claimed.text).toContain('记录尚未更正');
    const rec = await t.deps.db.penalty.findUniqueOrThrow({ where: { id } });
    const fixed = await clerk
      .post(`/admin/penalties/${id}`)
      .type('form')
      .send({ ...rawRecord('penalty', { documentNo: rec.documentNo, content: '警告，罚款人民币 1000 元', fineAmount: '0.1' }), _csrf: ct });
    expect(fixed.status).toBe(303);
    expect(
      (
        await clerk
          .post(`/admin/objections/${o.id}/answer`)
          .type('form')
          .send({ outcome: 'corrected', answer: '经核查，罚款金额登记错误，已更正为 0.1 万元', _csrf: ct })
      ).status,
    ).toBe(303);

    // The answer goes back to the credit office, which settles the case; until then the record stays marked.
    expect((await request(t.app).get(`/publicity/penalties/${id}`)).text).toContain('异议处理中');
    expect((await request(t.app).get(`/objections/${caseNo}`)).text).toContain('数据来源单位已答复，待信用办办结');
    expect((await clerk.post(`/admin/objections/${o.id}/settle`).type('form').send({ outcome: 'corrected', note: '同意', _csrf: ct })).status).toBe(403);
    expect((await reviewer.post(`/admin/objections/${o.id}/settle`).type('form').send({ outcome: 'corrected', note: '经核查已更正', _csrf: rt })).status).toBe(
      303,
    );

    const done = await request(t.app).get(`/objections/${caseNo}`);
    expect(done.text).toContain('已办结，记录已更正');
    expect(done.text).toContain('已更正为 0.1 万元');
    expect((await request(t.app).get(`/publicity/penalties/${id}`)).text).not.toContain('异议处理中');
    const actions = (await t.deps.db.auditLog.findMany({ where: { targetType: 'objection', targetId: String(o.id) }, orderBy: { id: 'asc' } })).map(
      (a) => a.action,
    );
    expect(actions).toEqual(['objection.submit', 'objection.accept', 'objection.answer', 'objection.settle']);
  });
});

describe('异议 on red/black-list entries and on commitments', () => {
  it('a black-list entry: shows 异议处理中; the nominating department answers once the office has published a correction', async () => {
    const clerkUser = await t.deps.db.user.findUniqueOrThrow({ where: { username: 't-clerk' } });
    const reviewerUser = await t.deps.db.user.findUniqueOrThrow({ where: { username: 't-reviewer' } });
    const asUser = (u: typeof clerkUser) => ({
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      departmentId: u.departmentId,
      departmentName: null,
    });
    const n = await t.deps.lists.nominate(
      {
        listType: 'black',
        subjectCategory: 'legal',
        subjectName: '新乡市华兴食品有限公司',
        uscc: COMPANY_USCC,
        docType: null,
        docNumber: null,
        basisDocNo: '新市监认〔2026〕9号',
        basisAuthority: '新乡市市场监督管理局',
        basisDate: '2026-09-01',
        reason: '严重违法失信',
        validUntil: '2029-09-01',
      },
      asUser(clerkUser),
      null,
    );
    await t.deps.lists.review(n, 'accept', undefined, asUser(reviewerUser), null);
    await t.deps.lists.servePriorNotice(
      n,
      { noticeNo: '新告〔2020〕1号', measures: '限制参与政府采购和招投标', servedOn: '2020-01-06', objectionDays: 7 },
      asUser(reviewerUser),
      null,
    );
    const issue = await t.deps.lists.createIssue(2026, 3, asUser(reviewerUser), null);
    await t.deps.lists.addEntries(issue, [n], asUser(reviewerUser), null);
    await t.deps.lists.publish(issue, asUser(reviewerUser), null);
    const entry = await t.deps.db.listEntry.findFirstOrThrow({ where: { nominationId: n } });

    expect((await request(t.app).get('/lists/black')).text).toContain(`/lists/entries/${entry.id}/objection`);
    const { agent, token } = await visitor(`/lists/entries/${entry.id}/objection`);
    const filed = await agent
      .post(`/lists/entries/${entry.id}/objection`)
      .field('_csrf', token)
      .field({ ...applicant, reason: '认定文号有误，应为新市监认〔2026〕19号' });
    expect(filed.status).toBe(303);
    const o = await t.deps.db.objection.findFirstOrThrow({ where: { listEntryId: entry.id } });
    expect(o.documentNo).toBe('新市监认〔2026〕9号');
    expect((await request(t.app).get('/lists/black')).text).toContain('异议处理中');
    expect((await request(t.app).get(`/lists/${issue}`)).text).toContain('异议处理中');
    expect((await request(t.app).get(`/subjects/${COMPANY_USCC}`)).text).toMatch(/data-qa="section-black"[\s\S]*异议处理中/);

    await reviewer.post(`/admin/objections/${o.id}/decision`).type('form').send({ decision: 'accept', _csrf: rt });
    const early = await clerk.post(`/admin/objections/${o.id}/answer`).type('form').send({ outcome: 'corrected', answer: '认定文号已更正', _csrf: ct });
    expect(early.status).toBe(409);
    expect(early.text).toContain('请先商信用办发布更正公告或办理退出');
    await t.deps.lists.correct(issue, '第 3 期黑名单中新乡市华兴食品有限公司的认定文号更正为新市监认〔2026〕19号', asUser(reviewerUser), null);
    expect(
      (await clerk.post(`/admin/objections/${o.id}/answer`).type('form').send({ outcome: 'corrected', answer: '认定文号已更正并发布更正公告', _csrf: ct }))
        .status,
    ).toBe(303);
    await reviewer.post(`/admin/objections/${o.id}/settle`).type('form').send({ outcome: 'corrected', note: '已发布更正公告', _csrf: rt });
    expect((await request(t.app).get(`/objections/${o.caseNo}`)).text).toContain('已办结，记录已更正');
  });

  it('a public commitment: the accepting department answers', async () => {
    const dept = await t.deps.db.department.findFirstOrThrow({ where: { name: '新乡市市场监督管理局' } });
    const clerkUser = await t.deps.db.user.findUniqueOrThrow({ where: { username: 't-clerk' } });
    const c = await t.deps.commitments.createOne(
      {
        promisorName: '新乡市华兴食品有限公司',
        promisorCategory: 'legal',
        promisorCode: COMPANY_USCC,
        commitmentType: '容缺受理型',
        matter: '食品经营许可容缺受理',
        content: '30 日内补齐材料',
        liability: '撤销许可',
        madeOn: '2026-11-01',
        validUntil: null,
        disclosure: '可向社会公开',
        remark: null,
        fulfilment: null,
        unfulfilledContent: null,
        liabilityPursued: null,
      },
      dept.id,
      clerkUser.id,
    );
    const { agent, token } = await visitor(`/commitments/${c.id}/objection`);
    expect(
      (
        await agent
          .post(`/commitments/${c.id}/objection`)
          .field('_csrf', token)
          .field({ ...applicant, reason: '承诺已于 11 月 20 日全部履行，状态未更新' })
      ).status,
    ).toBe(303);
    expect((await request(t.app).get(`/commitments/${c.id}`)).text).toContain('异议处理中');
    const o = await t.deps.db.objection.findFirstOrThrow({ where: { commitmentId: c.id } });
    await reviewer.post(`/admin/objections/${o.id}/decision`).type('form').send({ decision: 'accept', _csrf: rt });
    expect((await otherClerk.post(`/admin/objections/${o.id}/answer`).type('form').send({ outcome: 'upheld', answer: '经核查无误', _csrf: oct })).status).toBe(
      403,
    );
    expect(
      (await clerk.post(`/admin/objections/${o.id}/answer`).type('form').send({ outcome: 'upheld', answer: '经核查，承诺期限未届满，维持', _csrf: ct })).status,
    ).toBe(303);
    expect((await request(t.app).get(`/commitments/${c.id}`)).text).toContain('异议处理中');
    await reviewer.post(`/admin/objections/${o.id}/settle`).type('form').send({ outcome: 'upheld', note: '维持', _csrf: rt });
    expect((await request(t.app).get(`/commitments/${c.id}`)).text).not.toContain('异议处理中');
  });
});

describe('the dashboard counts what waits for each side, overdue apart', () => {
  it('shows the office its objections to accept, the department those to answer', async () => {
    const id = await penalty();
    const rec = await t.deps.db.penalty.findUniqueOrThrow({ where: { id } });
    const base = {
      penaltyId: id,
      departmentId: rec.departmentId,
      subjectName: rec.subjectName,
      subjectCode: COMPANY_USCC,
      applicantName: '李华',
      phone: '13837300000',
      reason: '金额有误金额有误金额有误',
    };
    await t.deps.db.objection.create({ data: { ...base, caseNo: 'YY20260102AAAAAA', acceptBy: new Date('2026-01-06') } });
    await t.deps.db.objection.create({
      data: { ...base, caseNo: 'YY20260102BBBBBB', status: 'accepted', acceptBy: new Date('2026-01-06'), answerBy: new Date('2099-01-01') },
    });
    const office = await reviewer.get('/admin');
    expect(office.text).toMatch(/count-tiles__num">1<\/span><span class="count-tiles__label">待处理的异议/);
    expect(office.text).toContain('其中已超期 1 件');
    const dept = await clerk.get('/admin');
    expect(dept.text).toMatch(/count-tiles__num">\d+<\/span><span class="count-tiles__label">待核查答复的异议/);
    expect((await otherClerk.get('/admin')).text).toMatch(/count-tiles__num">0<\/span><span class="count-tiles__label">待核查答复的异议/);
    await t.deps.db.objection.deleteMany({ where: { caseNo: { in: ['YY20260102AAAAAA', 'YY20260102BBBBBB'] } } });
  });
});
