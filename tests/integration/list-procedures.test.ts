import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binary, createTestApp, csrfFrom, seedUsers, sessionUser, signIn, type TestApp } from '../helpers/app.js';
import { COMPANY_USCC, rawRecord } from '../helpers/records.js';
import { recordSchema } from '../../src/domain/publicity/schemas.js';
import { addDays, beijingToday, dateColumn } from '../../src/domain/dates.js';
import { usccCheckChar } from '../../src/domain/identifiers.js';
import { priorNoticeParagraphs } from '../../src/features/lists/prior-notice.js';
import { KEYS_PATH } from '../../src/features/reports/routes.js';
import { parsePublishedKeys, verifyPdf } from '../../src/features/reports/signing.js';
import type { NominationInput } from '../../src/features/lists/schemas.js';
import { confirmListNotices } from '../../src/jobs.js';

/**
 * 河南省社会信用条例 Art. 28 and 35 (docs/domain.md "List procedures"): the red-list 公示期, the black-list prior
 * notice and its objection window, the responsible persons of an organisation. Every date the rules compare is
 * either pinned (long past, far future) or passed in as `today`, so the tests hold on any day at any hour.
 */

let t: TestApp;
let seeded: Awaited<ReturnType<typeof seedUsers>>;
let clerkUser: Express.User;
let reviewerUser: Express.User;
let quarter = 0;

const uscc = (body17: string) => body17 + usccCheckChar(body17);
const RED_USCC = uscc('91410700MA3X00001');
const BLACK_USCC = uscc('91410700MA3X00002');
/** A 法定代表人's ID number as a 双公示 penalty reports it (CF_FR_ZJHM): it must never reach a list page. */
const REP_ID = '410702198001011232';

const base = (over: Partial<NominationInput>): NominationInput => ({
  listType: 'red',
  subjectCategory: 'legal',
  subjectName: '新乡市守信示范有限公司',
  uscc: RED_USCC,
  docType: null,
  docNumber: null,
  basisDocNo: '新文明〔2025〕1号',
  basisAuthority: '新乡市精神文明建设办公室',
  basisDate: '2025-06-30',
  reason: '连续三年纳税信用 A 级',
  validUntil: '2099-12-31',
  ...over,
});

/** Nominated by the clerk, accepted by the office; returns the nomination's id. */
async function accepted(over: Partial<NominationInput>): Promise<number> {
  const id = await t.deps.lists.nominate(base(over), clerkUser, null);
  await t.deps.lists.review(id, 'accept', undefined, reviewerUser, null);
  return id;
}

/** A new draft issue with these nominations in it, published; returns the issue's id. */
async function published(ids: number[], noticeDays?: number): Promise<number> {
  quarter += 1;
  const issue = await t.deps.lists.createIssue(2000 + quarter, 1, reviewerUser, null, noticeDays);
  await t.deps.lists.addEntries(issue, ids, reviewerUser, null);
  await t.deps.lists.publish(issue, reviewerUser, null);
  return issue;
}

const entryOf = (nominationId: number) => t.deps.db.listEntry.findFirstOrThrow({ where: { nominationId } });

beforeAll(async () => {
  t = await createTestApp();
  seeded = await seedUsers(t.deps);
  clerkUser = sessionUser(seeded);
  reviewerUser = { ...clerkUser, id: seeded.users.reviewer.id, username: 't-reviewer', role: 'reviewer' };
  // A measure for each list, so confirmation can be seen to start the joint measures.
  for (const listType of ['red', 'black'] as const) {
    await t.deps.db.measure.create({ data: { listType, departmentId: seeded.departmentId, legalBasis: '发改财金〔2016〕141号', text: `${listType} 措施` } });
  }
});
afterAll(async () => t?.close());

