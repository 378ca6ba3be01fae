import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom, seedUsers, signIn, signInAttempt, TEST_PASSWORD, type TestApp } from '../helpers/app.js';
import { OTHER_AGENCY, OTHER_AGENCY_USCC, rawRecord } from '../helpers/records.js';
import { hashPassword } from '../../src/platform/passwords.js';
import { SESSION_EXPIRED } from '../../src/platform/session.js';
import { LOGIN_FAILED } from '../../src/features/auth/routes.js';
import { recordSchema } from '../../src/domain/publicity/schemas.js';

let t: TestApp;
let seeded: Awaited<ReturnType<typeof seedUsers>>;
let admin: Awaited<ReturnType<typeof signIn>>;
let adminToken: string;
const NEW_PASSWORD = 'Changed12345x';

beforeAll(async () => {
  t = await createTestApp();
  seeded = await seedUsers(t.deps);
  admin = await signIn(t.app, 't-admin');
  adminToken = csrfFrom((await admin.get('/admin/users')).text);
});
afterAll(async () => t.close());

async function newUser(username: string, role: 'clerk' | 'reviewer' = 'reviewer') {
  return t.deps.db.user.create({
    data: { username, displayName: username, role, departmentId: seeded.departmentId, passwordHash: await hashPassword(TEST_PASSWORD) },
  });
}

const signedIn = async (agent: request.Agent) => (await agent.get('/admin')).status === 200;

const attempt = async (username: string, password: string) => (await signInAttempt(t.app, username, password)).res;

