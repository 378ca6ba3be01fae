import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom, seedUsers, signIn, type TestApp } from '../helpers/app.js';
import { COMPANY_USCC, rawRecord } from '../helpers/records.js';
import { dateColumn } from '../../src/domain/dates.js';
import { day } from '../helpers/dates.js';

// 档案化申请 (《河南省社会信用条例》 Art. 44): filing by 文书号 and code, the rule's immediate refusals, the office's decision.
let t: TestApp;
let seeded: Awaited<ReturnType<typeof seedUsers>>;
let clerk: Awaited<ReturnType<typeof signIn>>;
let reviewer: Awaited<ReturnType<typeof signIn>>;
let ct: string;
let rt: string;

beforeAll(async () => {
  t = await createTestApp();
  seeded = await seedUsers(t.deps);
  clerk = await signIn(t.app, 't-clerk');
  reviewer = await signIn(t.app, 't-reviewer');
  ct = csrfFrom((await clerk.get('/admin/penalties/new')).text);
  rt = csrfFrom((await reviewer.get('/admin/account/password')).text);
});
afterAll(async () => t.close());

async function penalty(over: Record<string, string> = {}): Promise<number> {
  const res = await clerk
    .post('/admin/penalties')
    .type('form')
    .send({ ...rawRecord('penalty', over), _csrf: ct });
  expect(res.status, res.text.slice(0, 300)).toBe(303);
  return Number(/\/(\d+)$/.exec(res.headers.location ?? '')?.[1]);
}

/** A visitor files from the lookup: 文书号 + code lead to the form, which is then submitted. */
async function file(documentNo: string, subjectCode = COMPANY_USCC) {
  const agent = request.agent(t.app);
  const found = await agent.get('/archive-requests').query({ documentNo, subjectCode });
  expect(found.status, found.text.slice(0, 200)).toBe(303);
  const form = await agent.get(found.headers.location!);
  expect(form.status).toBe(200);
  const res = await agent
    .post(found.headers.location!)
    .field('_csrf', csrfFrom(form.text))
    .field({ subjectCode, applicantName: '李华', phone: '13837300000', email: '', reason: '公示期已届满，申请归档' });
  expect(res.status, res.text.slice(0, 300)).toBe(303);
  return { form, caseNo: /\/archive-requests\/(GD\w+)$/.exec(res.headers.location ?? '')![1]! };
}

// Decided on 2024-01-15 (pinned): a 一般 penalty, published one year, long out of publicity on any day these tests run.
const OLD = { decisionDate: '2024/01/15', validUntil: '2024/01/15' };