describe('红名单公示期 (条例 Art. 28)', () => {
  it('publishing starts the notice period: shown under 公示中 with its end, not in force, no measures yet', async () => {
    const before = beijingToday();
    const n = await accepted({ subjectName: '新乡市公示期测试甲公司', uscc: uscc('91410700MA3X00011') });
    await published([n], 10);
    const after = beijingToday();
    const e = await entryOf(n);
    // Ten calendar days, the publication day being the first (a publish across midnight may give either day).
    expect([addDays(before, 9), addDays(after, 9)]).toContain(e.noticeEndsOn!.toISOString().slice(0, 10));
    expect(await t.deps.db.measureTask.count({ where: { entryId: e.id } })).toBe(0);

    const index = await request(t.app).get('/lists');
    expect(index.text).toMatch(/data-qa="in-notice"[\s\S]*新乡市公示期测试甲公司[\s\S]*公示中，公示期至 \d{4}-\d{2}-\d{2}/);
    expect((await request(t.app).get('/lists/red')).text).not.toContain('新乡市公示期测试甲公司');
    expect((await request(t.app).get(`/search?q=${encodeURIComponent('新乡市公示期测试甲公司')}`)).text).not.toContain('data-qa="badge-red"');
    const profile = await request(t.app).get(`/subjects/${uscc('91410700MA3X00011')}`);
    expect(profile.status).toBe(200);
    expect(profile.text).not.toContain('守信激励对象');
  });

  it('a period that has ended shows the entry in force before the job runs; the job confirms it and starts the measures', async () => {
    const n = await accepted({ subjectName: '新乡市公示期测试乙公司', uscc: uscc('91410700MA3X00012') });
    await published([n]);
    const e = await entryOf(n);
    // Pinned: a period that ended long ago.
    await t.deps.db.listEntry.update({ where: { id: e.id }, data: { noticeEndsOn: dateColumn('2020-01-10') } });
    expect((await request(t.app).get('/lists/red')).text).toContain('新乡市公示期测试乙公司');
    expect((await request(t.app).get('/lists')).text).not.toMatch(/data-qa="in-notice"[\s\S]*新乡市公示期测试乙公司[\s\S]*往期榜单/);

    // The job of a day inside the period confirms nothing; the job of the day after the last day confirms it.
    expect(await t.deps.lists.confirmNoticePeriods('2020-01-10')).toBe(0);
    expect(await t.deps.lists.confirmNoticePeriods('2020-01-11')).toBeGreaterThanOrEqual(1);
    const confirmed = await entryOf(n);
    expect(confirmed.confirmedAt).not.toBeNull();
    expect(await t.deps.db.measureTask.count({ where: { entryId: e.id } })).toBe(1);
    // Idempotent: a second run confirms it again never, and adds no second task.
    await t.deps.lists.confirmNoticePeriods('2020-01-12');
    expect(await t.deps.db.measureTask.count({ where: { entryId: e.id } })).toBe(1);
  });

  it('the scheduled job (src/jobs.ts) confirms what is due today and nothing still in its period', async () => {
    const due = await accepted({ subjectName: '新乡市公示期测试丁公司', uscc: uscc('91410700MA3X00014') });
    const running = await accepted({ subjectName: '新乡市公示期测试戊公司', uscc: uscc('91410700MA3X00015') });
    await published([due, running]);
    await t.deps.db.listEntry.update({ where: { id: (await entryOf(due)).id }, data: { noticeEndsOn: dateColumn('2020-02-10') } });
    expect(await confirmListNotices(t.deps)).toBeGreaterThanOrEqual(1);
    expect((await entryOf(due)).confirmedAt).not.toBeNull();
    expect((await entryOf(running)).confirmedAt).toBeNull();
  });

  it('anyone may object during the period; an open objection holds confirmation; an upheld one withdraws the entry', async () => {
    const n = await accepted({ subjectName: '新乡市公示期测试丙公司', uscc: uscc('91410700MA3X00013') });
    const issue = await published([n]);
    const e = await entryOf(n);
    // Pinned: a period that lasts beyond any day this test runs on.
    await t.deps.db.listEntry.update({ where: { id: e.id }, data: { noticeEndsOn: dateColumn('2099-12-30') } });

    // A member of the public (not the subject) files an objection through the ordinary objection form.
    const agent = request.agent(t.app);
    const form = await agent.get(`/lists/entries/${e.id}/objection`);
    expect(form.status).toBe(200);
    const filed = await agent
      .post(`/lists/entries/${e.id}/objection`)
      .field('_csrf', csrfFrom(form.text))
      .field({ subjectCode: COMPANY_USCC, applicantName: '王强', phone: '13837300001', email: '', reason: '该公司去年曾因拖欠工资被处罚，不应列入红名单' });
    expect(filed.status).toBe(303);
    const o = await t.deps.db.objection.findFirstOrThrow({ where: { listEntryId: e.id } });
    expect((await request(t.app).get('/lists')).text).toMatch(/新乡市公示期测试丙公司[\s\S]*?异议处理中/);

    // The period ends with the objection still open: not in force, not confirmed, still under 公示中.
    await t.deps.db.listEntry.update({ where: { id: e.id }, data: { noticeEndsOn: dateColumn('2020-01-10') } });
    expect((await request(t.app).get('/lists/red')).text).not.toContain('新乡市公示期测试丙公司');
    await t.deps.lists.confirmNoticePeriods(beijingToday());
    expect((await entryOf(n)).confirmedAt).toBeNull();
    expect((await request(t.app).get('/lists')).text).toMatch(/新乡市公示期测试丙公司[\s\S]*?公示期已于 2020-01-10 届满，异议处理中/);

    // The objection is upheld: the office withdraws the entry, then the department answers 已更正.
    const reviewer = await signIn(t.app, 't-reviewer');
    const rt = csrfFrom((await reviewer.get(`/admin/list-issues/${issue}`)).text);
    expect((await reviewer.post(`/admin/objections/${o.id}/decision`).type('form').send({ decision: 'accept', _csrf: rt })).status).toBe(303);
    const noReason = await reviewer.post(`/admin/list-entries/${e.id}/withdraw`).type('form').send({ reason: ' ', _csrf: rt });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain(`<a href="#exit-reason-${e.id}">请填写撤回理由</a>`);
    const withdrawn = await reviewer
      .post(`/admin/list-entries/${e.id}/withdraw`)
      .type('form')
      .send({ reason: '经核查，该公司存在拖欠工资的行政处罚', _csrf: rt });
    expect(withdrawn.status).toBe(303);
    const clerk = await signIn(t.app, 't-clerk');
    const ct = csrfFrom((await clerk.get('/admin/nominations')).text);
    expect(
      (await clerk.post(`/admin/objections/${o.id}/answer`).type('form').send({ outcome: 'corrected', answer: '异议成立，已撤回公示', _csrf: ct })).status,
    ).toBe(303);

    expect(await t.deps.lists.confirmNoticePeriods(beijingToday())).toBe(0);
    expect((await entryOf(n)).confirmedAt).toBeNull();
    expect((await request(t.app).get('/lists/red')).text).not.toContain('新乡市公示期测试丙公司');
    expect((await request(t.app).get('/lists')).text).not.toMatch(/data-qa="in-notice"[\s\S]*新乡市公示期测试丙公司[\s\S]*往期榜单/);
    const page = await request(t.app).get(`/lists/${issue}`);
    expect(page.text).toContain('已撤回（公示期内异议成立，不予列入）');
    expect((await reviewer.get(`/admin/nominations/${n}`)).text).toMatch(/data-qa="nomination-status">[^<]*已撤回（公示期内异议成立，不予列入）/);
    expect(page.text).toContain('拟列入红名单，公示期内异议成立，不予列入');
    // A withdrawn entry cannot be withdrawn again, nor exited.
    expect((await reviewer.post(`/admin/list-entries/${e.id}/withdraw`).type('form').send({ reason: '再次撤回', _csrf: rt })).status).toBe(409);
  });
});

