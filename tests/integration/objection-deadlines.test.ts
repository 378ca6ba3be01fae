import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedUsers, sessionUser, type TestApp } from '../helpers/app.js';
import { COMPANY_USCC, rawRecord } from '../helpers/records.js';
import { CaseService } from '../../src/features/cases/service.js';
import { CaseRepository } from '../../src/features/cases/repository.js';
import { objectionKind } from '../../src/features/cases/objection/definition.js';
import { recordSchema } from '../../src/domain/publicity/schemas.js';
import { isoDay } from '../../src/domain/dates.js';

/**
 * 条例 Art. 41 on the official calendar, with every date pinned: the Spring Festival of 2026 (days off
 * 2026-02-15 … 02-23, 调休 working Saturdays 02-14 and 02-28, holidays-cn.ts). The service runs on a clock the
 * test sets, over the real database, so nothing depends on the day the suite runs.
 */

let t: TestApp;
let pool: pg.Pool;
let seeded: Awaited<ReturnType<typeof seedUsers>>;
let clerk: Express.User;
let reviewer: Express.User;
let penaltyId: number;
let day = '2026-02-13';

const effects = { commitmentContext: () => Promise.reject(new Error('not used')), publicityChanged: () => undefined };
/** The case workflow as the app builds it, but on the pinned day. */
let cases: CaseService;

beforeAll(async () => {
  t = await createTestApp();
  seeded = await seedUsers(t.deps);
  clerk = sessionUser(seeded);
  reviewer = { id: seeded.users.reviewer.id, username: 't-reviewer', displayName: 'r', role: 'reviewer', departmentId: null, departmentName: null };
  pool = new pg.Pool({ connectionString: t.database.url, max: 2 });
  cases = new CaseService(
    new CaseRepository(t.deps.db, pool),
    t.deps.audit,
    () => t.deps.publicity.calendar,
    effects,
    '/tmp',
    () => new Date(`${day}T02:00:00Z`),
  );
  const saved = await t.deps.publicity.saveOne('penalty', recordSchema('penalty').parse(rawRecord('penalty')), clerk, null);
  if (!saved.ok) throw new Error('could not create the penalty');
  penaltyId = saved.id;
});
afterAll(async () => {
  await pool.end();
  await t.close();
});

const filing = {
  subjectCode: COMPANY_USCC,
  applicantName: '李华',
  phone: '13837300000',
  email: null,
  reason: '罚款金额登记错误，决定书写明为一千元',
  requested: null,
};

async function file(on: string): Promise<number> {
  day = on;
  // One open objection per record: close the previous test's case first.
  await t.deps.db.objection.updateMany({ where: { penaltyId, status: { in: ['submitted', 'accepted', 'answered'] } }, data: { status: 'upheld' } });
  const filed = await cases.file(objectionKind, { kind: 'penalty', id: penaltyId }, filing, [], null);
  return filed.id;
}

async function step(name: string, id: number, body: Record<string, string>, user: Express.User, on: string) {
  day = on;
  const s = objectionKind.steps.find((x) => x.name === name)!;
  const out = await cases.take(objectionKind, s, id, body, user, null);
  expect(out).not.toHaveProperty('errors');
}

const row = (id: number) => t.deps.db.objection.findUniqueOrThrow({ where: { id } });
const todoOf = async (user: Express.User, on: string) => {
  day = on;
  return cases.todo(objectionKind, user);
};

