import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom, seedUsers, sessionUser, signIn, type TestApp } from '../helpers/app.js';
import { COMPANY_USCC, rawRecord } from '../helpers/records.js';
import { day } from '../helpers/dates.js';
import { dateColumn } from '../../src/domain/dates.js';

// 《河南省社会信用条例》 Art. 19 (archiving after 5 years, the black-list exception) and Art. 20 (the 失信 state).
let t: TestApp;
let clerk: Awaited<ReturnType<typeof signIn>>;
let reviewer: Awaited<ReturnType<typeof signIn>>;
let token: string;
let seeded: Awaited<ReturnType<typeof seedUsers>>;

beforeAll(async () => {
  t = await createTestApp();
  seeded = await seedUsers(t.deps);
  clerk = await signIn(t.app, 't-clerk');
  reviewer = await signIn(t.app, 't-reviewer');
  token = csrfFrom((await clerk.get('/admin/penalties/new')).text);
});
afterAll(async () => t.close());

const idFrom = (location: string | undefined): number => Number(/\/(\d+)$/.exec(location ?? '')?.[1]);

async function report(over: Record<string, string> = {}): Promise<number> {
  const res = await clerk
    .post('/admin/penalties')
    .type('form')
    .send({ ...rawRecord('penalty', over), _csrf: token });
  expect(res.status, res.text.slice(0, 300)).toBe(303);
  return idFrom(res.headers.location);
}

/** A penalty as it would stand years later: decided on `decided` (pinned), its publicity long over. */
async function decidedOn(id: number, decided: string, legalPersonId: number | null = null) {
  await t.deps.db.penalty.update({
    where: { id },
    data: { decisionDate: dateColumn(decided), publicUntil: dateColumn(decided), isPublic: false, leftReason: 'expired', legalPersonId },
  });
}

async function company(uscc: string, name: string): Promise<number> {
  const lp = await t.deps.db.legalPerson.create({ data: { uscc, name, subjectType: 'organisation' }, select: { id: true } });
  return lp.id;
}

/** A published black-list entry for the legal person, valid until `validUntil`. */
async function blackListed(legalPersonId: number, uscc: string, validUntil: string, serialNo: number) {
  const issue = await t.deps.db.listIssue.create({
    data: { year: 2000 + serialNo, quarter: 1, serialNo, title: `测试第${serialNo}期`, publishedAt: new Date() },
  });
  const base = {
    listType: 'black' as const,
    subjectCategory: 'legal' as const,
    subjectName: '黑名单测试企业',
    uscc,
    legalPersonId,
    basisDocNo: `黑〔${serialNo}〕号`,
    basisAuthority: '新乡市市场监督管理局',
    basisDate: dateColumn('2019-06-01'),
    reason: '严重失信',
    validUntil: dateColumn(validUntil),
  };
  const n = await t.deps.db.listNomination.create({
    data: { ...base, status: 'listed', departmentId: seeded.departmentId, createdById: seeded.users.clerk.id },
  });
  await t.deps.db.listEntry.create({ data: { ...base, issueId: issue.id, nominationId: n.id, department: '新乡市市场监督管理局' } });
}