describe('黑名单事前告知 (条例 Art. 28)', () => {
  it('refuses listing without a served notice, and inside the window with the day listing becomes possible', async () => {
    const n = await accepted({
      listType: 'black',
      subjectName: '新乡市告知测试有限公司',
      uscc: BLACK_USCC,
      reason: '拒不履行法院判决，情节严重',
      responsiblePersons: [{ role: 'legalRepresentative', name: '赵大成' }],
    });
    quarter += 1;
    const issue = await t.deps.lists.createIssue(2000 + quarter, 1, reviewerUser, null);
    await expect(t.deps.lists.addEntries(issue, [n], reviewerUser, null)).rejects.toThrow('尚未登记送达事前告知书');

    // Served on a pinned day with a 10-day window: objections until 2025-03-13, listing from 2025-03-14.
    const ends = await t.deps.lists.servePriorNotice(
      n,
      { noticeNo: '新告〔2025〕3号', measures: '限制参与政府采购和招投标', servedOn: '2025-03-03', objectionDays: 10 },
      clerkUser,
      null,
    );
    expect(ends).toBe('2025-03-13');
    await expect(t.deps.lists.addEntries(issue, [n], reviewerUser, null, '2025-03-13')).rejects.toThrow(
      '事前告知的异议期至 2025-03-13 届满，2025-03-14 起方可列入黑名单',
    );
    expect(await t.deps.db.listEntry.count({ where: { nominationId: n } })).toBe(0);
    expect(await t.deps.lists.addEntries(issue, [n], reviewerUser, null, '2025-03-14')).toBe(1);
  });

  it('over HTTP: a notice served today is recorded, its PDF downloads, and listing is refused with the date', async () => {
    const n = await accepted({
      listType: 'black',
      subjectName: '新乡市当日告知有限公司',
      uscc: uscc('91410700MA3X00021'),
      responsiblePersons: [{ role: 'principal', name: '钱进' }],
    });
    const clerk = await signIn(t.app, 't-clerk');
    const ct = csrfFrom((await clerk.get(`/admin/nominations/${n}`)).text);
    const today = beijingToday();
    const future = await clerk
      .post(`/admin/nominations/${n}/prior-notice`)
      .type('form')
      .send({ noticeNo: '新告〔2026〕9号', measures: '限制参与政府采购', servedOn: '2099-01-01', objectionDays: '7', _csrf: ct });
    expect(future.status).toBe(400);
    expect(future.text).toContain('送达日期不能晚于今天');
    expect(future.text).toContain('新告〔2026〕9号');
    const served = await clerk
      .post(`/admin/nominations/${n}/prior-notice`)
      .type('form')
      .send({ noticeNo: '新告〔2026〕9号', measures: '限制参与政府采购', servedOn: today, objectionDays: '7', _csrf: ct });
    expect(served.status).toBe(303);
    const page = await clerk.get(`/admin/nominations/${n}`);
    expect(page.text).toContain(`已于 ${today} 送达，异议期 7 日，至 ${addDays(today, 7)} 届满`);
    const pdf = await binary(clerk.get(`/admin/nominations/${n}/prior-notice.pdf`));
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toMatch(/application\/pdf/);
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    // signed by the platform key under the nomination's XXPN number (docs/report-signing.md); one changed byte fails
    const keys = parsePublishedKeys((await request(t.app).get(KEYS_PATH)).body);
    expect(verifyPdf(pdf.body as Buffer, keys)).toMatchObject({ ok: true, signature: { kind: 'prior-notice', reportNo: `XXPN${String(n).padStart(8, '0')}` } });
    const altered = Buffer.from(pdf.body as Buffer);
    altered[400] = altered[400]! ^ 0x01;
    expect(verifyPdf(altered, keys).ok).toBe(false);
    expect((await request(t.app).get(`/admin/nominations/${n}/prior-notice.pdf`)).status).toBe(303);
    // The reviewer's listing attempt names the day from which it becomes possible.
    const reviewer = await signIn(t.app, 't-reviewer');
    const rt = csrfFrom((await reviewer.get('/admin/list-issues')).text);
    quarter += 1;
    const issue = await t.deps.lists.createIssue(2000 + quarter, 1, reviewerUser, null);
    const refused = await reviewer
      .post(`/admin/list-issues/${issue}/entries`)
      .type('form')
      .send({ nominationId: String(n), _csrf: rt });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain(`${addDays(today, 8)} 起方可列入黑名单`);
  });

  it('the notice states basis, reasons, measures, the right to object and the window', () => {
    const text = priorNoticeParagraphs({
      noticeNo: '新告〔2025〕3号',
      subjectName: '新乡市告知测试有限公司',
      code: BLACK_USCC,
      basisDocNo: '新文明〔2025〕1号',
      basisAuthority: '新乡市市场监督管理局',
      basisDate: '2025-02-01',
      reason: '拒不履行法院判决，情节严重',
      measures: '限制参与政府采购和招投标',
      validUntil: '2028-03-14',
      servedOn: '2025-03-03',
      objectionDays: 10,
      objectionEndsOn: '2025-03-13',
      department: '新乡市市场监督管理局',
      responsiblePersons: [{ role: 'legalRepresentative', name: '赵大成' }],
    }).join('\n');
    for (const s of [
      '第二十八条',
      '新文明〔2025〕1号',
      '拒不履行法院判决',
      '限制参与政府采购和招投标',
      '异议',
      '10 日内（至 2025-03-13 止）',
      '申请复核',
      '法定代表人赵大成',
    ]) {
      expect(text).toContain(s);
    }
  });
});

