import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom, seedUsers, signIn, type TestApp } from '../helpers/app.js';
import { COMPANY_USCC } from '../helpers/records.js';
import { addDays, beijingToday, dateColumn, isoDay } from '../../src/domain/dates.js';
import { archiveScanBound } from '../../src/domain/publicity/disclosure.js';
import { ARCHIVED_NOTICE } from '../../src/features/lists/public-routes.js';
import { expirePublicity } from '../../src/jobs.js';

/**
 * 条例 Art. 19 for the adverse records other than penalties: list entries are archived by the nightly job once their
 * disclosure has ended (5 years from the basis, or the end of the listing when later) and leave the public issue
 * pages; a broken commitment leaves the public surfaces 5 years after its breach. The list dates are pinned and the
 * job is given its day; the commitment dates are placed either side of today's 5-year bound, so any day works.
 */

let t: TestApp;
let departmentId: number;
let userId: number;

beforeAll(async () => {
  t = await createTestApp();
  const seeded = await seedUsers(t.deps);
  departmentId = seeded.departmentId;
  userId = seeded.users.clerk.id;
});
afterAll(async () => t.close());

const day = (iso: string) => dateColumn(iso);
let serial = 0;

async function entry(issueId: number, e: { name: string; listType: 'red' | 'black'; basis: string; validUntil: string; exitedAt?: Date }): Promise<number> {
  serial++;
  const nomination = await t.deps.db.listNomination.create({
    data: {
      listType: e.listType,
      subjectCategory: 'legal',
      subjectName: e.name,
      uscc: null,
      basisDocNo: `新认〔2020〕${serial}号`,
      basisAuthority: '新乡市市场监督管理局',
      basisDate: day(e.basis),
      reason: '测试事由',
      validUntil: day(e.validUntil),
      status: 'listed',
      departmentId,
      createdById: userId,
    },
  });
  const created = await t.deps.db.listEntry.create({
    data: {
      issueId,
      nominationId: nomination.id,
      listType: e.listType,
      subjectCategory: 'legal',
      subjectName: e.name,
      basisDocNo: nomination.basisDocNo,
      basisAuthority: nomination.basisAuthority,
      basisDate: day(e.basis),
      reason: '测试事由',
      validUntil: day(e.validUntil),
      department: '市市场监管局',
      ...(e.exitedAt ? { exitedAt: e.exitedAt, exitReason: '信用修复' } : {}),
    },
  });
  if (e.exitedAt) {
    await t.deps.db.listNotice.create({ data: { kind: 'exit', issueId, entryId: created.id, text: `${e.name}退出黑名单。原因：信用修复` } });
  }
  return created.id;
}

