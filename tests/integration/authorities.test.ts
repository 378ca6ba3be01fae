import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom, grantAuthority, seedUsers, signIn, TEST_PASSWORD, type TestApp } from '../helpers/app.js';
import { AGENCY_USCC, OTHER_AGENCY, OTHER_AGENCY_USCC, rawRecord } from '../helpers/records.js';
import { csvOf, importFinished } from '../helpers/imports.js';
import { hashPassword } from '../../src/platform/passwords.js';
import { institutionUscc } from '../../src/domain/xinxiang.js';

// The 市场监管局 clerk (t-clerk) must not publish in the name of the 生态环境局 (eco-clerk's department).
let t: TestApp;
let departmentId: number;
let otherDepartmentId: number;
type Agent = Awaited<ReturnType<typeof signIn>>;
let clerk: Agent;
let eco: Agent;

const HUOJIA = { name: '获嘉县市场监督管理局', uscc: institutionUscc('410724', '获嘉县市场监督管理局') };
const YANJIN = { name: '延津县市场监督管理局', uscc: institutionUscc('410726', '延津县市场监督管理局') };
const ECO = { authority: OTHER_AGENCY, authorityCode: OTHER_AGENCY_USCC };

beforeAll(async () => {
  t = await createTestApp();
  const seeded = await seedUsers(t.deps);
  departmentId = seeded.departmentId;
  otherDepartmentId = seeded.otherDepartmentId;
  await t.deps.db.user.create({
    data: {
      username: 'eco-clerk',
      displayName: '环境局填报员',
      role: 'clerk',
      departmentId: otherDepartmentId,
      passwordHash: await hashPassword(TEST_PASSWORD),
    },
  });
  clerk = await signIn(t.app, 't-clerk');
  eco = await signIn(t.app, 'eco-clerk');
});
afterAll(async () => t.close());

async function report(agent: Agent, over: Record<string, string>) {
  const token = csrfFrom((await agent.get('/admin/penalties/new')).text);
  return agent
    .post('/admin/penalties')
    .type('form')
    .send({ ...rawRecord('penalty', over), _csrf: token });
}

async function upload(agent: Agent, rows: Record<string, string>[]) {
  const token = csrfFrom((await agent.get('/admin/imports/new')).text);
  const res = await agent
    .post('/admin/imports')
    .field('_csrf', token)
    .field('kind', 'penalty')
    .attach('file', Buffer.from(csvOf('penalty', rows)), 'penalties.csv');
  expect(res.status, res.text.slice(0, 300)).toBe(303);
  return importFinished(t.deps, Number(/\/admin\/imports\/(\d+)$/.exec(res.headers.location ?? '')?.[1]));
}

const stored = (documentNo: string) =>
  t.deps.db.penalty.findMany({ where: { documentNo }, select: { departmentId: true, authority: true, authorityCode: true } });

