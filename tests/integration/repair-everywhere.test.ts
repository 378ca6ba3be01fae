import { PDFParse } from 'pdf-parse';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binary, createTestApp, csrfFrom, seedUsers, sessionUser, signIn, type TestApp } from '../helpers/app.js';
import { COMPANY_USCC, rawRecord } from '../helpers/records.js';
import { day, monthsFrom, slashDay } from '../helpers/dates.js';

/**
 * 《信用修复管理办法》 and 条例 Art. 43: an approved repair takes effect everywhere at once. One subject, one 严重
 * penalty (the basis of a black-list entry with a joint-measure task); every surface that shows, shares or uses the
 * record is read before the repair (each must show it — otherwise the "after" check proves nothing) and after it
 * (none may). Adding a surface to the portal means adding it here.
 */

let t: TestApp;
let seeded: Awaited<ReturnType<typeof seedUsers>>;
let clerk: Awaited<ReturnType<typeof signIn>>;
let reviewer: Awaited<ReturnType<typeof signIn>>;
let apiKey: string;
let penaltyId: number;

const NAME = '新乡市修复样本食品有限公司';
const DOC_NO = '新市监罚〔2025〕修复1号';
const VIOLATION = '使用超范围食品添加剂生产食品';
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

async function pdfText(pdf: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    return (await parser.getText()).text.replace(/\s+/g, '');
  } finally {
    await parser.destroy();
  }
}

/** What each surface shows of the record: true when the repaired penalty is still visible or used there. */
async function surfaces(): Promise<Record<string, boolean>> {
  const list = await request(t.app).get(`/publicity/penalties?q=${encodeURIComponent(NAME)}`);
  const detail = await request(t.app).get(`/publicity/penalties/${penaltyId}`);
  const profile = await request(t.app).get(`/subjects/${COMPANY_USCC}`);
  const search = await request(t.app).get(`/search?q=${encodeURIComponent(NAME)}`);
  const report = await binary(request(t.app).get(`/subjects/${COMPANY_USCC}/report.pdf`));
  expect(report.status).toBe(200);
  const reportText = await pdfText(report.body as Buffer);
  const token = csrfFrom((await clerk.get('/admin/credit-check')).text);
  const run = await clerk.post('/admin/credit-check').type('form').send({ purpose: '修复核查', codes: COMPANY_USCC, _csrf: token });
  expect(run.status).toBe(303);
  const check = await clerk.get(run.headers.location!);
  const api = await request(t.app).get(`/api/v1/subjects/${COMPANY_USCC}/credit-check`).set('Authorization', `Bearer ${apiKey}`);
  expect(api.status).toBe(200);
  const exported = (await binary(reviewer.get(`/admin/exports?kind=penalty&since=${day(-1)}&format=csv`))).body as Buffer;
  const row = exported
    .toString('utf8')
    .split('\r\n')
    .find((l) => l.includes(DOC_NO));
  const task = await t.deps.db.measureTask.findFirstOrThrow({ where: { entry: { basisDocNo: DOC_NO } } });
  const tasks = await clerk.get('/admin/tasks');
  return {
    '双公示 column': list.text.includes(`/publicity/penalties/${penaltyId}"`),
    'record page': detail.status === 200,
    profile: profile.text.includes(`/publicity/penalties/${penaltyId}"`),
    'search flag': /data-qa="penalty-count">1 条/.test(search.text) && search.text.includes('data-qa="badge-black"'),
    'credit report PDF': reportText.includes(VIOLATION),
    '信用核查 result': check.text.includes(DOC_NO),
    'credit-check API': api.body.seriousPenalties.some((p: { documentNo: string }) => p.documentNo === DOC_NO) || api.body.blackList === true,
    // The next export file: in publication before, a repair notice (已停止公示 / 信用修复) after.
    'export to 信用河南/信用中国': row !== undefined && row.includes('公示中') && !row.includes('信用修复'),
    'joint measures': api.body.measures.length > 0 || task.status === 'pending' || tasks.text.includes(NAME),
  };
}

