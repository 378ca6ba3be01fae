import { PDFParse } from 'pdf-parse';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binary, createTestApp, csrfFrom, seedUsers, signIn, type TestApp } from '../helpers/app.js';
import { COMPANY_USCC, OTHER_AGENCY } from '../helpers/records.js';
import { newApiKey } from '../../src/features/api/keys.js';

// 《河南省社会信用条例》 Art. 40: the credit report states who used and queried the subject's information.
let t: TestApp;
let seeded: Awaited<ReturnType<typeof seedUsers>>;
let lpId: number;

beforeAll(async () => {
  t = await createTestApp();
  seeded = await seedUsers(t.deps);
  lpId = (await t.deps.db.legalPerson.create({ data: { uscc: COMPANY_USCC, name: '新乡市华兴食品有限公司', subjectType: 'organisation' } })).id;
});
afterAll(async () => t.close());

const rows = () => t.deps.db.subjectAccessDay.findMany({ where: { legalPersonId: lpId }, orderBy: [{ channel: 'asc' }, { actorKey: 'asc' }] });

async function pdfText(pdf: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}

describe('the access log', () => {
  it('counts public views, credit checks by department and API calls by key owner in one row a day each', async () => {
    for (let i = 0; i < 3; i++) expect((await request(t.app).get(`/subjects/${COMPANY_USCC}`)).status).toBe(200);

    const clerk = await signIn(t.app, 't-clerk');
    const token = csrfFrom((await clerk.get('/admin/credit-check')).text);
    const check = await clerk
      .post('/admin/credit-check')
      .type('form')
      .send({ codes: `${COMPANY_USCC}\n91410700MA9GQ0J614`, purpose: '政府采购', _csrf: token });
    expect(check.status, check.text.slice(0, 200)).toBe(303);

    const key = newApiKey();
    await t.deps.db.apiKey.create({
      data: { departmentId: seeded.otherDepartmentId, name: '环评系统', prefix: key.prefix, hash: key.hash, createdById: seeded.users.admin.id },
    });
    for (let i = 0; i < 2; i++) expect((await request(t.app).get(`/api/v1/subjects/${COMPANY_USCC}/credit-check`).set('X-API-Key', key.key)).status).toBe(200);

    const stored = await rows();
    expect(stored.map((r) => [r.channel, r.actorName, r.count])).toEqual([
      ['portal', '社会公众', 3],
      ['credit_check', '新乡市市场监督管理局', 1],
      ['api', OTHER_AGENCY, 2],
    ]);
    // Nothing that identifies a person is stored: the subject is a row id, the actor a department.
    expect(JSON.stringify(stored)).not.toMatch(/\d{17}[\dX]/);
  });

  it('the report states the last 12 months by channel, names the departments, and says what is free', async () => {
    // A use 13 months ago is outside the report's period, one 11 months ago inside (pinned to today's window).
    const [days] = await t.deps.db.$queryRaw<{ old: string; recent: string }[]>`
      SELECT ((now() AT TIME ZONE 'Asia/Shanghai')::date - interval '13 months')::date::text AS old,
             ((now() AT TIME ZONE 'Asia/Shanghai')::date - interval '11 months')::date::text AS recent`;
    const { old, recent } = days!;
    await t.deps.db.subjectAccessDay.createMany({
      data: [
        { legalPersonId: lpId, day: new Date(`${old}T00:00:00Z`), channel: 'credit_check', actorKey: 'd999', actorName: '新乡市旧部门', count: 5 },
        { legalPersonId: lpId, day: new Date(`${recent}T00:00:00Z`), channel: 'credit_check', actorKey: 'd998', actorName: '新乡市住房和城乡建设局', count: 4 },
      ],
    });
    const usage = await t.deps.accessLog.usage(lpId);
    expect(usage.channels.find((c) => c.channel === 'credit_check')!.count).toBe(5);
    expect(usage.departments).toEqual(expect.arrayContaining(['新乡市市场监督管理局', '新乡市住房和城乡建设局', OTHER_AGENCY]));
    expect(usage.departments).not.toContain('新乡市旧部门');

    const profile = await request(t.app).get(`/subjects/${COMPANY_USCC}`);
    expect(profile.text).toContain('每年可免费获取两次信用报告');

    const res = await binary(request(t.app).get(`/subjects/${COMPANY_USCC}/report.pdf`));
    expect(res.status).toBe(200);
    const text = (await pdfText(res.body as Buffer)).replace(/\s+/g, '');
    expect(text).toContain('信息使用和查询情况');
    expect(text).toContain('政府部门信用核查：5次');
    expect(text).toContain('住房和城乡建设局4次');
    expect(text).toContain(`部门系统接口核查：2次（${OTHER_AGENCY}2次）`);
    expect(text).not.toContain('新乡市旧部门');
    expect(text).toContain('每年可免费获取两次信用报告');
    // Issuing the report is itself counted.
    expect((await rows()).find((r) => r.channel === 'report')?.count).toBe(1);
  });
});