describe('archiving after 5 years (条例 Art. 19)', () => {
  it('archives from the day after the fifth anniversary, keeps it in the back office, and never re-publishes it', async () => {
    const due = await report({ documentNo: '新市监罚〔2020〕A1号' });
    const lastDay = await report({ documentNo: '新市监罚〔2020〕A2号' });
    await decidedOn(due, '2020-03-01');
    await decidedOn(lastDay, '2020-03-02');

    // On 2025-03-02 the first is past its 5 years, the second on its last day of disclosure.
    expect(await t.deps.publicity.archiveExpired({ today: '2025-03-02', batch: 1 })).toBe(1);
    expect(await t.deps.publicity.archiveExpired({ today: '2025-03-02', batch: 1 })).toBe(0);
    const rows = await t.deps.db.penalty.findMany({ where: { id: { in: [due, lastDay] } }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.archiveReason, r.archivedAt !== null])).toEqual([
      ['five_years', true],
      [null, false],
    ]);

    const page = await clerk.get(`/admin/penalties/${due}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('已归档');
    expect(page.text).toContain('披露期限届满 5 年，自动归档');
    expect((await request(t.app).get(`/publicity/penalties/${due}`)).status).toBe(404);

    // A correction of an archived penalty (the same 机关代码 + 文书号, dated today) must not bring it back.
    const again = await clerk
      .post(`/admin/penalties/${due}`)
      .type('form')
      .send({ ...rawRecord('penalty', { documentNo: '新市监罚〔2020〕A1号' }), _csrf: token });
    expect(again.status, again.text.slice(0, 300)).toBe(303);
    const corrected = await t.deps.db.penalty.findUniqueOrThrow({ where: { id: due } });
    expect(corrected.isPublic).toBe(false);
    expect(corrected.archivedAt).not.toBeNull();
    expect((await request(t.app).get(`/publicity/penalties/${due}`)).status).toBe(404);
  });

  it('keeps a penalty while its subject is on a black list in force, and archives it once the entry has ended', async () => {
    const uscc = '91410700MA9GQ0J614';
    const lp = await company(uscc, '黑名单测试企业');
    const id = await report({ documentNo: '新市监罚〔2019〕B1号', uscc, subjectName: '黑名单测试企业' });
    await decidedOn(id, '2019-05-01', lp);
    await blackListed(lp, uscc, '2025-06-30', 901);

    expect(await t.deps.publicity.archiveExpired({ today: '2025-03-02' })).toBe(0);
    expect((await t.deps.disclosure.view(id, '2025-03-02'))!.heldByBlackList).toBe(true);
    // The entry's validity ended on 2025-06-30: the next night archives.
    // (with A2 of the first test, whose 5 years have ended meanwhile)
    expect(await t.deps.publicity.archiveExpired({ today: '2025-07-01' })).toBe(2);
    expect((await t.deps.db.penalty.findUniqueOrThrow({ where: { id } })).archiveReason).toBe('five_years');
  });

  it('the scan is served by the partial index', async () => {
    const plan = await t.deps.db.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(
      `EXPLAIN SELECT id FROM penalty WHERE archived_at IS NULL AND decision_date <= DATE '2021-12-31'`,
    );
    // With so few rows PostgreSQL may prefer a sequential scan; the index must at least exist and be usable.
    await t.deps.db.$executeRawUnsafe('SET enable_seqscan = off');
    const forced = await t.deps.db.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(
      `EXPLAIN SELECT id FROM penalty WHERE archived_at IS NULL AND decision_date <= DATE '2021-12-31'`,
    );
    await t.deps.db.$executeRawUnsafe('RESET enable_seqscan');
    expect(plan.length).toBeGreaterThan(0);
    expect(forced.map((r) => r['QUERY PLAN']).join('\n')).toContain('penalty_archive_due_idx');
  });
});

describe('the 失信 state (条例 Art. 20)', () => {
  const nomination = (basisDocNo: string) => ({
    listType: 'black',
    subjectCategory: '法人及非法人组织',
    subjectName: '新乡市华兴食品有限公司',
    uscc: COMPANY_USCC,
    basisDocNo,
    basisAuthority: '新乡市市场监督管理局',
    basisDate: day(-1),
    reason: '严重违法失信',
    validUntil: '2099-10-01',
    // 条例 Art. 35: a black-list entry of an organisation names its responsible persons.
    person_legalRepresentative: '张堃',
  });

  it('is 期限内 for a recent penalty, which cannot ground a black-list nomination', async () => {
    await report({ documentNo: '新市监罚〔2026〕S1号' });
    const id = (await t.deps.db.penalty.findFirstOrThrow({ where: { documentNo: '新市监罚〔2026〕S1号' } })).id;
    const page = await clerk.get(`/admin/penalties/${id}`);
    expect(page.text).toContain('失信状态：<strong>期限内</strong>');
    const ct = csrfFrom((await clerk.get('/admin/nominations/new')).text);
    const refused = await clerk
      .post('/admin/nominations')
      .type('form')
      .send({ ...nomination('新市监罚〔2026〕S1号'), _csrf: ct });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('目前状态为「期限内」，尚不是失信信息');
    expect(await t.deps.db.listNomination.count({ where: { basisDocNo: '新市监罚〔2026〕S1号' } })).toBe(0);
  });

  it('moves through 已申请复议 and 已维持 as the department records them (audited); only then may it be nominated', async () => {
    const id = await report({ documentNo: '新市监罚〔2026〕S2号' });
    const filed = await clerk
      .post(`/admin/penalties/${id}/challenges`)
      .type('form')
      .send({ kind: 'review', filedOn: day(-5), note: '当事人申请行政复议', _csrf: token });
    expect(filed.status, filed.text.slice(0, 300)).toBe(303);
    const open = await clerk.get(`/admin/penalties/${id}`);
    expect(open.text).toContain('失信状态：<strong>已申请复议</strong>');
    // While it is open the page offers its outcome, not a second challenge.
    expect(open.text).toContain('data-qa="challenge-outcome-form"');
    expect(open.text).not.toContain('data-qa="challenge-form"');

    // A second challenge while one is open, a date in the future, a reviewer: refused.
    expect(
      (
        await clerk
          .post(`/admin/penalties/${id}/challenges`)
          .type('form')
          .send({ kind: 'litigation', filedOn: day(-1), _csrf: token })
      ).status,
    ).toBe(409);
    const challenge = await t.deps.db.penaltyChallenge.findFirstOrThrow({ where: { penaltyId: id } });
    const future = await clerk
      .post(`/admin/penalties/${id}/challenges/${challenge.id}/outcome`)
      .type('form')
      .send({ outcome: 'upheld', decidedOn: day(3), _csrf: token });
    expect(future.status).toBe(400);
    expect(future.text).toContain('结果日期不能晚于今天');
    const rt = csrfFrom((await reviewer.get(`/admin/penalties/${id}`)).text);
    expect(
      (
        await reviewer
          .post(`/admin/penalties/${id}/challenges/${challenge.id}/outcome`)
          .type('form')
          .send({ outcome: 'upheld', decidedOn: day(0), _csrf: rt })
      ).status,
    ).toBe(403);

    const upheld = await clerk
      .post(`/admin/penalties/${id}/challenges/${challenge.id}/outcome`)
      .type('form')
      .send({ outcome: 'upheld', decidedOn: day(0), _csrf: token });
    expect(upheld.status).toBe(303);
    expect((await clerk.get(`/admin/penalties/${id}`)).text).toContain('失信状态：<strong>已维持</strong>');
    const audit = await t.deps.db.auditLog.findMany({ where: { targetType: 'penalty', targetId: String(id), action: { startsWith: 'penalty.challenge' } } });
    expect(audit.map((a) => a.action).sort()).toEqual(['penalty.challenge', 'penalty.challenge.outcome']);

    const ct = csrfFrom((await clerk.get('/admin/nominations/new')).text);
    const ok = await clerk
      .post('/admin/nominations')
      .type('form')
      .send({ ...nomination('新市监罚〔2026〕S2号'), _csrf: ct });
    expect(ok.status, ok.text.slice(0, 300)).toBe(303);
  });

  it('holds back the publication of an issue (and its joint-measure tasks) whose black-list basis is no longer 失信信息', async () => {
    const id = await report({ documentNo: '新市监罚〔2025〕S5号' });
    // Pinned: decided 2025-01-10, 已生效 since 2025-07-11.
    await t.deps.db.penalty.update({ where: { id }, data: { decisionDate: dateColumn('2025-01-10') } });
    const ct = csrfFrom((await clerk.get('/admin/nominations/new')).text);
    const nominated = await clerk
      .post('/admin/nominations')
      .type('form')
      .send({ ...nomination('新市监罚〔2025〕S5号'), _csrf: ct });
    expect(nominated.status, nominated.text.slice(0, 300)).toBe(303);
    const nid = Number(/(\d+)$/.exec(nominated.headers.location ?? '')?.[1]);
    const rt = csrfFrom((await reviewer.get('/admin/list-issues')).text);
    expect((await reviewer.post(`/admin/nominations/${nid}/review`).type('form').send({ decision: 'accept', comment: '同意', _csrf: rt })).status).toBe(303);
    // 条例 Art. 35: listed only after the prior notice's objection window (served long ago here).
    await t.deps.lists.servePriorNotice(
      nid,
      { noticeNo: '新告〔2025〕9号', measures: '限制参与政府采购和招投标', servedOn: '2025-01-20', objectionDays: 7 },
      sessionUser(seeded),
      null,
    );
    const issue = await reviewer.post('/admin/list-issues').type('form').send({ year: '2026', quarter: '3', _csrf: rt });
    const iid = Number(/(\d+)$/.exec(issue.headers.location ?? '')?.[1]);
    await reviewer
      .post(`/admin/list-issues/${iid}/entries`)
      .type('form')
      .send({ nominationId: String(nid), _csrf: rt });

    // Meanwhile the subject sued: publication (which creates the joint-measure tasks) waits for the outcome.
    await clerk.post(`/admin/penalties/${id}/challenges`).type('form').send({ kind: 'litigation', filedOn: '2025-06-01', _csrf: token });
    const held = await reviewer.post(`/admin/list-issues/${iid}/publish`).type('form').send({ _csrf: rt });
    expect(held.status).toBe(409);
    expect(held.text).toContain('目前状态为「已提起诉讼」');
    expect(await t.deps.db.measureTask.count({ where: { entry: { issueId: iid } } })).toBe(0);

    const c = await t.deps.db.penaltyChallenge.findFirstOrThrow({ where: { penaltyId: id } });
    await clerk.post(`/admin/penalties/${id}/challenges/${c.id}/outcome`).type('form').send({ outcome: 'upheld', decidedOn: '2025-11-20', _csrf: token });
    expect((await reviewer.post(`/admin/list-issues/${iid}/publish`).type('form').send({ _csrf: rt })).status).toBe(303);
  });

  it('is 已生效 once 6 months have passed unchallenged, and 已撤销或变更 when a challenge changed it', async () => {
    const final = await report({ documentNo: '新市监罚〔2025〕S3号' });
    // Pinned: decided 2025-01-10, its limits ended on 2025-07-10, long before any day these tests run.
    await t.deps.db.penalty.update({ where: { id: final }, data: { decisionDate: dateColumn('2025-01-10') } });
    expect((await t.deps.disclosure.view(final))!.state).toBe('final');
    expect((await t.deps.disclosure.view(final, '2025-07-10'))!.state).toBe('withinLimits');

    const changed = await report({ documentNo: '新市监罚〔2026〕S4号' });
    await clerk
      .post(`/admin/penalties/${changed}/challenges`)
      .type('form')
      .send({ kind: 'litigation', filedOn: day(-2), _csrf: token });
    expect((await t.deps.disclosure.view(changed))!.stateLabel).toBe('已提起诉讼');
    const c = await t.deps.db.penaltyChallenge.findFirstOrThrow({ where: { penaltyId: changed } });
    await clerk
      .post(`/admin/penalties/${changed}/challenges/${c.id}/outcome`)
      .type('form')
      .send({ outcome: 'changed', decidedOn: day(0), _csrf: token });
    const v = (await t.deps.disclosure.view(changed))!;
    expect([v.stateLabel, v.dishonest]).toEqual(['已撤销或变更', false]);
  });
});
