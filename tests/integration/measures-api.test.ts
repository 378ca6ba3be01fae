import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom, seedUsers, signIn, type TestApp, binary, sessionUser } from '../helpers/app.js';
import { COMPANY_USCC } from '../helpers/records.js';
import { usccCheckChar } from '../../src/domain/identifiers.js';
import { hashApiKey } from '../../src/features/api/keys.js';

let t: TestApp;
let seeded: Awaited<ReturnType<typeof seedUsers>>;
let entryId: number;

beforeAll(async () => {
  t = await createTestApp();
  seeded = await seedUsers(t.deps);
  const reviewer = await signIn(t.app, 't-reviewer');
  const rt = csrfFrom((await reviewer.get('/admin/measures')).text);
  // The credit office adds a punishment measure implemented by the clerk's department.
  const added = await reviewer
    .post('/admin/measures')
    .type('form')
    .send({ listType: 'black', departmentId: String(seeded.departmentId), text: '限制参与政府采购和招投标', legalBasis: '发改财金〔2016〕141号', _csrf: rt });
  expect(added.status).toBe(303);
  const clerkUser = sessionUser(seeded);
  const reviewerUser = { ...clerkUser, id: seeded.users.reviewer.id, username: 't-reviewer', role: 'reviewer' as const };
  const n = await t.deps.lists.nominate(
    {
      listType: 'black',
      subjectCategory: 'legal',
      subjectName: '新乡市华兴食品有限公司',
      uscc: COMPANY_USCC,
      docType: null,
      docNumber: null,
      basisDocNo: '新市监认〔2026〕1号',
      basisAuthority: '新乡市市场监督管理局',
      basisDate: '2026-10-01',
      reason: '严重违法失信',
      validUntil: '2029-10-01',
    },
    clerkUser,
    null,
  );
  await t.deps.lists.review(n, 'accept', undefined, reviewerUser, null);
  // A prior notice served long ago: its objection window has passed (条例 Art. 28).
  await t.deps.lists.servePriorNotice(
    n,
    { noticeNo: '新告〔2020〕1号', measures: '限制参与政府采购和招投标', servedOn: '2020-01-06', objectionDays: 7 },
    reviewerUser,
    null,
  );
  const issue = await t.deps.lists.createIssue(2026, 4, reviewerUser, null);
  await t.deps.lists.addEntries(issue, [n], reviewerUser, null);
  await t.deps.lists.publish(issue, reviewerUser, null);
  entryId = (await t.deps.db.listEntry.findFirstOrThrow()).id;
});
afterAll(async () => t.close());

describe('联合奖惩', () => {
  it('publishing creates a task for the implementing department; its clerk records feedback; the rate shows', async () => {
    const clerk = await signIn(t.app, 't-clerk');
    const tasks = await clerk.get('/admin/tasks');
    expect(tasks.text).toContain('限制参与政府采购和招投标');
    expect(tasks.text).toContain('新乡市华兴食品有限公司');
    const task = await t.deps.db.measureTask.findFirstOrThrow();
    const token = csrfFrom(tasks.text);
    const bad = await clerk.post(`/admin/tasks/${task.id}/feedback`).type('form').send({ status: 'notImplemented', feedbackDate: '2026-11-01', _csrf: token });
    // Refused: the task list again with that form's problem in the summary and its values kept.
    expect(bad.status).toBe(400);
    expect(bad.text).toContain(`<a href="#reason-${task.id}">`);
    expect(bad.text).toContain(`id="date-${task.id}" name="feedbackDate" value="2026-11-01"`);
    expect(bad.text).toContain('<option value="notImplemented" selected>未实施</option>');
    expect((await t.deps.db.measureTask.findUniqueOrThrow({ where: { id: task.id } })).status).toBe('pending');
    const ok = await clerk
      .post(`/admin/tasks/${task.id}/feedback`)
      .type('form')
      .send({ status: 'implemented', feedbackDate: '2026-11-01', detail: '已在招标文件中限制其投标', _csrf: token });
    expect(ok.status).toBe(303);
    expect((await t.deps.db.measureTask.findUniqueOrThrow({ where: { id: task.id } })).status).toBe('implemented');
    // Another department's clerk cannot answer it.
    await t.deps.db.user.create({
      data: {
        username: 'eco',
        displayName: '环境',
        role: 'clerk',
        departmentId: seeded.otherDepartmentId,
        passwordHash: (await t.deps.db.user.findFirstOrThrow()).passwordHash,
      },
    });
    const eco = await signIn(t.app, 'eco');
    const ecoToken = csrfFrom((await eco.get('/admin/tasks')).text);
    expect(
      (await eco.post(`/admin/tasks/${task.id}/feedback`).type('form').send({ status: 'implemented', feedbackDate: '2026-11-01', _csrf: ecoToken })).status,
    ).toBe(403);
    const reviewer = await signIn(t.app, 't-reviewer');
    expect((await reviewer.get('/admin/measures/stats')).text).toMatch(/新乡市市场监督管理局[\s\S]*100%/);
  });
});

