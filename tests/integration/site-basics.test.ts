import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { createTestApp, csrfFrom, seedUsers, signIn, type TestApp } from '../helpers/app.js';
import { SITE_MAP } from '../../src/features/site/links.js';
import { REF_RE } from '../../src/features/site/feedback.js';
import { seedDemoFeedback } from '../../src/seed/feedback.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedUsers(t.deps);
});
afterAll(async () => t.close());

/** Submits the feedback form as a browser does: GET for the CSRF token, then POST. */
async function submit(fields: Record<string, string>, app = t.app) {
  const agent = request.agent(app);
  const form = await agent.get('/feedback');
  const res = await agent
    .post('/feedback')
    .type('form')
    .send({ _csrf: csrfFrom(form.text), ...fields });
  return { agent, res };
}

const valid = { pageUrl: '/publicity/permits', problemType: 'brokenLink', content: '第二页的“下一页”链接打不开', contact: '0373-1234567' };

describe('网站地图, 联系我们, 友情链接', () => {
  it('the sitemap links every page of the one list, and each of them answers 200', async () => {
    const res = await request(t.app).get('/sitemap');
    expect(res.status).toBe(200);
    for (const section of SITE_MAP) {
      expect(res.text).toContain(section.title);
      for (const link of section.links) {
        expect(res.text).toContain(`href="${link.href.replace(/&/g, '&amp;')}"`);
        const page = await request(t.app).get(link.href);
        expect(page.status, link.href).toBe(200);
      }
    }
    expect(res.text).toContain('href="https://www.creditchina.gov.cn"');
    expect(res.text).toContain('href="https://www.xyhn.gov.cn"');
  });

  it('the footer links the sitemap, contact, feedback, counties and the friend sites', async () => {
    const res = await request(t.app).get('/');
    const footer = /<footer[\s\S]*<\/footer>/.exec(res.text)![0];
    for (const href of ['/sitemap', '/contact', '/feedback', '/counties', 'https://www.creditchina.gov.cn', 'https://www.xyhn.gov.cn']) {
      expect(footer).toContain(`href="${href}"`);
    }
  });

  it('contact shows the configured address and phone, and leaves out what is unset', async () => {
    const bare = await request(t.app).get('/contact');
    expect(bare.status).toBe(200);
    expect(bare.text).not.toContain('data-qa="contact-address"');
    expect(bare.text).not.toContain('data-qa="contact-phone"');
    expect(bare.text).not.toMatch(/XXXX|待公布/);
    const app = createApp(t.deps, {
      env: 'test',
      sessionSecret: 'test-secret-test-secret-test-secret-0123',
      site: { address: '新乡市红旗区人民东路 1 号', phone: '0373-3000000' },
    });
    const configured = await request(app).get('/contact');
    expect(configured.text).toMatch(/data-qa="contact-address">新乡市红旗区人民东路 1 号</);
    expect(configured.text).toMatch(/data-qa="contact-phone">0373-3000000</);
    // 关于本站 points there instead of carrying placeholders of its own.
    const about = await request(t.app).get('/about');
    expect(about.text).toContain('href="/contact"');
    expect(about.text).not.toMatch(/XXXX|待公布/);
    const onlyPhone = createApp(t.deps, { env: 'test', sessionSecret: 'test-secret-test-secret-test-secret-0123', site: { phone: '0373-3000000' } });
    expect((await request(onlyPhone).get('/contact')).text).not.toContain('contact-address');
  });
});