describe('a password change or reset ends the user’s other sessions', () => {
  it('changing one’s own password keeps this session and ends the others', async () => {
    await newUser('two-desks');
    const here = await signIn(t.app, 'two-desks');
    const there = await signIn(t.app, 'two-desks');
    const token = csrfFrom((await here.get('/admin/account/password')).text);
    const res = await here
      .post('/admin/account/password')
      .type('form')
      .send({ current: TEST_PASSWORD, password: NEW_PASSWORD, confirm: NEW_PASSWORD, _csrf: token });
    expect(res.status).toBe(303);
    expect(await signedIn(here)).toBe(true);
    const other = await there.get('/admin');
    expect(other.status).toBe(303);
    expect(other.headers.location).toMatch(/^\/admin\/login/);
    expect((await attempt('two-desks', TEST_PASSWORD)).status).toBe(401);
    expect((await attempt('two-desks', NEW_PASSWORD)).status).toBe(303);
  });

  it('an admin resets a forgotten password: every session of the user ends, a lock is lifted, the reset is audited', async () => {
    const user = await newUser('forgetful');
    const session = await signIn(t.app, 'forgetful');
    await t.deps.db.user.update({ where: { id: user.id }, data: { lockedUntil: new Date(Date.now() + 10 * 60_000), failedLogins: 0 } });

    const form = await admin.get(`/admin/users/${user.id}/password`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('重置密码：forgetful');
    const mismatch = await admin
      .post(`/admin/users/${user.id}/password`)
      .type('form')
      .send({ password: NEW_PASSWORD, confirm: 'different1234', _csrf: adminToken });
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toMatch(/<title>错误：/);
    expect(mismatch.text).toContain('两次输入的密码不一致');
    expect(await signedIn(session)).toBe(true);

    const ok = await admin.post(`/admin/users/${user.id}/password`).type('form').send({ password: NEW_PASSWORD, confirm: NEW_PASSWORD, _csrf: adminToken });
    expect(ok.status).toBe(303);
    expect(await signedIn(session)).toBe(false);
    expect(await t.deps.db.auditLog.count({ where: { action: 'user.password.reset', targetId: String(user.id), username: 't-admin' } })).toBe(1);
    expect((await attempt('forgetful', NEW_PASSWORD)).status).toBe(303);
  });

  it('an admin resets their own password only on their own page, with the current one', async () => {
    const res = await admin.get(`/admin/users/${seeded.users.admin.id}/password`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/account/password');
    expect((await admin.get('/admin/users/999999/password')).status).toBe(404);
  });
});

describe('disabling a user', () => {
  it('ends their sessions at once, and enabling the account again does not bring them back', async () => {
    const user = await newUser('leaver');
    const session = await signIn(t.app, 'leaver');
    expect(await signedIn(session)).toBe(true);
    expect((await admin.post(`/admin/users/${user.id}/disable`).type('form').send({ _csrf: adminToken })).status).toBe(303);
    expect(await signedIn(session)).toBe(false);
    expect((await admin.post(`/admin/users/${user.id}/enable`).type('form').send({ _csrf: adminToken })).status).toBe(303);
    expect(await signedIn(session)).toBe(false);
    expect(await signedIn(await signIn(t.app, 'leaver'))).toBe(true);
  });
});

describe('absolute session lifetime', () => {
  /** Moves the sign-in time of the user's sessions back, as if they had signed in that long ago. */
  async function signedInAgo(userId: number, hours: number) {
    await t.deps.pool.query(
      `UPDATE session SET sess = jsonb_set(sess::jsonb, '{passport,user,at}', to_jsonb($2::bigint))::json WHERE sess->'passport'->'user'->>'id' = $1`,
      [String(userId), Date.now() - hours * 3_600_000],
    );
  }

  it('a sign-in lasts 12 hours however active it is; then the user signs in again and is told why', async () => {
    const user = await newUser('long-day');
    const agent = await signIn(t.app, 'long-day');
    await signedInAgo(user.id, 11.5);
    expect(await signedIn(agent)).toBe(true);
    await signedInAgo(user.id, 12.1);
    const res = await agent.get('/admin/audit');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/login?next=%2Fadmin%2Faudit');
    const login = await agent.get(res.headers.location!);
    expect(login.text).toContain(SESSION_EXPIRED);
    expect(await signedIn(agent)).toBe(false);
    const again = await agent
      .post('/admin/login')
      .type('form')
      .send({ username: 'long-day', password: TEST_PASSWORD, _csrf: csrfFrom(login.text) });
    expect(again.status).toBe(303);
    expect(await signedIn(agent)).toBe(true);
  });

  it('a session stored in another shape than a sign-in is not signed in', async () => {
    const user = await newUser('old-shape');
    const agent = await signIn(t.app, 'old-shape');
    await t.deps.pool.query(
      `UPDATE session SET sess = jsonb_set(sess::jsonb, '{passport,user}', to_jsonb($1::int))::json WHERE sess->'passport'->'user'->>'id' = $2`,
      [user.id, String(user.id)],
    );
    expect(await signedIn(agent)).toBe(false);
  });
});

describe('refused back-office requests are audited', () => {
  const refusals = (username: string) => t.deps.db.auditLog.findMany({ where: { action: 'access.denied', username }, orderBy: { id: 'asc' } });

  it('a role without the right: one entry with user, route pattern and reason', async () => {
    const clerk = await signIn(t.app, 't-clerk');
    const before = (await refusals('t-clerk')).length;
    // An ID number in the query string must not reach the log.
    const res = await clerk.get('/admin/audit?user=110101199003070011');
    expect(res.status).toBe(403);
    const rows = (await refusals('t-clerk')).slice(before);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ userId: seeded.users.clerk.id, targetType: null, detail: { route: 'GET /admin/audit', reason: 'role', role: 'clerk' } });
    expect(JSON.stringify(rows[0]!.detail)).not.toContain('110101199003070011');
  });

  it('another department’s record: one entry naming the record', async () => {
    const eco = await t.deps.db.user.create({
      data: { username: 'eco-clerk', displayName: '环境局填报员', role: 'clerk', departmentId: seeded.otherDepartmentId, passwordHash: 'x' },
    });
    const ecoUser = {
      id: eco.id,
      username: eco.username,
      displayName: eco.displayName,
      role: 'clerk' as const,
      departmentId: seeded.otherDepartmentId,
      departmentName: OTHER_AGENCY,
    };
    const input = recordSchema('penalty').parse(
      rawRecord('penalty', { authority: OTHER_AGENCY, authorityCode: OTHER_AGENCY_USCC, documentNo: '新环罚〔2026〕审1号' }),
    );
    const saved = await t.deps.publicity.saveOne('penalty', input, ecoUser, null);
    if (!saved.ok) throw new Error('could not create the other department’s record');

    const clerk = await signIn(t.app, 't-clerk');
    const before = (await refusals('t-clerk')).length;
    expect((await clerk.get(`/admin/penalties/${saved.id}`)).status).toBe(403);
    const token = csrfFrom((await clerk.get('/admin/penalties/new')).text);
    expect((await clerk.post(`/admin/penalties/${saved.id}/withdraw`).type('form').send({ reason: '试图撤回', _csrf: token })).status).toBe(403);
    const rows = (await refusals('t-clerk')).slice(before);
    expect(rows.map((r) => [r.targetType, r.targetId, (r.detail as { route: string }).route, (r.detail as { reason: string }).reason])).toEqual([
      ['penalties', String(saved.id), 'GET /admin/penalties/:id', 'target'],
      ['penalties', String(saved.id), 'POST /admin/penalties/:id/withdraw', 'target'],
    ]);
    expect((rows[0]!.detail as { message: string }).message).toBe('只能查看本部门报送的记录');
  });

  it('a refusal by an upload’s own role check (before the body is read) is written once too, and the audit page filters them', async () => {
    const reviewer = await signIn(t.app, 't-reviewer');
    const token = csrfFrom((await reviewer.get('/admin/account/password')).text);
    const before = (await refusals('t-reviewer')).length;
    const res = await reviewer.post('/admin/imports').field('_csrf', token).field('kind', 'penalty').attach('file', Buffer.from('x'), 'a.csv');
    expect(res.status).toBe(403);
    const rows = (await refusals('t-reviewer')).slice(before);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.detail).toMatchObject({ route: 'POST /admin/imports', reason: 'role' });

    const page = await admin.get('/admin/audit?action=access.denied');
    expect(page.status).toBe(200);
    const body = page.text.slice(page.text.indexOf('<tbody>'), page.text.indexOf('</tbody>'));
    const actions = [...body.matchAll(/<tr>\s*<td>[^<]*<\/td>\s*<td>[^<]*<\/td>\s*<td>([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(actions.length).toBeGreaterThan(2);
    expect(new Set(actions)).toEqual(new Set(['拒绝越权访问']));
    expect(body).toContain('t-reviewer');
    expect(body).toContain('POST /admin/imports');
  });

  it('a failed CSRF check and a visitor without a session are not refusals of a user’s rights', async () => {
    const count = () => t.deps.db.auditLog.count({ where: { action: 'access.denied' } });
    const before = await count();
    expect((await admin.post('/admin/users/1/disable').type('form').send({})).status).toBe(403);
    expect((await request(t.app).get('/admin/audit')).status).toBe(303);
    expect(await count()).toBe(before);
  });
});

describe('sign-in messages stay generic', () => {
  it('a locked account that is also disabled gets the generic message', async () => {
    const user = await newUser('locked-gone');
    await t.deps.db.user.update({ where: { id: user.id }, data: { disabled: true, lockedUntil: new Date(Date.now() + 10 * 60_000) } });
    const res = await attempt('locked-gone', TEST_PASSWORD);
    expect(res.status).toBe(401);
    expect(res.text).toContain(LOGIN_FAILED);
  });
});