describe('责任人员 (条例 Art. 35) and exit notices (Art. 37)', () => {
  it('an organisation needs named persons; an ID number typed as a name is refused', async () => {
    const clerk = await signIn(t.app, 't-clerk');
    const ct = csrfFrom((await clerk.get('/admin/nominations/new')).text);
    const form = {
      listType: 'black',
      subjectCategory: '法人及非法人组织',
      subjectName: '新乡市责任人测试有限公司',
      uscc: uscc('91410700MA3X00031'),
      basisDocNo: '新市监认〔2025〕7号',
      basisAuthority: '新乡市市场监督管理局',
      basisDate: '2025-06-30',
      reason: '严重违法失信',
      validUntil: '2099-12-31',
      _csrf: ct,
    };
    const none = await clerk.post('/admin/nominations').type('form').send(form);
    expect(none.status).toBe(400);
    expect(none.text).toContain('须列明法定代表人、主要负责人、实际控制人或其他直接责任人员');
    const withId = await clerk
      .post('/admin/nominations')
      .type('form')
      .send({ ...form, person_legalRepresentative: `孙明 ${REP_ID}` });
    expect(withId.status).toBe(400);
    expect(withId.text).toContain('法定代表人只填写姓名，不填写证件号码');
    const ok = await clerk
      .post('/admin/nominations')
      .type('form')
      .send({ ...form, person_legalRepresentative: '孙明', person_actualController: '周立、吴刚' });
    expect(ok.status).toBe(303);
    const n = Number(/(\d+)$/.exec(ok.headers.location!)![1]);
    expect(await t.deps.db.listResponsiblePerson.findMany({ where: { nominationId: n }, select: { role: true, name: true }, orderBy: { id: 'asc' } })).toEqual([
      { role: 'legalRepresentative', name: '孙明' },
      { role: 'actualController', name: '周立' },
      { role: 'actualController', name: '吴刚' },
    ]);
  });

  it('the public entry names the persons, shows the 严重 tier, never an ID number; the exit notice goes out on the same issue', async () => {
    const subject = uscc('91410700MA3X00041');
    // The same organisation's 法定代表人 ID number is in the library through a penalty (CF_FR_ZJHM).
    const raw = rawRecord('penalty', {
      subjectName: '新乡市公开测试有限公司',
      uscc: subject,
      legalRepresentative: '郑国华',
      legalRepDocType: '身份证',
      legalRepDocNumber: REP_ID,
    });
    const saved = await t.deps.publicity.saveOne('penalty', recordSchema('penalty').parse(raw), clerkUser, null);
    expect(saved.ok).toBe(true);
    expect(await t.deps.db.penalty.count({ where: { legalRepDocNumber: REP_ID } })).toBe(1);
    const n = await accepted({
      listType: 'black',
      subjectName: '新乡市公开测试有限公司',
      uscc: subject,
      responsiblePersons: [
        { role: 'legalRepresentative', name: '郑国华' },
        { role: 'other', name: '冯小刚' },
      ],
    });
    await t.deps.lists.servePriorNotice(
      n,
      { noticeNo: '新告〔2020〕5号', measures: '限制参与政府采购', servedOn: '2020-01-06', objectionDays: 7 },
      clerkUser,
      null,
    );
    const issue = await published([n]);

    const pages = [`/lists/${issue}`, '/lists/black', `/lists/black?q=${encodeURIComponent('公开测试')}`, `/subjects/${subject}`];
    for (const path of pages) {
      const res = await request(t.app).get(path);
      expect(res.status, path).toBe(200);
      expect(res.text, path).not.toContain(REP_ID);
      expect(res.text, path).not.toMatch(/\d{17}[\dX]/);
    }
    const black = await request(t.app).get('/lists/black');
    expect(black.text).toMatch(/新乡市公开测试有限公司[\s\S]*?法定代表人：郑国华；其他直接责任人员：冯小刚/);
    expect(black.text).toMatch(/data-qa="tier">严重</);
    expect((await request(t.app).get(`/subjects/${subject}`)).text).toMatch(/data-qa="section-black"[\s\S]*?严重程度：严重 · 有效期至/);

    // Exit: the notice is published on the entry's issue (the channel that published it) and the entry leaves.
    const reviewer = await signIn(t.app, 't-reviewer');
    const rt = csrfFrom((await reviewer.get(`/admin/list-issues/${issue}`)).text);
    const e = await entryOf(n);
    expect((await reviewer.post(`/admin/list-entries/${e.id}/exit`).type('form').send({ reason: '有效期内完成信用修复', _csrf: rt })).status).toBe(303);
    const after = await request(t.app).get(`/lists/${issue}`);
    expect(after.text).toMatch(/data-qa="notices"[\s\S]*退出公告[\s\S]*新乡市公开测试有限公司退出黑名单。原因：有效期内完成信用修复/);
    expect((await request(t.app).get('/lists')).text).toMatch(new RegExp(`href="/lists/${issue}"[\\s\\S]*?1 则公告`));
    expect((await request(t.app).get('/lists/black')).text).not.toContain('新乡市公开测试有限公司');
  });

  it('a review request to the provincial authority is recorded on a listed entry', async () => {
    const n = await accepted({
      listType: 'black',
      subjectName: '新乡市复核测试有限公司',
      uscc: uscc('91410700MA3X00051'),
      responsiblePersons: [{ role: 'legalRepresentative', name: '陈实' }],
    });
    const clerk = await signIn(t.app, 't-clerk');
    const ct = csrfFrom((await clerk.get(`/admin/nominations/${n}`)).text);
    const early = await clerk
      .post(`/admin/nominations/${n}/review-request`)
      .type('form')
      .send({ requestedOn: '2025-04-01', note: '向河南省发展和改革委员会申请复核', _csrf: ct });
    expect(early.status).toBe(409);
    await t.deps.lists.servePriorNotice(
      n,
      { noticeNo: '新告〔2020〕6号', measures: '限制参与政府采购', servedOn: '2020-01-06', objectionDays: 7 },
      clerkUser,
      null,
    );
    await published([n]);
    const ok = await clerk
      .post(`/admin/nominations/${n}/review-request`)
      .type('form')
      .send({ requestedOn: '2025-04-01', note: '向河南省发展和改革委员会申请复核', _csrf: ct });
    expect(ok.status).toBe(303);
    expect((await clerk.get(`/admin/nominations/${n}`)).text).toContain('当事人已于 2025-04-01 申请复核：向河南省发展和改革委员会申请复核');
    expect(await t.deps.db.auditLog.count({ where: { action: 'list.reviewRequest', targetId: String((await entryOf(n)).id) } })).toBe(1);
  });
});

