import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom, seedUsers, signIn, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedUsers(t.deps);
});
afterAll(async () => t.close());

describe('政策法规 / 信用动态 / 通知公告', () => {
  it('the credit office publishes an article; a <script> in its body is removed; drafts stay private', async () => {
    const reviewer = await signIn(t.app, 't-reviewer');
    const token = csrfFrom((await reviewer.get('/admin/articles/new')).text);
    const bad = await reviewer.post('/admin/articles').type('form').send({ category: 'news', title: '', body: '<p>草稿正文</p>', _csrf: token });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('请填写标题');
    expect(bad.text).toContain('草稿正文');
    const ok = await reviewer.post('/admin/articles').type('form').send({
      category: 'policy',
      title: '新乡市社会信用体系建设实施方案',
      source: '市发改委',
      body: '<p>为加快推进<strong>社会信用体系</strong>建设<script>document.cookie</script></p><img src=x onerror="alert(1)"><a href="javascript:alert(1)">点此</a>',
      publish: '1',
      _csrf: token,
    });
    expect(ok.status).toBe(303);
    const draft = await reviewer.post('/admin/articles').type('form').send({ category: 'notice', title: '未发布的通知', body: '<p>x</p>', _csrf: token });
    expect(draft.status).toBe(303);

    const list = await request(t.app).get('/policies');
    expect(list.status).toBe(200);
    expect(list.text).toContain('新乡市社会信用体系建设实施方案');
    const id = /href="\/articles\/(\d+)"/.exec(list.text)?.[1];
    const page = await request(t.app).get(`/articles/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<strong>社会信用体系</strong>');
    expect(page.text).not.toContain('document.cookie');
    expect(page.text).not.toMatch(/onerror|javascript:alert/);
    expect((await request(t.app).get('/')).text).toContain('新乡市社会信用体系建设实施方案');
    const notices = await request(t.app).get('/policies?category=notice');
    expect(notices.text).not.toContain('未发布的通知');
    const draftRow = await t.deps.db.article.findFirstOrThrow({ where: { title: '未发布的通知' } });
    expect((await request(t.app).get(`/articles/${draftRow.id}`)).status).toBe(404);
    expect((await request(t.app).get('/policies?category=x')).status).toBe(400);
    const clerk = await signIn(t.app, 't-clerk');
    expect((await clerk.get('/admin/articles/new')).status).toBe(403);
  });
});