describe('信用核查 (batch)', () => {
  it('checks pasted codes: black-list entries, serious penalties, measures; invalid codes listed, not dropped', async () => {
    const clerk = await signIn(t.app, 't-clerk');
    const token = csrfFrom((await clerk.get('/admin/credit-check')).text);
    const unknown = '91410700MA4400000' + usccCheckChar('91410700MA4400000');
    const res = await clerk
      .post('/admin/credit-check')
      .type('form')
      .send({ purpose: '某项目招标', codes: `${COMPANY_USCC}\n${unknown}, 91410700174608534F`, _csrf: token });
    expect(res.status).toBe(303);
    const page = await clerk.get(res.headers.location!);
    expect(page.text).toContain('存在失信记录');
    expect(page.text).toContain('新市监认〔2026〕1号');
    expect(page.text).toContain('限制参与政府采购和招投标');
    expect(page.text).toContain('平台无此主体');
    expect(page.text).toMatch(/data-qa="check-invalid"[\s\S]*第18位校验码应为 E/);
    const xlsx = await binary(clerk.get(`${res.headers.location}/report.xlsx`));
    expect(xlsx.status).toBe(200);
    expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    const pdf = await binary(clerk.get(`${res.headers.location}/report.pdf`));
    expect(pdf.status).toBe(200);
    expect((pdf.body as Buffer).subarray(0, 4).toString()).toBe('%PDF');
    // A code list uploaded as a GBK text file works as well as pasted codes.
    const uploaded = await clerk
      .post('/admin/credit-check')
      .field('_csrf', token)
      .field('purpose', '上传清单')
      .attach('file', Buffer.from(`${COMPANY_USCC}\r\n`), 'codes.txt');
    expect(uploaded.status).toBe(303);
    expect((await clerk.get(uploaded.headers.location!)).text).toContain('存在失信记录');
    const empty = await clerk.post('/admin/credit-check').type('form').send({ codes: '', _csrf: token });
    expect(empty.status).toBe(400);
    const tooMany = await clerk
      .post('/admin/credit-check')
      .type('form')
      .send({ codes: Array.from({ length: 5001 }, (_, i) => `C${i}`).join('\n'), _csrf: token });
    expect(tooMany.status).toBe(400);
    expect(tooMany.text).toContain('一次最多核查 5000 个代码');
    expect(await t.deps.db.creditCheckRun.count()).toBe(2);
    const reviewer = await signIn(t.app, 't-reviewer');
    expect((await reviewer.get('/admin/statistics')).text).toMatch(/data-qa="check-total"[\s\S]*<strong>2<\/strong>/);
  });
});

