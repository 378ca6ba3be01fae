import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { buildDeps } from '../../src/deps.js';
import { usccCheckChar } from '../../src/domain/identifiers.js';
import { createLogger } from '../../src/platform/logger.js';
import { createTestApp, csrfFrom, seedUsers, signIn, TEST_PASSWORD, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedUsers(t.deps);
  await t.deps.db.legalPerson.createMany({
    data: [
      { uscc: '91410700MA44XXXX0A'.slice(0, 17) + 'X', name: '新乡市测试一有限公司', subjectType: 'organisation' },
      { uscc: null, name: '红旗区测试面馆', subjectType: 'soleTrader', regNo: '410702600000001' },
    ],
  });
  await t.deps.db.naturalPerson.create({ data: { docType: 'residentId', docNumber: '410702199001011234', name: '张三' } });
});
afterAll(async () => t.close());

describe('public site shell', () => {
  it('home page: zh-CN, navigation, footer, search box and live counts from the database', async () => {
    const res = await request(t.app).get('/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<html lang="zh-CN"');
    for (const item of ['首页', '双公示', '红黑榜', '信用查询', '信用承诺', '政策法规']) expect(res.text).toContain(item);
    expect(res.text).toContain('新乡市社会信用体系建设领导小组办公室');
    // no site identity configured: none shown, and never a placeholder
    expect(res.text).not.toContain('网站标识码');
    expect(res.text).not.toContain('备案');
    expect(res.text).not.toMatch(/XXXXXXXX|4107000000/);
    expect(res.text).toContain('/accessibility');
    expect(res.text).toMatch(/<form[^>]+action="\/search"/);
    expect(res.text).toMatch(/data-qa="count-legalPersons"[^>]*>\s*2\s*</);
    expect(res.text).toMatch(/data-qa="count-naturalPersons"[^>]*>\s*1\s*</);
    expect(res.text).toMatch(/data-qa="count-departments"[^>]*>\s*2\s*</);
    // Anonymous readers get no session cookie.
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('sends a strict CSP (no unsafe-inline) and the pages carry no inline script or style', async () => {
    for (const path of ['/', '/admin/login', '/no-such-page', '/accessibility', '/about', '/publicity']) {
      const res = await request(t.app).get(path);
      const csp = res.headers['content-security-policy'] as string;
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).not.toContain('unsafe-inline');
      expect(res.text, path).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(res.text, path).not.toMatch(/\sstyle="/);
      expect(res.text, path).not.toMatch(/<style/);
      expect(res.text, path).not.toMatch(/https?:\/\/(?!localhost)[^"']+\.(js|css)/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('every main-navigation link leads to a working page', async () => {
    const home = await request(t.app).get('/');
    const links = [...home.text.matchAll(/<nav[^>]*aria-label="主导航"[\s\S]*?<\/nav>/g)].flatMap((m) =>
      [...m[0].matchAll(/href="([^"]+)"/g)].map((x) => x[1]!),
    );
    expect(links.length).toBeGreaterThanOrEqual(6);
    for (const href of links) expect((await request(t.app).get(href)).status, href).toBe(200);
  });

  it('serves assets from public/', async () => {
    const css = await request(t.app).get('/css/site.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
    expect((await request(t.app).get('/js/site.js')).status).toBe(200);
    expect((await request(t.app).get('/robots.txt')).status).toBe(200);
    expect((await request(t.app).get('/favicon.svg')).headers['content-type']).toMatch(/svg/);
    // browsers and crawlers ask for /favicon.ico whatever the page links
    const ico = await request(t.app).get('/favicon.ico');
    expect(ico.status).toBe(200);
    expect(ico.headers['content-type']).toMatch(/icon/);
    expect(Number(ico.headers['content-length'])).toBeLessThan(2048);
    // A missing asset falls through to the site's own 404 page.
    const missing = await request(t.app).get('/css/none.css');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('页面不存在');
  });

  it('404 is a Chinese page with the right status', async () => {
    const res = await request(t.app).get('/no/such/page');
    expect(res.status).toBe(404);
    expect(res.text).toContain('页面不存在');
  });

  it('the footer shows the configured site identity, and a local PUBLIC_URL is called local on the report pages', async () => {
    const site = {
      icp: '豫ICP备12345678号-1',
      idCode: '4107000012',
      psb: '豫公网安备41070202000123号',
      address: '新乡市红旗区人民东路 1 号',
      phone: '0373-1234567',
    };
    const app = createApp(t.deps, { env: 'test', sessionSecret: 's'.repeat(40), site, publicUrl: 'http://localhost:3000' });
    const home = await request(app).get('/');
    for (const text of [
      '网站标识码：4107000012',
      '豫ICP备12345678号-1',
      '豫公网安备41070202000123号',
      '联系地址：新乡市红旗区人民东路 1 号',
      '联系电话：0373-1234567',
    ]) {
      expect(home.text).toContain(text);
    }
    const uscc = '91410700MA44PRDF0' + usccCheckChar('91410700MA44PRDF0');
    await t.deps.db.legalPerson.create({ data: { uscc, name: '新乡市本机地址测试有限公司', subjectType: 'organisation' } });
    const profile = await request(app).get(`/subjects/${uscc}`);
    expect(profile.status).toBe(200);
    expect(profile.text).toMatch(/data-qa="local-public-url"[^>]*>[^<]*http:\/\/localhost:3000/);

    const partial = createApp(t.deps, {
      env: 'test',
      sessionSecret: 's'.repeat(40),
      site: { phone: '0373-1234567' },
      publicUrl: 'https://credit.example.gov.cn',
    });
    const home2 = await request(partial).get('/');
    expect(home2.text).toContain('联系电话：0373-1234567');
    expect(home2.text).not.toMatch(/网站标识码|ICP备|公网安备|联系地址/);
    expect((await request(partial).get(`/subjects/${uscc}`)).text).not.toContain('local-public-url');
  });

  it('500 is a Chinese page without a stack trace outside development', async () => {
    const deps = buildDeps(t.database.url, { logLevel: 'silent' });
    const app = createApp(deps, { env: 'production', sessionSecret: 'p'.repeat(40) });
    // A broken dependency stands in for any unexpected failure.
    deps.stats.counts = async () => {
      throw new Error('boom-secret-detail');
    };
    try {
      const res = await request(app).get('/');
      expect(res.status).toBe(500);
      expect(res.text).toContain('系统繁忙');
      expect(res.text).not.toContain('boom-secret-detail');
      expect(res.text).not.toMatch(/at .*\.ts:\d+/);
    } finally {
      await deps.close();
    }
  });
});

describe('/healthz', () => {
  it('200 when the database answers', async () => {
    const res = await request(t.app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: 'up' });
  });

  it('503 when it does not', async () => {
    const deps = buildDeps('postgresql://postgres@127.0.0.1:1/nothing', { logLevel: 'silent' });
    const app = createApp(deps, { env: 'test', sessionSecret: 's'.repeat(40) });
    try {
      const res = await request(app).get('/healthz');
      expect(res.status).toBe(503);
      expect(res.body.database).toBe('down');
    } finally {
      await deps.close();
    }
  });
});

describe('back office: users, password, audit', () => {
  it('an admin creates a user; a bad form keeps what was typed and lists every problem', async () => {
    const admin = await signIn(t.app, 't-admin');
    const form = await admin.get('/admin/users/new');
    const token = csrfFrom(form.text);
    const bad = await admin
      .post('/admin/users')
      .type('form')
      .send({ _csrf: token, username: 'Bad Name', displayName: '李四', role: 'clerk', departmentId: '', password: 'short', confirm: 'other' });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/<title>错误：/);
    expect(bad.text).toContain('value="Bad Name"');
    expect(bad.text).toContain('value="李四"');
    for (const msg of ['用户名只能包含', '密码至少 10 位', '两次输入的密码不一致', '部门填报员必须属于一个部门']) expect(bad.text).toContain(msg);
    expect(bad.text).toContain('href="#username"');

    const dept = await t.deps.db.department.findFirstOrThrow();
    const ok = await admin
      .post('/admin/users')
      .type('form')
      .send({
        _csrf: token,
        username: 'li.si',
        displayName: '李四',
        role: 'clerk',
        departmentId: String(dept.id),
        password: 'Password123',
        confirm: 'Password123',
      });
    expect(ok.status).toBe(303);
    const list = await admin.get('/admin/users');
    expect(list.text).toContain('已创建用户 li.si');
    expect(list.text).toContain('li.si');
    const created = await t.deps.db.user.findUniqueOrThrow({ where: { username: 'li.si' } });
    expect(created.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await t.deps.db.auditLog.count({ where: { action: 'user.create', targetId: String(created.id) } })).toBe(1);

    const dup = await admin
      .post('/admin/users')
      .type('form')
      .send({
        _csrf: token,
        username: 'li.si',
        displayName: '李四',
        role: 'clerk',
        departmentId: String(dept.id),
        password: 'Password123',
        confirm: 'Password123',
      });
    expect(dup.status).toBe(400);
    expect(dup.text).toContain('该用户名已被使用');

    const signedInAsNew = await signIn(t.app, 'li.si', 'Password123');
    expect((await signedInAsNew.get('/admin')).status).toBe(200);
  });

  it('a user changes their own password; the wrong current password is refused', async () => {
    const hash = (await t.deps.db.user.findUniqueOrThrow({ where: { username: 't-clerk' } })).passwordHash;
    await t.deps.db.user.create({ data: { username: 'pw-user', displayName: '改密码', role: 'clerk', passwordHash: hash } });
    const agent = await signIn(t.app, 'pw-user');
    const token = csrfFrom((await agent.get('/admin/account/password')).text);
    const wrong = await agent
      .post('/admin/account/password')
      .type('form')
      .send({ _csrf: token, current: 'nope-nope-1', password: 'NewPassword1', confirm: 'NewPassword1' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('当前密码不正确');
    const ok = await agent
      .post('/admin/account/password')
      .type('form')
      .send({ _csrf: token, current: TEST_PASSWORD, password: 'NewPassword1', confirm: 'NewPassword1' });
    expect(ok.status).toBe(303);
    await signIn(t.app, 'pw-user', 'NewPassword1');
  });

  it('admins read the audit log filtered by user, action and date; a malformed date is a 400 that says which', async () => {
    const admin = await signIn(t.app, 't-admin');
    const all = await admin.get('/admin/audit');
    expect(all.status).toBe(200);
    expect(all.text).toContain('登录成功');
    const byUser = await admin.get('/admin/audit?user=t-admin&action=login.success');
    expect(byUser.text).toContain('t-admin');
    expect(byUser.text).not.toContain('>t-clerk<');
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const byDate = await admin.get(`/admin/audit?from=${today}&to=${today}`);
    expect(byDate.text).toContain('登录成功');
    const past = await admin.get('/admin/audit?from=2000-01-01&to=2000-01-02');
    expect(past.text).toContain('没有符合条件的记录');
    const bad = await admin.get('/admin/audit?from=2026-13-45');
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/日期/);
    const badPage = await admin.get('/admin/audit?page=0');
    expect(badPage.status).toBe(400);
    expect(badPage.text).toContain('页码应为正整数');
  });
});

describe('request logs', () => {
  it('one JSON line per request, with the id the response carries, no headers, and the ID number masked', async () => {
    const lines: string[] = [];
    const deps = buildDeps(t.database.url, { log: createLogger('info', (l) => lines.push(l)) });
    try {
      const app = createApp(deps, { env: 'test', sessionSecret: 'test-secret-test-secret-test-secret-0123' });
      const res = await request(app).get('/no-such-page?id=410702199001011234').set('Cookie', 'connect.sid=secret-cookie');
      expect(res.status).toBe(404);
      const requestId = String(res.headers['x-request-id']);
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      const line = lines.find((l) => l.includes(requestId));
      expect(line).toBeDefined();
      expect(JSON.parse(line!)).toMatchObject({
        level: 'warn',
        req: { id: requestId, method: 'GET', url: '/no-such-page?id=410702********1234' },
        res: { statusCode: 404 },
      });
      expect(lines.join('\n')).not.toMatch(/410702199001011234|secret-cookie/);
    } finally {
      await deps.close();
    }
  });

  it('a page a visitor reads: one "request completed" line with its time, every security header, no session cookie', async () => {
    const lines: string[] = [];
    const deps = buildDeps(t.database.url, { log: createLogger('info', (l) => lines.push(l)) });
    try {
      const app = createApp(deps, { env: 'test', sessionSecret: 'test-secret-test-secret-test-secret-0123' });
      const ids = new Set<string>();
      for (let i = 0; i < 2; i++) {
        const res = await request(app).get('/accessibility');
        expect(res.status).toBe(200);
        // Each request its own id (the logger keeps no state from one request to the next).
        ids.add(String(res.headers['x-request-id']));
        expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
        expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
        expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
        expect(res.headers['set-cookie']).toBeUndefined();
      }
      expect(ids.size).toBe(2);
      for (const id of ids) {
        const logged = lines.filter((l) => l.includes(id)).map((l) => JSON.parse(l) as Record<string, unknown>);
        expect(logged).toHaveLength(1);
        expect(logged[0]).toMatchObject({
          level: 'info',
          msg: 'request completed',
          req: { id, method: 'GET', url: '/accessibility' },
          res: { statusCode: 200 },
        });
        expect(typeof logged[0]!.responseTime).toBe('number');
        expect(Object.keys(logged[0]!)).not.toContain('headers');
      }
      // Probes are not logged, as before.
      const before = lines.length;
      await request(app).get('/healthz');
      expect(lines.length).toBe(before);
    } finally {
      await deps.close();
    }
  });
});