describe('a clerk reports only in the name of an authority their department reports for', () => {
  it('form: another department’s authority is refused on the code field, what was typed is kept, nothing is written', async () => {
    const res = await report(clerk, { ...ECO, documentNo: '新环罚〔2026〕1号', facts: '夜间违规排放废气' });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/<title>错误：/);
    expect(res.text).toContain(`处罚机关统一社会信用代码 ${OTHER_AGENCY_USCC} 不在本部门可报送的处罚机关之内`);
    expect(res.text).toContain('href="#authorityCode"');
    expect(res.text).toContain('id="authorityCode-error"');
    expect(res.text).toContain('夜间违规排放废气');
    expect(await stored('新环罚〔2026〕1号')).toEqual([]);
    expect(await t.deps.db.auditLog.count({ where: { action: 'penalty.create', detail: { path: ['documentNo'], equals: '新环罚〔2026〕1号' } } })).toBe(0);

    // The 生态环境局's own clerk is not locked out of its 文书号.
    const own = await report(eco, { ...ECO, documentNo: '新环罚〔2026〕1号' });
    expect(own.status).toBe(303);
    expect(await stored('新环罚〔2026〕1号')).toEqual([{ departmentId: otherDepartmentId, ...ECO }]);
  });

  it('form: a name that does not match the code is refused on the name field, naming the registered name', async () => {
    const res = await report(clerk, { authority: OTHER_AGENCY, authorityCode: AGENCY_USCC, documentNo: '新市监罚〔2026〕名1号' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('href="#authority"');
    expect(res.text).toContain('对应的处罚机关是「新乡市市场监督管理局」，不是「新乡市生态环境局」');
    expect(await stored('新市监罚〔2026〕名1号')).toEqual([]);
  });

  it('import: a row in another department’s name, or from a 数据来源单位 it does not report for, fails the whole file with its row and column; the owner can import it', async () => {
    const before = await t.deps.db.penalty.count();
    const imp = await upload(clerk, [
      rawRecord('penalty', { documentNo: '批权罚〔2026〕1号' }),
      rawRecord('penalty', { ...ECO, documentNo: '新环罚〔2026〕2号' }),
    ]);
    expect(imp.status).toBe('failed');
    expect(imp.errorRows).toBe(1);
    expect(imp.errors).toEqual([{ row: 3, column: '处罚机关统一社会信用代码', message: expect.stringContaining('不在本部门可报送的处罚机关之内') }]);
    expect(await t.deps.db.penalty.count()).toBe(before);

    const named = await upload(clerk, [rawRecord('penalty', { authority: '新乡市市场监管局', documentNo: '批权罚〔2026〕2号' })]);
    expect(named.errors).toEqual([{ row: 2, column: '处罚机关', message: expect.stringContaining('对应的处罚机关是「新乡市市场监督管理局」') }]);

    // Nor may a file attribute its data to a 数据来源单位 the department does not report for.
    const source = await upload(eco, [rawRecord('penalty', { ...ECO, documentNo: '新环罚〔2026〕2号' })]);
    expect(source.errors).toEqual([{ row: 2, column: '数据来源单位统一社会信用代码', message: expect.stringContaining('不是本部门或其报送的机关的代码') }]);

    const theirs = await upload(eco, [
      rawRecord('penalty', { ...ECO, sourceName: OTHER_AGENCY, sourceCode: OTHER_AGENCY_USCC, documentNo: '新环罚〔2026〕2号' }),
    ]);
    expect(theirs.status).toBe('succeeded');
    expect((await stored('新环罚〔2026〕2号'))[0]?.departmentId).toBe(otherDepartmentId);
  });

  it('offers the department’s authorities as a list when there are several, and saves the picked one under its registered name', async () => {
    const single = await clerk.get('/admin/penalties/new');
    expect(single.text).toMatch(/id="authority" name="authority" type="text" value="新乡市市场监督管理局"/);
    expect(single.text).not.toContain('data-qa="authority-choice"');

    await grantAuthority(t.deps, departmentId, YANJIN);
    try {
      const form = await clerk.get('/admin/penalties/new');
      expect(form.text).toContain('data-qa="authority-choice"');
      expect(form.text).toContain(`<option value="${AGENCY_USCC}" selected>新乡市市场监督管理局（${AGENCY_USCC}）</option>`);
      expect(form.text).toContain(`<option value="${YANJIN.uscc}">延津县市场监督管理局（${YANJIN.uscc}）</option>`);
      const raw = rawRecord('penalty', { documentNo: '延市监罚〔2026〕1号' });
      delete (raw as Record<string, string | undefined>).authority;
      const res = await clerk
        .post('/admin/penalties')
        .type('form')
        .send({ ...raw, authorityFromList: '1', authorityCode: YANJIN.uscc, _csrf: csrfFrom(form.text) });
      expect(res.status).toBe(303);
      expect(await stored('延市监罚〔2026〕1号')).toEqual([{ departmentId, authority: YANJIN.name, authorityCode: YANJIN.uscc }]);
      // A code that is not on the list gets no name from it and is refused.
      const forged = await clerk
        .post('/admin/penalties')
        .type('form')
        .send({ ...raw, documentNo: '延市监罚〔2026〕2号', authorityFromList: '1', authorityCode: OTHER_AGENCY_USCC, _csrf: csrfFrom(form.text) });
      expect(forged.status).toBe(400);
      expect(await stored('延市监罚〔2026〕2号')).toEqual([]);
    } finally {
      await t.deps.db.departmentAuthority.updateMany({ where: { departmentId, uscc: YANJIN.uscc }, data: { active: false } });
    }
  });
});

describe('admins maintain the mapping', () => {
  const url = () => `/admin/departments/${departmentId}/authorities`;

  it('adds, changes and removes an authority; each step is audited and takes effect for the clerk at once', async () => {
    const admin = await signIn(t.app, 't-admin');
    const list = await admin.get('/admin/departments');
    expect(list.text).toContain(`href="${url()}"`);
    const form = await admin.get(url());
    expect(form.status).toBe(200);
    expect(form.text).toContain(AGENCY_USCC);
    const token = csrfFrom(form.text);

    const bad = await admin.post(url()).type('form').send({ name: '', uscc: '114107', aliases: '获嘉县市监局', _csrf: token });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/<title>错误：/);
    expect(bad.text).toContain('href="#name"');
    expect(bad.text).toContain('href="#uscc"');
    expect(bad.text).toContain('href="#kinds"');
    expect(bad.text).toContain('获嘉县市监局');

    const added = await admin
      .post(url())
      .type('form')
      .send({ name: HUOJIA.name, uscc: HUOJIA.uscc, aliases: '获嘉县市监局', kinds: 'penalties', _csrf: token });
    expect(added.status).toBe(303);
    const row = await t.deps.db.departmentAuthority.findUniqueOrThrow({ where: { departmentId_uscc: { departmentId, uscc: HUOJIA.uscc } } });
    expect(row).toMatchObject({ name: HUOJIA.name, aliases: ['获嘉县市监局'], permits: false, penalties: true, active: true });
    const addLog = await t.deps.db.auditLog.findFirstOrThrow({ where: { action: 'authority.add' }, orderBy: { id: 'desc' } });
    expect(addLog).toMatchObject({
      username: 't-admin',
      targetType: 'department_authority',
      targetId: String(row.id),
      detail: { departmentId, name: HUOJIA.name, permits: false },
    });

    expect((await report(clerk, { authority: '获嘉县市监局', authorityCode: HUOJIA.uscc, documentNo: '获市监罚〔2026〕10号' })).status).toBe(303);

    const changed = await admin
      .post(url())
      .type('form')
      .send({ name: HUOJIA.name, uscc: HUOJIA.uscc, aliases: '', kinds: ['permits', 'penalties'], _csrf: token });
    expect(changed.status).toBe(303);
    const updateLog = await t.deps.db.auditLog.findFirstOrThrow({ where: { action: 'authority.update' }, orderBy: { id: 'desc' } });
    expect(updateLog.detail).toMatchObject({ before: { aliases: ['获嘉县市监局'], permits: false }, after: { aliases: [], permits: true } });

    const remove = await admin.post(`${url()}/${row.id}/remove`).type('form').send({ _csrf: token });
    expect(remove.status).toBe(303);
    expect((await t.deps.db.departmentAuthority.findUniqueOrThrow({ where: { id: row.id } })).active).toBe(false);
    expect(await t.deps.db.auditLog.count({ where: { action: 'authority.remove', targetId: String(row.id) } })).toBe(1);
    expect((await admin.get('/admin/audit?action=authority.remove')).text).toContain('移除可报送机关');

    const refused = await report(clerk, { authority: HUOJIA.name, authorityCode: HUOJIA.uscc, documentNo: '获市监罚〔2026〕11号' });
    expect(refused.status).toBe(400);
    // Records reported while it was on the list stay as they are.
    expect(await stored('获市监罚〔2026〕10号')).toHaveLength(1);
  });

  it('answers 404 for a department or authority that does not exist', async () => {
    const admin = await signIn(t.app, 't-admin');
    expect((await admin.get('/admin/departments/999999/authorities')).status).toBe(404);
    const token = csrfFrom((await admin.get(url())).text);
    const other = await t.deps.db.departmentAuthority.findFirstOrThrow({ where: { departmentId: otherDepartmentId } });
    // Another department's row cannot be removed through this department's page.
    expect((await admin.post(`${url()}/${other.id}/remove`).type('form').send({ _csrf: token })).status).toBe(404);
    expect((await t.deps.db.departmentAuthority.findUniqueOrThrow({ where: { id: other.id } })).active).toBe(true);
  });

  it('a clerk or reviewer cannot reach the mapping', async () => {
    const reviewer = await signIn(t.app, 't-reviewer');
    for (const agent of [clerk, reviewer]) {
      expect((await agent.get(url())).status).toBe(403);
      const token = csrfFrom((await agent.get('/admin/account/password')).text);
      const res = await agent.post(url()).type('form').send({ name: OTHER_AGENCY, uscc: OTHER_AGENCY_USCC, kinds: 'penalties', _csrf: token });
      expect(res.status).toBe(403);
    }
    expect(await t.deps.db.departmentAuthority.count({ where: { departmentId, uscc: OTHER_AGENCY_USCC } })).toBe(0);
  });
});