describe('/api/v1 credit check', () => {
  let key = '';

  it('an admin creates a key, shown once and stored hashed', async () => {
    const admin = await signIn(t.app, 't-admin');
    const page = await admin.get('/admin/api-keys');
    const res = await admin
      .post('/admin/api-keys')
      .type('form')
      .send({ departmentId: String(seeded.departmentId), name: '招投标系统', _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(200);
    key = /data-qa="api-key">([^<]+)</.exec(res.text)?.[1] ?? '';
    expect(key).toMatch(/^xxk_/);
    const stored = await t.deps.db.apiKey.findFirstOrThrow({ where: { name: '招投标系统' } });
    expect(stored.hash).toBe(hashApiKey(key));
    expect(JSON.stringify(stored)).not.toContain(key);
    expect((await admin.get('/admin/api-keys')).text).not.toContain(key);
  });

  it('answers with list entries in force and the measures that apply; 401/403/404/400 otherwise; every call audited', async () => {
    const ok = await request(t.app).get(`/api/v1/subjects/${COMPANY_USCC}/credit-check`).set('Authorization', `Bearer ${key}`);
    expect(ok.status).toBe(200);
    expect(ok.headers['set-cookie']).toBeUndefined();
    expect(ok.body.blackList).toBe(true);
    expect(ok.body.listEntries[0]).toMatchObject({ listType: 'black', basisDocNo: '新市监认〔2026〕1号' });
    expect(ok.body.measures[0]).toMatchObject({ text: '限制参与政府采购和招投标' });
    expect((await request(t.app).get(`/api/v1/subjects/${COMPANY_USCC}/credit-check`).set('X-API-Key', key)).status).toBe(200);
    expect((await request(t.app).get(`/api/v1/subjects/${COMPANY_USCC}/credit-check`)).status).toBe(401);
    expect((await request(t.app).get(`/api/v1/subjects/${COMPANY_USCC}/credit-check`).set('Authorization', 'Bearer nope')).status).toBe(401);
    const bad = await request(t.app).get(`/api/v1/subjects/91410700174608534F/credit-check`).set('Authorization', `Bearer ${key}`);
    expect(bad.status).toBe(400);
    expect(bad.body.reason).toContain('第18位校验码应为 E');
    const unknown = '91410700MA4400000' + usccCheckChar('91410700MA4400000');
    expect((await request(t.app).get(`/api/v1/subjects/${unknown}/credit-check`).set('Authorization', `Bearer ${key}`)).status).toBe(404);
    expect(await t.deps.db.auditLog.count({ where: { action: 'api.credit-check' } })).toBe(4);

    // Exit stops the measures and the entry leaves the answer.
    const reviewerUser = {
      id: seeded.users.reviewer.id,
      username: 't-reviewer',
      displayName: 'r',
      role: 'reviewer' as const,
      departmentId: seeded.departmentId,
      departmentName: null,
    };
    await t.deps.db.measureTask.updateMany({ data: { status: 'pending' } });
    await t.deps.lists.exit(entryId, '信用修复', reviewerUser, null);
    expect(await t.deps.db.measureTask.count({ where: { status: 'stopped' } })).toBe(1);
    const after = await request(t.app).get(`/api/v1/subjects/${COMPANY_USCC}/credit-check`).set('Authorization', `Bearer ${key}`);
    expect(after.body.blackList).toBe(false);
    expect(after.body.measures).toEqual([]);

    // A revoked key is refused with 403.
    const admin = await signIn(t.app, 't-admin');
    const stored = await t.deps.db.apiKey.findFirstOrThrow({ where: { name: '招投标系统' } });
    await admin
      .post(`/admin/api-keys/${stored.id}/revoke`)
      .type('form')
      .send({ _csrf: csrfFrom((await admin.get('/admin/api-keys')).text) });
    expect((await request(t.app).get(`/api/v1/subjects/${COMPANY_USCC}/credit-check`).set('Authorization', `Bearer ${key}`)).status).toBe(403);
  });

  it('publishes an OpenAPI 3 description', async () => {
    const res = await request(t.app).get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toContain('/subjects/{code}/credit-check');
  });
});
