import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom, seedUsers, signIn, type TestApp, binary } from '../helpers/app.js';
import { COMPANY_USCC } from '../helpers/records.js';

let t: TestApp;
let clerk: Awaited<ReturnType<typeof signIn>>;
let reviewer: Awaited<ReturnType<typeof signIn>>;
let ct: string;
let rt: string;

beforeAll(async () => {
  t = await createTestApp();
  await seedUsers(t.deps);
  clerk = await signIn(t.app, 't-clerk');
  reviewer = await signIn(t.app, 't-reviewer');
  ct = csrfFrom((await clerk.get('/admin/nominations/new')).text);
  rt = csrfFrom((await reviewer.get('/admin/list-issues')).text);
});
afterAll(async () => t.close());

const nomination = (over: Record<string, string> = {}) => ({
  listType: 'black',
  subjectCategory: '法人及非法人组织',
  subjectName: '新乡市华兴食品有限公司',
  uscc: COMPANY_USCC,
  basisDocNo: '新市监认〔2026〕1号',
  basisAuthority: '新乡市市场监督管理局',
  basisDate: '2026-10-01',
  reason: '严重违法失信：生产销售不符合食品安全标准的食品',
  validUntil: '2029-10-01',
  person_legalRepresentative: '王建国',
  ...over,
});

const idFrom = (loc: string | undefined) => Number(/(\d+)$/.exec(loc ?? '')?.[1]);