describe('档案化申请', () => {
  it('a penalty out of publicity: filed by 文书号 and code, archived on the office’s approval, then out of every use', async () => {
    const id = await penalty({ ...OLD, documentNo: '新市监罚〔2024〕G1号' });
    expect((await t.deps.db.penalty.findUniqueOrThrow({ where: { id } })).isPublic).toBe(false);

    // The lookup needs both, and a stranger's code finds nothing.
    expect((await request(t.app).get('/archive-requests').query({ documentNo: '新市监罚〔2024〕G1号' })).status).toBe(400);
    expect((await request(t.app).get('/archive-requests').query({ documentNo: '新市监罚〔2024〕G1号', subjectCode: '91410700MA9GQ0J614' })).status).toBe(404);

    const { form, caseNo } = await file('新市监罚〔2024〕G1号');
    // The form names the record by what the applicant typed; the subject's name is not shown.
    expect(form.text).toContain('新市监罚〔2024〕G1号');
    expect(form.text).not.toContain('新乡市华兴食品有限公司');
    const c = await t.deps.db.archiveRequest.findUniqueOrThrow({ where: { caseNo } });
    expect(c.status).toBe('pendingOffice');
    expect(c.officeBy).not.toBeNull();
    expect((await request(t.app).get(`/objections`).query({ no: caseNo })).headers.location).toBe(`/archive-requests/${caseNo}`);

    // The department sees the case, the office decides.
    expect((await clerk.get(`/admin/archive-requests/${c.id}`)).status).toBe(200);
    expect((await clerk.post(`/admin/archive-requests/${c.id}/office`).type('form').send({ decision: 'approve', _csrf: ct })).status).toBe(403);
    const refusedNoReason = await reviewer.post(`/admin/archive-requests/${c.id}/office`).type('form').send({ decision: 'refuse', _csrf: rt });
    expect(refusedNoReason.status).toBe(400);
    expect(refusedNoReason.text).toContain('不予归档须说明理由');
    expect((await reviewer.post(`/admin/archive-requests/${c.id}/office`).type('form').send({ decision: 'approve', _csrf: rt })).status).toBe(303);

    const p = await t.deps.db.penalty.findUniqueOrThrow({ where: { id } });
    expect([p.archiveReason, p.archivedAt !== null, p.isPublic]).toEqual(['requested', true, false]);
    expect((await request(t.app).get(`/archive-requests/${caseNo}`)).text).toContain('已归档');
    expect((await clerk.get(`/admin/penalties/${id}`)).text).toContain('信用主体申请归档，经信用办审核同意');
    // Archived: no second request, and the credit check no longer uses it.
    expect((await request(t.app).get('/archive-requests').query({ documentNo: '新市监罚〔2024〕G1号', subjectCode: COMPANY_USCC })).status).toBe(404);
    const actions = (await t.deps.db.auditLog.findMany({ where: { action: { startsWith: 'archive.' } }, orderBy: { id: 'asc' } })).map((a) => a.action);
    expect(actions).toEqual(['archive.submit', 'archive.office']);
  });

  it('an archived penalty leaves the open exports', async () => {
    // 500 days ago: out of its one year of publicity. (The 信用核查 reads only public records — penalty-in-use.ts —
    // so an archivable penalty never reaches it; repair-everywhere.test.ts covers that surface.)
    const decided = day(-500).replace(/-/g, '/');
    const id = await penalty({
      decisionDate: decided,
      validUntil: decided,
      documentNo: '新市监罚〔2025〕G4号',
      fineAmount: '20',
      content: '罚款人民币 20 万元',
    });
    const exported = () => t.deps.exportRepo.count('penalty', new Date('2000-01-01T00:00:00Z'));
    const before = await exported();

    const { caseNo } = await file('新市监罚〔2025〕G4号');
    const c = await t.deps.db.archiveRequest.findUniqueOrThrow({ where: { caseNo } });
    expect((await reviewer.post(`/admin/archive-requests/${c.id}/office`).type('form').send({ decision: 'approve', _csrf: rt })).status).toBe(303);
    expect((await t.deps.db.penalty.findUniqueOrThrow({ where: { id } })).archiveReason).toBe('requested');
    expect(await exported()).toBe(before - 1);
  });

  it('a penalty still in publicity is recorded and refused at once, with the reason', async () => {
    await penalty({ documentNo: '新市监罚〔2026〕G2号' });
    const { form, caseNo } = await file('新市监罚〔2026〕G2号');
    expect(form.text).toContain('该申请将不予归档');
    const c = await t.deps.db.archiveRequest.findUniqueOrThrow({ where: { caseNo } });
    expect(c.status).toBe('refused');
    expect(c.refusalReason).toContain('该处罚仍在公示期内');
    expect((await request(t.app).get(`/archive-requests/${caseNo}`)).text).toContain('不予归档');
  });

  it('is refused while the subject is on a black list in force (条例 Art. 19)', async () => {
    const id = await penalty({ ...OLD, documentNo: '新市监罚〔2024〕G3号' });
    const lp = await t.deps.db.legalPerson.upsert({
      where: { uscc: COMPANY_USCC },
      update: {},
      create: { uscc: COMPANY_USCC, name: '新乡市华兴食品有限公司', subjectType: 'organisation' },
    });
    await t.deps.db.penalty.update({ where: { id }, data: { legalPersonId: lp.id } });
    const issue = await t.deps.db.listIssue.create({ data: { year: 2026, quarter: 1, serialNo: 77, title: '第77期', publishedAt: new Date() } });
    const base = {
      listType: 'black' as const,
      subjectCategory: 'legal' as const,
      subjectName: '新乡市华兴食品有限公司',
      uscc: COMPANY_USCC,
      legalPersonId: lp.id,
      basisDocNo: '新市监认〔2025〕1号',
      basisAuthority: '新乡市市场监督管理局',
      basisDate: dateColumn('2025-06-01'),
      reason: '严重失信',
      validUntil: dateColumn('2099-12-31'),
    };
    const n = await t.deps.db.listNomination.create({
      data: { ...base, status: 'listed', departmentId: seeded.departmentId, createdById: seeded.users.clerk.id },
    });
    await t.deps.db.listEntry.create({ data: { ...base, issueId: issue.id, nominationId: n.id, department: '新乡市市场监督管理局' } });

    const { caseNo } = await file('新市监罚〔2024〕G3号');
    const c = await t.deps.db.archiveRequest.findUniqueOrThrow({ where: { caseNo } });
    expect(c.status).toBe('refused');
    expect(c.refusalReason).toContain('黑名单');
    expect((await t.deps.db.penalty.findUniqueOrThrow({ where: { id } })).archivedAt).toBeNull();
  });
});