describe('条例 Art. 41 deadlines across the 2026 Spring Festival', () => {
  it('the office has 3 working days of receipt: a Friday filing before the holiday is due on 02-25, counting the 调休 Saturday', async () => {
    const id = await file('2026-02-13');
    expect(isoDay((await row(id)).acceptBy)).toBe('2026-02-25');
    // Due today on the 25th, overdue on the 26th; the office's dashboard says so in words.
    const [submitted] = await todoOf(reviewer, '2026-02-25');
    expect(submitted).toMatchObject({ label: '待处理的异议', open: 1, dueToday: 1, overdue: 0 });
    expect((await todoOf(reviewer, '2026-02-26'))[0]).toMatchObject({ open: 1, dueToday: 0, overdue: 1 });
    day = '2026-02-26';
    const view = await objectionKind.adminView((await cases.forUser(objectionKind, id, reviewer))!, cases.viewContext());
    expect(view.acceptDue).toMatchObject({ by: '2026-02-25', overdue: true, text: '已超期 1 个工作日' });
    // Settled by the office itself: the case closes and no deadline runs any more.
    await step('decision', id, { decision: 'upheld', note: '经核实，平台展示与报送数据一致' }, reviewer, '2026-02-26');
    expect((await row(id)).status).toBe('upheld');
    expect((await todoOf(reviewer, '2026-02-26'))[0]).toMatchObject({ open: 0, overdue: 0 });
  });

  it('forwarded on the 调休 Saturday: the department answers within 3 working days of notice, the case within 7 of receipt', async () => {
    const id = await file('2026-02-13');
    await step('decision', id, { decision: 'accept', note: '' }, reviewer, '2026-02-14');
    const forwarded = await row(id);
    expect(isoDay(forwarded.answerBy)).toBe('2026-02-26');
    expect(isoDay(forwarded.settleBy)).toBe('2026-03-02');

    // The department's dashboard: the case waiting for its answer, due today on the 26th, overdue on the 27th.
    expect((await todoOf(clerk, '2026-02-24'))[0]).toMatchObject({ label: '待核查答复的异议', open: 1, dueToday: 0, overdue: 0 });
    expect((await todoOf(clerk, '2026-02-26'))[0]).toMatchObject({ open: 1, dueToday: 1, overdue: 0 });
    expect((await todoOf(clerk, '2026-02-27'))[0]).toMatchObject({ open: 1, dueToday: 0, overdue: 1 });
    // The office answers for the whole case: it sees the department is late too.
    expect((await todoOf(reviewer, '2026-02-27'))[2]).toMatchObject({ label: '数据来源单位核查中的异议', open: 1, overdue: 1 });

    await step('answer', id, { outcome: 'upheld', answer: '经核查，原记录无误' }, clerk, '2026-02-27');
    expect((await row(id)).status).toBe('answered');
    // The office's second line: answered cases to settle by 03-02 (the 调休 Saturday 02-28 counts).
    const office = await todoOf(reviewer, '2026-03-02');
    expect(office[1]).toMatchObject({ label: '部门已答复、待办结的异议', open: 1, dueToday: 1, overdue: 0 });
    expect((await todoOf(reviewer, '2026-03-03'))[1]).toMatchObject({ open: 1, overdue: 1 });
    await step('settle', id, { outcome: 'upheld', note: '维持原记录' }, reviewer, '2026-03-02');
    expect(await row(id)).toMatchObject({ status: 'upheld', settleNote: '维持原记录' });
  });

  it('a pause for an expert review moves the running dates by the paused working days, and is audited', async () => {
    const id = await file('2026-02-13');
    await step('decision', id, { decision: 'accept', note: '' }, reviewer, '2026-02-14');
    // Only the department verifying this case (or the office) may pause it.
    day = '2026-02-24';
    const otherDept = { ...clerk, departmentId: seeded.otherDepartmentId };
    await expect(cases.startPause(id, { reason: 'expertReview', note: '委托专家评审处罚依据' }, otherDept, null)).rejects.toThrow(/只有信用办/);
    await cases.startPause(id, { reason: 'expertReview', note: '委托专家评审处罚依据' }, clerk, null);
    await expect(cases.startPause(id, { reason: 'testing', note: '再次暂停' }, clerk, null)).rejects.toThrow(/已在暂停计时中/);
    // Paused: past its date, yet neither overdue nor due on the dashboard, and no step can be taken meanwhile.
    expect((await todoOf(clerk, '2026-02-27'))[0]).toMatchObject({ open: 1, dueToday: 0, overdue: 0 });
    day = '2026-02-27';
    const s = objectionKind.steps.find((x) => x.name === 'answer')!;
    await expect(cases.take(objectionKind, s, id, { outcome: 'upheld', answer: '经核查无误' }, clerk, null)).rejects.toThrow(/暂停计时/);

    // Ended on Friday 02-27: 02-25, 02-26 and 02-27 did not count.
    expect(await cases.endPause(id, clerk, null)).toEqual({ pausedWorkdays: 3 });
    const moved = await row(id);
    // 02-26 + 3: 02-27, 02-28 (调休 Saturday), 03-02; and the case's 03-02 + 3.
    expect(isoDay(moved.answerBy)).toBe('2026-03-02');
    expect(isoDay(moved.settleBy)).toBe('2026-03-05');
    expect(moved.pausedSince).toBeNull();
    const pauses = await t.deps.db.objectionPause.findMany({ where: { objectionId: id } });
    expect(pauses).toHaveLength(1);
    expect(pauses[0]).toMatchObject({ reason: 'expertReview', pausedWorkdays: 3 });
    const audit = (await t.deps.db.auditLog.findMany({ where: { targetType: 'objection', targetId: String(id) }, orderBy: { id: 'asc' } })).map(
      (a) => a.action,
    );
    expect(audit).toEqual(['objection.submit', 'objection.accept', 'objection.pause', 'objection.resume']);
  });

  it('a pause before forwarding also lengthens the whole case', async () => {
    const id = await file('2026-02-13');
    day = '2026-02-24';
    await cases.startPause(id, { reason: 'appraisal', note: '委托司法鉴定' }, reviewer, null);
    day = '2026-02-26';
    expect(await cases.endPause(id, reviewer, null)).toEqual({ pausedWorkdays: 2 });
    expect(isoDay((await row(id)).acceptBy)).toBe('2026-02-27');
    await step('decision', id, { decision: 'accept', note: '' }, reviewer, '2026-02-26');
    const forwarded = await row(id);
    expect(isoDay(forwarded.answerBy)).toBe('2026-03-02');
    // 7 working days of receipt (03-02) moved by the 2 paused ones.
    expect(isoDay(forwarded.settleBy)).toBe('2026-03-04');
  });

  it('open cases filed under the old 2 + 10 rule get Art. 41 dates from their receipt; closed ones keep theirs', async () => {
    const rec = await t.deps.db.penalty.findUniqueOrThrow({ where: { id: penaltyId } });
    const base = {
      departmentId: rec.departmentId,
      subjectName: rec.subjectName,
      subjectCode: COMPANY_USCC,
      applicantName: '李华',
      phone: '13837300000',
      reason: '旧规则下的异议',
    };
    // 17:30 UTC on 02-12 is 01:30 on 02-13 in Beijing: received on the 13th.
    const submittedAt = new Date('2026-02-12T17:30:00Z');
    const waiting = await t.deps.db.objection.create({
      data: { ...base, caseNo: 'YY20260213LEGACA', deadlineRule: 'legacy', submittedAt, acceptBy: new Date('2026-02-24') },
    });
    const forwarded = await t.deps.db.objection.create({
      data: {
        ...base,
        caseNo: 'YY20260213LEGACB',
        deadlineRule: 'legacy',
        status: 'accepted',
        submittedAt,
        acceptBy: new Date('2026-02-24'),
        officeDecidedAt: new Date('2026-02-14T03:00:00Z'),
        answerBy: new Date('2026-03-02'),
      },
    });
    const closed = await t.deps.db.objection.create({
      data: { ...base, caseNo: 'YY20260213LEGACC', deadlineRule: 'legacy', status: 'refused', submittedAt, acceptBy: new Date('2026-02-24') },
    });
    const fresh = new CaseService(
      new CaseRepository(t.deps.db, pool),
      t.deps.audit,
      () => t.deps.publicity.calendar,
      effects,
      '/tmp',
      () => new Date(`${day}T02:00:00Z`),
    );
    expect(await fresh.upgradeLegacyDeadlines()).toBe(2);
    expect(await row(waiting.id)).toMatchObject({ deadlineRule: 'art41' });
    expect(isoDay((await row(waiting.id)).acceptBy)).toBe('2026-02-25');
    const f = await row(forwarded.id);
    expect([isoDay(f.answerBy), isoDay(f.settleBy)]).toEqual(['2026-02-26', '2026-03-02']);
    expect(await row(closed.id)).toMatchObject({ deadlineRule: 'closed', acceptBy: new Date('2026-02-24') });
    expect(await fresh.upgradeLegacyDeadlines()).toBe(0);
    await t.deps.db.objection.deleteMany({ where: { id: { in: [waiting.id, forwarded.id, closed.id] } } });
  });
});