describe('红黑榜: nominate → review → publish → public → exit', () => {
  it('checks a nomination and keeps what was typed', async () => {
    const bad = await clerk
      .post('/admin/nominations')
      .type('form')
      .send({ ...nomination({ uscc: '91410700174608534F', basisDate: '2099-01-01', validUntil: '2020-01-01', basisDocNo: '' }), _csrf: ct });
    expect(bad.status).toBe(400);
    for (const m of ['第18位校验码应为 E', '认定日期不能晚于今天', '有效期至应晚于今天', '请填写认定文号']) expect(bad.text).toContain(m);
    expect(bad.text).toContain('严重违法失信：生产销售不符合食品安全标准的食品');
  });

  it('runs the whole life of a black-list entry', async () => {
    const created = await clerk
      .post('/admin/nominations')
      .type('form')
      .send({ ...nomination(), _csrf: ct });
    expect(created.status).toBe(303);
    const nid = idFrom(created.headers.location);
    const person = await clerk
      .post('/admin/nominations')
      .type('form')
      .send({
        ...nomination({
          listType: 'red',
          subjectCategory: '自然人',
          uscc: '',
          subjectName: '张伟',
          docType: '身份证',
          docNumber: '410702198503151235',
          reason: '见义勇为',
        }),
        _csrf: ct,
      });
    expect(person.status).toBe(303);
    const pid = idFrom(person.headers.location);

    // The clerk cannot review; the reviewer must give a reason to refuse.
    expect((await clerk.post(`/admin/nominations/${nid}/review`).type('form').send({ decision: 'accept', _csrf: ct })).status).toBe(403);
    const noReason = await reviewer.post(`/admin/nominations/${nid}/review`).type('form').send({ decision: 'reject', _csrf: rt });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain('不予通过时须填写审核意见');
    for (const id of [nid, pid])
      expect((await reviewer.post(`/admin/nominations/${id}/review`).type('form').send({ decision: 'accept', comment: '同意', _csrf: rt })).status).toBe(303);
    expect((await clerk.get(`/admin/nominations/${nid}`)).text).toMatch(/data-qa="nomination-status">已通过/);

    // A bad issue form is a 400 that lists the problem and keeps what was typed.
    const badIssue = await reviewer.post('/admin/list-issues').type('form').send({ year: '二〇二六', quarter: '4', _csrf: rt });
    expect(badIssue.status).toBe(400);
    expect(badIssue.text).toContain('data-qa="error-summary"');
    expect(badIssue.text).toMatch(/id="year"[^>]*value="二〇二六"/);
    const issue = await reviewer.post('/admin/list-issues').type('form').send({ year: '2026', quarter: '4', _csrf: rt });
    const iid = idFrom(issue.headers.location);
    expect((await request(t.app).get(`/lists/${iid}`)).status).toBe(404);
    // The black-list nomination needs its prior notice served and its objection window passed (条例 Art. 28).
    expect(
      (
        await clerk
          .post(`/admin/nominations/${nid}/prior-notice`)
          .type('form')
          .send({ noticeNo: '新市监告〔2020〕1号', measures: '限制参与政府采购', servedOn: '2020-01-06', objectionDays: '7', _csrf: ct })
      ).status,
    ).toBe(303);
    await reviewer
      .post(`/admin/list-issues/${iid}/entries`)
      .type('form')
      .send({ nominationId: [String(nid), String(pid)], _csrf: rt });
    const preview = await reviewer.get(`/admin/list-issues/${iid}`);
    expect(preview.text).toContain('2026年第4季度 · 总第1期');
    expect(preview.text).toContain('新乡市华兴食品有限公司');
    expect(preview.text).not.toContain('410702198503151235');
    expect((await reviewer.post(`/admin/list-issues/${iid}/publish`).type('form').send({ _csrf: rt })).status).toBe(303);

    const pub = await request(t.app).get(`/lists/${iid}`);
    expect(pub.status).toBe(200);
    expect(pub.text).toContain('新乡市华兴食品有限公司');
    expect(pub.text).toContain('410702********1235');
    expect(pub.text).not.toContain('410702198503151235');
    expect((await request(t.app).get('/lists')).text).toContain('2026年第4季度 · 总第1期');
    expect((await request(t.app).get('/lists/black?q=华兴')).text).toContain('新乡市华兴食品有限公司');
    // The red-list entry is in its 公示期 first: shown under 公示中, not yet on the red list in force.
    expect((await request(t.app).get('/lists')).text).toMatch(/data-qa="in-notice"[\s\S]*张伟/);
    expect((await request(t.app).get('/lists/red')).text).not.toContain('张伟');
    const profile = await request(t.app).get(`/subjects/${COMPANY_USCC}`);
    expect(profile.text).toContain('失信惩戒对象');
    expect(profile.text).toMatch(/data-qa="section-black"[\s\S]*严重违法失信/);
    expect((await request(t.app).get(`/search?q=${COMPANY_USCC}`)).text).toContain('data-qa="badge-black"');

    // A published issue is immutable; a correction is a notice.
    const again = await reviewer
      .post(`/admin/list-issues/${iid}/entries`)
      .type('form')
      .send({ nominationId: String(nid), _csrf: rt });
    expect(again.status).toBe(409);
    await reviewer.post(`/admin/list-issues/${iid}/notices`).type('form').send({ text: '第1期黑名单中认定日期更正为 2026-10-02', _csrf: rt });
    expect((await request(t.app).get(`/lists/${iid}`)).text).toContain('更正公告');

    // Exit: the entry leaves the lists in force and the profile, with a published notice.
    const entry = await t.deps.db.listEntry.findFirstOrThrow({ where: { nominationId: nid } });
    const noExitReason = await reviewer.post(`/admin/list-entries/${entry.id}/exit`).type('form').send({ reason: '  ', _csrf: rt });
    expect(noExitReason.status).toBe(400);
    expect(noExitReason.text).toContain(`<a href="#exit-reason-${entry.id}">请填写退出原因</a>`);
    expect(await t.deps.db.listEntry.count({ where: { id: entry.id, exitedAt: { not: null } } })).toBe(0);
    const exited = await reviewer.post(`/admin/list-entries/${entry.id}/exit`).type('form').send({ reason: '已完成信用修复', _csrf: rt });
    expect(exited.status).toBe(303);
    expect((await reviewer.get(exited.headers.location!)).text).toContain('已退出，退出公告已发布');
    expect((await request(t.app).get('/lists/black')).text).not.toContain('新乡市华兴食品有限公司');
    expect((await request(t.app).get(`/subjects/${COMPANY_USCC}`)).text).not.toContain('失信惩戒对象');
    const after = await request(t.app).get(`/lists/${iid}`);
    expect(after.text).toContain('退出公告');
    expect(after.text).toContain('已完成信用修复');
  });

  it('takes PDF/PNG/JPEG attachments checked by content, kept outside the web root, readable by the department and the office', async () => {
    const post = (files: [Buffer, string][]) => {
      let r = clerk.post('/admin/nominations').field('_csrf', ct);
      for (const [k, v] of Object.entries(nomination({ basisDocNo: '附件测试〔2026〕1号' }))) r = r.field(k, v);
      for (const [buf, name] of files) r = r.attach('attachments', buf, name);
      return r;
    };
    const fake = await post([[Buffer.from('MZ this is not a pdf'), '决定书.pdf']]);
    expect(fake.status).toBe(400);
    expect(fake.text).toContain('不是 PDF、PNG 或 JPEG 文件');
    expect(fake.text).toContain('附件测试〔2026〕1号');
    const pdf = Buffer.from('%PDF-1.4\n% 认定决定书\n');
    const ok = await post([[pdf, '认定决定书.pdf']]);
    expect(ok.status).toBe(303);
    const detail = await clerk.get(ok.headers.location!);
    const href = /href="(\/admin\/nominations\/\d+\/attachments\/\d+)">认定决定书.pdf</.exec(detail.text)?.[1];
    expect(href).toBeTruthy();
    const file = await binary(reviewer.get(href!));
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toMatch(/application\/pdf/);
    expect((file.body as Buffer).equals(pdf)).toBe(true);
    expect((await request(t.app).get(href!)).status).toBe(303);
  });

  it('expired entries leave the lists in force by themselves', async () => {
    const e = await t.deps.db.listEntry.findFirstOrThrow({ where: { listType: 'red' } });
    await t.deps.db.listEntry.update({ where: { id: e.id }, data: { validUntil: new Date('2020-01-01T00:00:00Z') } });
    expect((await request(t.app).get('/lists/red')).text).not.toContain('张伟');
  });
});