describe('list entries past their disclosure (条例 Art. 19)', () => {
  it('are archived by the job on the right day, leave the issue page and its notices, and stay in the back office', async () => {
    const issue = await t.deps.db.listIssue.create({
      data: { year: 2021, quarter: 2, serialNo: 901, title: '2021年第2季度 · 总第901期', publishedAt: new Date('2021-06-30T02:00:00Z') },
    });
    const ids = {
      // Expired in 2022; 5 years from 2021-06-01 ended 2026-06-01.
      expired: await entry(issue.id, { name: '新乡市甲过期商贸有限公司', listType: 'black', basis: '2021-06-01', validUntil: '2022-06-01' }),
      // Exited, but 5 years from its basis have not passed on 2026-12-03.
      recent: await entry(issue.id, {
        name: '新乡市乙近期商贸有限公司',
        listType: 'black',
        basis: '2022-06-01',
        validUntil: '2025-06-01',
        exitedAt: new Date('2023-01-10T02:00:00Z'),
      }),
      // Still listed after more than 5 years: disclosed until it leaves the list.
      listed: await entry(issue.id, { name: '新乡市丙在榜商贸有限公司', listType: 'black', basis: '2020-01-02', validUntil: '2099-12-31' }),
      // Left the list at 01:00 on 2026-12-03 Beijing time (17:00 UTC the day before): disclosed that whole day.
      exitedToday: await entry(issue.id, {
        name: '新乡市丁退出商贸有限公司',
        listType: 'black',
        basis: '2020-01-02',
        validUntil: '2099-12-31',
        exitedAt: new Date('2026-12-02T17:00:00Z'),
      }),
      // A red-list entry ended long ago: the same rule.
      red: await entry(issue.id, { name: '新乡市戊守信商贸有限公司', listType: 'red', basis: '2021-01-05', validUntil: '2022-01-05' }),
    };

    expect(await t.deps.disclosure.archiveListEntries('2026-12-03')).toBe(2);
    const archived = async () =>
      (await t.deps.db.listEntry.findMany({ where: { issueId: issue.id, archivedAt: { not: null } }, select: { id: true } })).map((e) => e.id).sort();
    expect(await archived()).toEqual([ids.expired, ids.red].sort());
    // The next day the entry that left the list on 12-03 is archived too; running again changes nothing more.
    expect(await t.deps.disclosure.archiveListEntries('2026-12-04')).toBe(1);
    expect(await t.deps.disclosure.archiveListEntries('2026-12-04')).toBe(0);
    expect(await archived()).toEqual([ids.expired, ids.red, ids.exitedToday].sort());
    expect(await t.deps.db.auditLog.count({ where: { action: 'list.entry.archive' } })).toBe(2);

    const page = await request(t.app).get(`/lists/${issue.id}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('新乡市甲过期商贸有限公司');
    expect(page.text).not.toContain('新乡市戊守信商贸有限公司');
    expect(page.text).not.toContain('新乡市丁退出商贸有限公司');
    expect(page.text).toContain('新乡市乙近期商贸有限公司');
    expect(page.text).toContain('新乡市丙在榜商贸有限公司');
    // The archived entry's exit notice keeps a line, without its details; the other exit notice is whole.
    expect(page.text).toContain(ARCHIVED_NOTICE);
    expect(page.text).toContain('新乡市乙近期商贸有限公司退出黑名单');
    // The issue list counts only what it still discloses.
    expect((await request(t.app).get('/lists')).text).toMatch(/总第901期<\/a> <span class="record-list__meta">[^<]*· 2 个主体/);

    const reviewer = await signIn(t.app, 't-reviewer');
    const admin = await reviewer.get(`/admin/list-issues/${issue.id}`);
    expect(admin.status).toBe(200);
    expect(admin.text).toContain('新乡市甲过期商贸有限公司');
    expect(admin.text.match(/data-qa="entry-archived"/g)).toHaveLength(3);

    // The job entry point runs it too (with the real today: every entry above ended long before).
    await expirePublicity(t.deps);
    expect(await archived()).toHaveLength(3);
  });
});

describe('a broken commitment (条例 Art. 19)', () => {
  it('records the day of the breach, and leaves every public surface 5 years after it', async () => {
    const clerk = await signIn(t.app, 't-clerk');
    const token = csrfFrom((await clerk.get('/admin/commitments/new')).text);
    const made = await clerk.post('/admin/commitments').type('form').send({
      promisorName: '新乡市华兴食品有限公司',
      promisorCategory: '法人及非法人组织',
      promisorCode: COMPANY_USCC,
      commitmentType: '容缺受理型',
      matter: '违诺五年测试承诺',
      content: '30 日内补齐材料',
      liability: '撤销许可并列入失信记录',
      madeOn: '2020-03-02',
      disclosure: '可向社会公开',
      _csrf: token,
    });
    expect(made.status).toBe(303);
    const c = await t.deps.db.commitment.findFirstOrThrow({ where: { matter: '违诺五年测试承诺' } });
    expect(c.breachedOn).toBeNull();
    const before = beijingToday();
    await clerk
      .post(`/admin/commitments/${c.id}/fulfilment`)
      .type('form')
      .send({ fulfilment: '部分履行', unfulfilledContent: '逾期未补齐材料', liabilityPursued: '已撤销许可', _csrf: token });
    const breached = await t.deps.db.commitment.findUniqueOrThrow({ where: { id: c.id } });
    expect([before, beijingToday()]).toContain(isoDay(breached.breachedOn!));

    const surfaces = async () => {
      const profile = (await request(t.app).get(`/subjects/${COMPANY_USCC}`)).text;
      return {
        list: (await request(t.app).get('/commitments')).text.includes('违诺五年测试承诺'),
        page: (await request(t.app).get(`/commitments/${c.id}`)).status,
        profile: profile.includes('违诺五年测试承诺'),
        tag: profile.includes('存在违诺'),
      };
    };
    expect(await surfaces()).toEqual({ list: true, page: 200, profile: true, tag: true });

    // The last day of its 5 years: still public. archiveScanBound is the last breach day whose 5 years have ended.
    const bound = archiveScanBound(beijingToday());
    await t.deps.db.commitment.update({ where: { id: c.id }, data: { breachedOn: day(addDays(bound, 1)) } });
    expect(await surfaces()).toEqual({ list: true, page: 200, profile: true, tag: true });
    await t.deps.db.commitment.update({ where: { id: c.id }, data: { breachedOn: day(bound) } });
    expect(await surfaces()).toEqual({ list: false, page: 404, profile: false, tag: false });

    // The back office keeps it; recording the fulfilment again keeps the day of the breach.
    expect((await clerk.get('/admin/commitments')).text).toContain('违诺五年测试承诺');
    await clerk
      .post(`/admin/commitments/${c.id}/fulfilment`)
      .type('form')
      .send({ fulfilment: '全部未履行', unfulfilledContent: '逾期未补齐材料', liabilityPursued: '已撤销许可', _csrf: token });
    expect(isoDay((await t.deps.db.commitment.findUniqueOrThrow({ where: { id: c.id } })).breachedOn!)).toBe(bound);
  });
});