beforeAll(async () => {
  t = await createTestApp();
  seeded = await seedUsers(t.deps);
  clerk = await signIn(t.app, 't-clerk');
  reviewer = await signIn(t.app, 't-reviewer');
  await t.deps.db.legalPerson.create({ data: { uscc: COMPANY_USCC, name: NAME, subjectType: 'organisation' } });

  // A 严重 penalty (the department's reasoned choice) decided more than a year ago: past its minimum, still public.
  const ct = csrfFrom((await clerk.get('/admin/penalties/new')).text);
  const res = await clerk
    .post('/admin/penalties')
    .type('form')
    .send({
      ...rawRecord('penalty', {
        subjectName: NAME,
        documentNo: DOC_NO,
        violationType: VIOLATION,
        decisionDate: slashDay(-400),
        validUntil: slashDay(-400),
        penaltyCategories: '罚款',
        content: '罚款人民币 50 万元',
        fineAmount: '50',
        tier: '严重',
        tierReason: '两年内第二次同类违法',
      }),
      _csrf: ct,
    });
  expect(res.status, res.text.slice(0, 300)).toBe(303);
  penaltyId = Number(/\/(\d+)$/.exec(res.headers.location ?? '')?.[1]);

  // The penalty is the basis of a black-list entry, with a punishment measure implemented by the clerk's department.
  const rt = csrfFrom((await reviewer.get('/admin/measures')).text);
  await reviewer
    .post('/admin/measures')
    .type('form')
    .send({ listType: 'black', departmentId: String(seeded.departmentId), text: '限制参与政府采购和招投标', legalBasis: '发改财金〔2016〕141号', _csrf: rt });
  const clerkUser = sessionUser(seeded);
  const reviewerUser = { ...clerkUser, id: seeded.users.reviewer.id, username: 't-reviewer', role: 'reviewer' as const };
  const n = await t.deps.lists.nominate(
    {
      listType: 'black',
      subjectCategory: 'legal',
      subjectName: NAME,
      uscc: COMPANY_USCC,
      docType: null,
      docNumber: null,
      basisDocNo: DOC_NO,
      basisAuthority: '新乡市市场监督管理局',
      basisDate: day(-400),
      reason: '严重违法失信',
      validUntil: monthsFrom(24),
    },
    clerkUser,
    null,
  );
  await t.deps.lists.review(n, 'accept', undefined, reviewerUser, null);
  // 条例 Art. 35: listed only once the prior notice's objection window has passed.
  await t.deps.lists.servePriorNotice(
    n,
    { noticeNo: '新告〔2020〕3号', measures: '限制参与政府采购和招投标', servedOn: '2020-01-06', objectionDays: 7 },
    reviewerUser,
    null,
  );
  const issue = await t.deps.lists.createIssue(Number(day().slice(0, 4)), 1, reviewerUser, null);
  await t.deps.lists.addEntries(issue, [n], reviewerUser, null);
  await t.deps.lists.publish(issue, reviewerUser, null);

  const admin = await signIn(t.app, 't-admin');
  const keys = await admin.get('/admin/api-keys');
  const made = await admin
    .post('/admin/api-keys')
    .type('form')
    .send({ departmentId: String(seeded.departmentId), name: '招投标系统', _csrf: csrfFrom(keys.text) });
  apiKey = /data-qa="api-key">([^<]+)</.exec(made.text)?.[1] ?? '';
  expect(apiKey).toMatch(/^xxk_/);
});
afterAll(async () => t.close());

describe('an approved repair takes effect on every surface at once', () => {
  it('every surface shows the record before, none after', async () => {
    const before = await surfaces();
    expect(before, 'each surface must show the record before the repair').toEqual(Object.fromEntries(Object.keys(before).map((k) => [k, true])));
    expect((await request(t.app).get('/commitments')).text).not.toContain(NAME);

    // Apply, the department approves, the office approves.
    const agent = request.agent(t.app);
    const form = await agent.get(`/publicity/penalties/${penaltyId}/repair`);
    // 12 months for 严重; 3 while the decision date still falls before 2026-04-01 (从旧兼从轻, Order 58's minimum).
    expect(form.text).toMatch(/严重失信信息，最短公示期 (3|12) 个月，\d{4}-\d{2}-\d{2} 起方可申请信用修复/);
    const filed = await agent
      .post(`/publicity/penalties/${penaltyId}/repair`)
      .field('_csrf', csrfFrom(form.text))
      .field({
        subjectCode: COMPANY_USCC,
        applicantName: '王经理',
        phone: '13837300000',
        email: '',
        rectification: '已缴清 50 万元罚款，停用超范围添加剂并通过复查',
        duties: 'yes',
        commit: 'yes',
      })
      .attach('attachments', PNG, '缴款凭证.png');
    expect(filed.status).toBe(303);
    const r = await t.deps.db.repairRequest.findFirstOrThrow({ where: { penaltyId } });
    expect(r.status).toBe('pendingDepartment');
    const ct = csrfFrom((await clerk.get(`/admin/repairs/${r.id}`)).text);
    expect((await clerk.post(`/admin/repairs/${r.id}/department`).type('form').send({ decision: 'approve', _csrf: ct })).status).toBe(303);
    const rt = csrfFrom((await reviewer.get(`/admin/repairs/${r.id}`)).text);
    expect((await reviewer.post(`/admin/repairs/${r.id}/office`).type('form').send({ decision: 'approve', _csrf: rt })).status).toBe(303);

    const after = await surfaces();
    expect(after, 'no surface may still show or use the repaired record').toEqual(Object.fromEntries(Object.keys(after).map((k) => [k, false])));

    // The export carries the repair notice: the applied 公示截止期 (the day before the repair), the tier, the state.
    const exported = ((await binary(reviewer.get(`/admin/exports?kind=penalty&since=${day(-1)}&format=csv`))).body as Buffer).toString('utf8');
    const [header, ...rows] = exported.replace(/^\uFEFF/, '').split('\r\n');
    const cells = rows.find((l) => l.includes(DOC_NO))!.split(',');
    const col = (code: string) => cells[header!.split(',').indexOf(code)];
    expect({ gsjzq: col('CF_GSJZQ'), tier: col('GS_YZCD'), state: col('GS_ZT'), left: col('GS_TZRQ'), reason: col('GS_TZYY') }).toEqual({
      gsjzq: day(-1).replace(/-/g, '/'),
      tier: '严重',
      state: '已停止公示',
      left: day(0).replace(/-/g, '/'),
      reason: '信用修复',
    });

    // The black-list entry left with an exit notice; its task stopped; the case records what was lifted.
    const entry = await t.deps.db.listEntry.findFirstOrThrow({ where: { basisDocNo: DOC_NO }, include: { notices: true } });
    expect(entry.exitedAt).not.toBeNull();
    expect(entry.notices.map((x) => x.kind)).toContain('exit');
    expect((await t.deps.db.repairRequest.findUniqueOrThrow({ where: { id: r.id } })).liftedTasks).toBe(1);

    // The 信用修复型 commitment is in the public 信用承诺 column and in the profile.
    const commitments = await request(t.app).get('/commitments');
    expect(commitments.text).toContain(NAME);
    expect((await request(t.app).get(`/subjects/${COMPANY_USCC}`)).text).toContain('信用修复型');
  });
});