describe('tiers of other adverse records', () => {
  it('a broken commitment shows 一般 publicly and in the back office; a kept one shows no tier', async () => {
    const common = {
      promisorName: '新乡市违诺测试有限公司',
      promisorCategory: 'legal',
      promisorCode: uscc('91410700MA3X00061'),
      commitmentType: '容缺受理型',
      matter: '食品经营许可容缺受理',
      content: '30 日内补齐材料',
      liability: '撤销许可',
      madeOn: '2025-06-30',
      validUntil: null,
      disclosure: '可向社会公开',
      remark: null,
      liabilityPursued: null,
    } as const;
    const broken = await t.deps.commitments.createOne(
      { ...common, fulfilment: '全部未履行', unfulfilledContent: '逾期未补齐材料', liabilityPursued: '已撤销许可' },
      seeded.departmentId,
      clerkUser.id,
    );
    const kept = await t.deps.commitments.createOne({ ...common, fulfilment: '全部履行', unfulfilledContent: null }, seeded.departmentId, clerkUser.id);
    expect((await request(t.app).get(`/commitments/${broken.id}`)).text).toMatch(/data-qa="tier">一般（违诺失信信息）/);
    expect((await request(t.app).get(`/commitments/${kept.id}`)).text).not.toContain('data-qa="tier"');
    const clerk = await signIn(t.app, 't-clerk');
    expect((await clerk.get('/admin/commitments')).text).toMatch(new RegExp(`${broken.code}[\\s\\S]*?严重程度：<span data-qa="tier">一般</span>`));
  });
});