describe('我为政府网站找错', () => {
  it('stores a report and gives a reference number the submitter can look up', async () => {
    const { agent, res } = await submit(valid);
    expect(res.status).toBe(303);
    const ref = /ref=([A-Z0-9]+)/.exec(res.headers.location as string)![1]!;
    expect(ref).toMatch(REF_RE);
    const stored = await t.deps.db.siteFeedback.findUniqueOrThrow({ where: { refNo: ref } });
    expect(stored).toMatchObject({ pageUrl: '/publicity/permits', problemType: 'brokenLink', contact: '0373-1234567', status: 'open', reply: null });
    const page = await agent.get(res.headers.location as string);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`查询编号 ${ref}`);
    expect(page.text).toMatch(/data-qa="feedback-state">待处理</);
    // The contact left is for the office only.
    expect(page.text).not.toContain('0373-1234567');
    // Lower case typed is found too.
    expect((await request(t.app).get(`/feedback/status?ref=${ref.toLowerCase()}`)).status).toBe(200);
  });

  it('an invalid form comes back with a Chinese summary and every typed value kept', async () => {
    const typed = { pageUrl: 'javascript:alert(1)', problemType: '', content: '短', contact: '张先生 <b>' };
    const { res } = await submit(typed);
    expect(res.status).toBe(400);
    expect(res.text).toContain('<title>错误：我为政府网站找错');
    expect(res.text).toContain('data-qa="error-summary"');
    for (const msg of ['网址应以 http://、https:// 或 / 开头', '请选择问题类型', '问题描述至少 5 个字']) expect(res.text).toContain(msg);
    expect(res.text).toContain('value="javascript:alert(1)"');
    expect(res.text).toContain('>短</textarea>');
    expect(res.text).toContain('value="张先生 &lt;b&gt;"');
    expect(await t.deps.db.siteFeedback.count({ where: { pageUrl: typed.pageUrl } })).toBe(0);
  });

  it('refuses a POST without the CSRF token', async () => {
    const res = await request(t.app).post('/feedback').type('form').send(valid);
    expect(res.status).toBe(403);
  });

  it('is rate-limited per address like the other public submissions', async () => {
    const app = createApp(t.deps, { env: 'test', sessionSecret: 'test-secret-test-secret-test-secret-0123', feedbackLimit: { windowMs: 60_000, limit: 2 } });
    // Every app on one database shares the counters (t.app's submissions above count too): start from none.
    await t.deps.db.rateLimit.deleteMany({ where: { key: { startsWith: 'feedback:' } } });
    expect((await submit(valid, app)).res.status).toBe(303);
    expect((await submit(valid, app)).res.status).toBe(303);
    const third = await submit(valid, app);
    expect(third.res.status).toBe(429);
    expect(third.res.text).toContain('提交过于频繁');
  });

  it('a malformed or unknown reference number is a Chinese 400 or 404', async () => {
    const bad = await request(t.app).get('/feedback/status?ref=ZC123');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('查询编号格式不正确');
    const unknown = await request(t.app).get('/feedback/status?ref=ZC20261203ABCDEF');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('未找到编号为 ZC20261203ABCDEF 的反馈');
    const hostile = await request(t.app).get(`/feedback/status?ref=${encodeURIComponent("'; DROP TABLE site_feedback; --")}`);
    expect(hostile.status).toBe(400);
  });

  it('the credit office lists and answers it, audited; the submitter then sees the answer', async () => {
    const { res } = await submit({ ...valid, content: '通知公告栏目的日期显示错误', contact: '' });
    const ref = /ref=([A-Z0-9]+)/.exec(res.headers.location as string)![1]!;
    const item = await t.deps.db.siteFeedback.findUniqueOrThrow({ where: { refNo: ref } });
    expect(item.contact).toBeNull();
    const reviewer = await signIn(t.app, 't-reviewer');
    const list = await reviewer.get('/admin/feedback?status=open');
    expect(list.status).toBe(200);
    expect(list.text).toMatch(new RegExp(`data-qa="feedback-list"[\\s\\S]*href="/admin/feedback/${item.id}">${ref}<`));
    const page = await reviewer.get(`/admin/feedback/${item.id}`);
    expect(page.text).toContain('通知公告栏目的日期显示错误');

    // Answering needs a reply: the form comes back with the choice kept.
    const empty = await reviewer
      .post(`/admin/feedback/${item.id}`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), status: 'answered', answer: '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('答复时请填写答复内容');
    expect(empty.text).toMatch(/<option value="answered" selected>/);

    const done = await reviewer
      .post(`/admin/feedback/${item.id}`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), status: 'answered', answer: '已更正日期显示，感谢您的反馈。' });
    expect(done.status).toBe(303);
    const saved = await t.deps.db.siteFeedback.findUniqueOrThrow({ where: { id: item.id } });
    expect(saved).toMatchObject({ status: 'answered', reply: '已更正日期显示，感谢您的反馈。' });
    expect(saved.repliedAt).not.toBeNull();
    const audit = await t.deps.db.auditLog.findFirst({ where: { action: 'feedback.answer', targetId: String(item.id) } });
    expect(audit?.username).toBe('t-reviewer');

    const publicView = await request(t.app).get(`/feedback/status?ref=${ref}`);
    expect(publicView.text).toMatch(/data-qa="feedback-state">已答复</);
    expect(publicView.text).toMatch(/data-qa="feedback-reply">已更正日期显示，感谢您的反馈。</);
  });

  it('only the credit office and admins reach the queue; the public and clerks do not', async () => {
    const item = await t.deps.db.siteFeedback.findFirstOrThrow();
    const anon = await request(t.app).get('/admin/feedback');
    expect(anon.status).toBe(303);
    expect(anon.headers.location).toMatch(/^\/admin\/login/);
    const clerk = await signIn(t.app, 't-clerk');
    expect((await clerk.get('/admin/feedback')).status).toBe(403);
    expect((await clerk.get(`/admin/feedback/${item.id}`)).status).toBe(403);
    const form = await clerk.get('/admin');
    const post = await clerk
      .post(`/admin/feedback/${item.id}`)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), status: 'answered', answer: '越权答复' });
    expect(post.status).toBe(403);
    expect((await t.deps.db.siteFeedback.findUniqueOrThrow({ where: { id: item.id } })).reply).not.toBe('越权答复');
    const admin = await signIn(t.app, 't-admin');
    expect((await admin.get('/admin/feedback')).status).toBe(200);
    expect((await admin.get('/admin/feedback/2147483647')).status).toBe(404);
    expect((await admin.get('/admin/feedback/abc')).status).toBe(404);
  });

  it('the demo seed adds three reports once, the answered one visible by its number', async () => {
    await t.deps.db.siteFeedback.deleteMany();
    expect(await seedDemoFeedback(t.deps.db)).toBe(3);
    expect(await seedDemoFeedback(t.deps.db)).toBe(0);
    const answered = await t.deps.db.siteFeedback.findFirstOrThrow({ where: { status: 'answered' } });
    expect(answered.refNo).toMatch(REF_RE);
    const page = await request(t.app).get(`/feedback/status?ref=${answered.refNo}`);
    expect(page.text).toMatch(/data-qa="feedback-state">已答复</);
    expect(await t.deps.db.siteFeedback.count({ where: { status: 'open' } })).toBe(1);
  });
});