describe('条例 Art. 41: 异议处理中 on every public surface at once', () => {
  it('detail, list, profile, search flag, credit report, 信用核查 — from filing until the case is settled', async () => {
    const saved = await t.deps.publicity.saveOne(
      'penalty',
      recordSchema('penalty').parse(
        rawRecord('penalty', { content: '罚款人民币 12 万元', fineAmount: '12', penaltyCategories: '罚款', tier: '严重', tierReason: '情节严重' }),
      ),
      clerk,
      null,
    );
    if (!saved.ok) throw new Error('could not create the penalty');
    const id = saved.id;
    const filed = await t.deps.cases.file(objectionKind, { kind: 'penalty', id }, { ...filing, reason: '罚款金额有误，应为一万二千元' }, [], null);
    const marked = async () => {
      const detail = (await request(t.app).get(`/publicity/penalties/${id}`)).text;
      const list = (await request(t.app).get('/publicity/penalties')).text;
      const profile = (await request(t.app).get(`/subjects/${COMPANY_USCC}`)).text;
      const search = (await request(t.app).get(`/search?q=${COMPANY_USCC}`)).text;
      const report = await t.deps.profiles.byUscc(COMPANY_USCC, { full: true });
      const reported = report!.sections.flatMap((sec) => sec.records).find((r) => r.kind === 'penalty' && r.id === id);
      const check = await t.deps.creditCheck.check([COMPANY_USCC]);
      return {
        detail: detail.includes('异议处理中'),
        list: list.includes('异议处理中'),
        profile: profile.includes('异议处理中'),
        search: search.includes('data-qa="badge-disputed"'),
        report: reported?.disputed === true && reported.fields.some((f) => f.value === '异议处理中'),
        check: check.rows[0]!.seriousPenalties.some((p) => p.disputed === true),
      };
    };
    const everywhere = { detail: true, list: true, profile: true, search: true, report: true, check: true };
    expect(await marked()).toEqual(everywhere);
    // Forwarded and answered: still being handled, still marked.
    const o = await t.deps.db.objection.update({ where: { id: filed.id }, data: { status: 'answered' } });
    expect(await marked()).toEqual(everywhere);
    // Settled (and the earlier tests' cases on the other penalty too): no mark anywhere.
    await t.deps.db.objection.updateMany({ where: { OR: [{ id: o.id }, { penaltyId }] }, data: { status: 'upheld' } });
    expect(await marked()).toEqual({ detail: false, list: false, profile: false, search: false, report: false, check: false });
  });
});
