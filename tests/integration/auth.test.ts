import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_FAILED } from '../../src/features/auth/routes.js';
import { ACCOUNT_DISABLED } from '../../src/features/auth/service.js';
import { SESSION_COOKIE } from '../../src/platform/session.js';
import { createTestApp, csrfFrom, seedUsers, signIn, signInAttempt, TEST_PASSWORD, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedUsers(t.deps);
});
afterAll(async () => t.close());

function sid(res: request.Response): string | undefined {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const c = cookies.find((x) => x.startsWith(`${SESSION_COOKIE}=`));
  return c?.split(';')[0];
}

const attempt = async (username: string, password: string) => (await signInAttempt(t.app, username, password)).res;

describe('sign-in', () => {
  it('signs in, regenerates the session id, and sets a hardened cookie', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/admin/login');
    expect(page.status).toBe(200);
    expect(page.text).toContain('后台登录');
    const before = sid(page);
    expect(before).toBeDefined();
    const res = await agent
      .post('/admin/login')
      .type('form')
      .send({ username: 't-clerk', password: TEST_PASSWORD, _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin');
    const after = sid(res);
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith(SESSION_COOKIE))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const dash = await agent.get('/admin');
    expect(dash.status).toBe(200);
    expect(dash.text).toContain('控制台');
    const stored = await t.deps.pool.query('SELECT count(*)::int AS n FROM session');
    expect(stored.rows[0].n).toBeGreaterThan(0);
  });

  it('follows a safe next= back to the page asked for, never off-site', async () => {
    const agent = request.agent(t.app);
    const first = await agent.get('/admin/audit');
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/admin/login?next=%2Fadmin%2Faudit');
    const page = await agent.get(first.headers.location!);
    const ok = await agent
      .post('/admin/login')
      .type('form')
      .send({ username: 't-admin', password: TEST_PASSWORD, next: '/admin/audit', _csrf: csrfFrom(page.text) });
    expect(ok.headers.location).toBe('/admin/audit');
    const evil = await attempt('t-admin', TEST_PASSWORD);
    expect(evil.headers.location).toBe('/admin');
    const agent2 = request.agent(t.app);
    const p2 = await agent2.get('/admin/login');
    const off = await agent2
      .post('/admin/login')
      .type('form')
      .send({ username: 't-admin', password: TEST_PASSWORD, next: '//evil.example/admin', _csrf: csrfFrom(p2.text) });
    expect(off.headers.location).toBe('/admin');
  });

  it('gives the same answer for an unknown user and a wrong password, and keeps the typed name', async () => {
    const unknown = await attempt('nobody-here', 'whatever123');
    const wrong = await attempt('t-reviewer', 'wrong-password-1');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    for (const r of [unknown, wrong]) {
      expect(r.text).toContain(LOGIN_FAILED);
      expect(r.text).toMatch(/<title>错误：/);
    }
    expect(unknown.text).toContain('value="nobody-here"');
    expect(wrong.text).not.toContain('wrong-password-1');
  });

  it('rejects an empty form with a Chinese message per field', async () => {
    const res = await attempt('', '');
    expect(res.status).toBe(400);
    expect(res.text).toContain('请输入用户名');
    expect(res.text).toContain('请输入密码');
  });

  it('locks an account for 15 minutes after 5 failures, even against the right password, and audits it', async () => {
    const hash = (await t.deps.db.user.findUniqueOrThrow({ where: { username: 't-reviewer' } })).passwordHash;
    await t.deps.db.user.create({ data: { username: 'lockme', displayName: '锁定测试', role: 'clerk', passwordHash: hash } });
    for (let i = 0; i < 5; i++) expect((await attempt('lockme', 'bad-password-9')).status).toBe(401);
    const locked = await attempt('lockme', TEST_PASSWORD);
    expect(locked.status).toBe(401);
    expect(locked.text).toContain(LOGIN_FAILED);
    const user = await t.deps.db.user.findUniqueOrThrow({ where: { username: 'lockme' } });
    const minutes = (user.lockedUntil!.getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);
    const actions = await t.deps.db.auditLog.findMany({ where: { username: 'lockme' }, select: { action: true } });
    expect(actions.filter((a) => a.action === 'login.failure')).toHaveLength(6);
    expect(actions.filter((a) => a.action === 'login.locked')).toHaveLength(1);
    // The lock ends by itself.
    await t.deps.db.user.update({ where: { id: user.id }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    expect((await attempt('lockme', TEST_PASSWORD)).status).toBe(303);
  });

  it('tells a disabled account it is disabled after the right password, and only then', async () => {
    const hash = (await t.deps.db.user.findUniqueOrThrow({ where: { username: 't-reviewer' } })).passwordHash;
    await t.deps.db.user.create({ data: { username: 'gone', displayName: '已停用', role: 'clerk', passwordHash: hash, disabled: true } });
    const res = await attempt('gone', TEST_PASSWORD);
    expect(res.status).toBe(401);
    expect(res.text).toContain(ACCOUNT_DISABLED);
    expect(res.text).not.toContain(LOGIN_FAILED);
    // A wrong password learns nothing about the account.
    const wrong = await attempt('gone', 'wrong-password-1');
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain(LOGIN_FAILED);
    expect(wrong.text).not.toContain(ACCOUNT_DISABLED);
  });

  it('signs out with POST and forgets the session', async () => {
    const agent = await signIn(t.app, 't-clerk');
    const page = await agent.get('/admin');
    const out = await agent
      .post('/admin/logout')
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(out.status).toBe(303);
    const after = await agent.get('/admin');
    expect(after.status).toBe(303);
    expect(after.headers.location).toMatch(/^\/admin\/login/);
    const logged = await t.deps.db.auditLog.count({ where: { action: 'logout', username: 't-clerk' } });
    expect(logged).toBeGreaterThan(0);
  });

  it('a user disabled while signed in loses access at the next request', async () => {
    const hash = (await t.deps.db.user.findUniqueOrThrow({ where: { username: 't-reviewer' } })).passwordHash;
    await t.deps.db.user.create({ data: { username: 'soon-gone', displayName: '将停用', role: 'reviewer', passwordHash: hash } });
    const agent = await signIn(t.app, 'soon-gone', TEST_PASSWORD);
    expect((await agent.get('/admin')).status).toBe(200);
    await t.deps.db.user.update({ where: { username: 'soon-gone' }, data: { disabled: true } });
    expect((await agent.get('/admin')).status).toBe(303);
  });
});

describe('CSRF', () => {
  it('answers 403 to a POST without a token or with a wrong one', async () => {
    const agent = request.agent(t.app);
    await agent.get('/admin/login');
    const none = await agent.post('/admin/login').type('form').send({ username: 't-clerk', password: TEST_PASSWORD });
    expect(none.status).toBe(403);
    expect(none.text).toContain('页面已过期或请求来源无效');
    const wrong = await agent
      .post('/admin/login')
      .type('form')
      .send({ username: 't-clerk', password: TEST_PASSWORD, _csrf: 'x'.repeat(40) });
    expect(wrong.status).toBe(403);
    const signedIn = await signIn(t.app, 't-admin');
    const res = await signedIn.post('/admin/users/1/disable').type('form').send({});
    expect(res.status).toBe(403);
  });
});

describe('rate limit', () => {
  it('limits sign-in attempts per IP with a Chinese 429 page', async () => {
    const limited = await createTestApp({ loginLimit: { windowMs: 60_000, limit: 3 } });
    try {
      const agent = request.agent(limited.app);
      const page = await agent.get('/admin/login');
      const token = csrfFrom(page.text);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await agent.post('/admin/login').type('form').send({ username: 'x', password: 'y', _csrf: token })).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
      const last = await agent.post('/admin/login').type('form').send({ username: 'x', password: 'y', _csrf: token });
      expect(last.text).toContain('登录尝试过于频繁');
    } finally {
      await limited.close();
    }
  });
});
