import { PDFParse } from 'pdf-parse';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binary, createTestApp, csrfFrom, seedUsers, signIn, type TestApp } from '../helpers/app.js';
import { COMPANY_USCC, rawRecord } from '../helpers/records.js';
import { slashDay } from '../helpers/dates.js';
import { dateColumn } from '../../src/domain/dates.js';
import { CATALOGUE_ITEMS, ensureCatalogue } from '../../src/seed/catalogue.js';
import { PENALTY_FIELDS, PERMIT_FIELDS } from '../../src/domain/publicity/fields.js';

/**
 * 条例 Art. 11, 18: the catalogue decides what is public. One penalty field (行政处罚决定书文号, CF_WSH) is switched to
 * 政务共享 in the back office; every public surface is read before (each must show it — otherwise the check proves
 * nothing), after (none may) and after switching back (all show it again). Adding a public surface means adding it here.
 */

let t: TestApp;
let reviewer: Awaited<ReturnType<typeof signIn>>;
let apiKey: string;
let penaltyId: number;
let itemId: number;
let fieldId: number;

const NAME = '新乡市目录样本食品有限公司';
const DOC_NO = '新市监罚〔2025〕目录7号';
const FACTS = '当事人在目录样本门店销售超过保质期的食品';

async function pdfText(pdf: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    return (await parser.getText()).text.replace(/\s+/g, '');
  } finally {
    await parser.destroy();
  }
}

/** Each public surface, and whether the document number appears on it. */
async function surfaces(): Promise<Record<string, boolean>> {
  const list = await request(t.app).get(`/publicity/penalties?q=${encodeURIComponent(NAME)}`);
  expect(list.text).toContain(`/publicity/penalties/${penaltyId}"`);
  const detail = await request(t.app).get(`/publicity/penalties/${penaltyId}`);
  expect(detail.status).toBe(200);
  const profile = await request(t.app).get(`/subjects/${COMPANY_USCC}`);
  expect(profile.text).toContain(`/publicity/penalties/${penaltyId}"`);
  const report = await binary(request(t.app).get(`/subjects/${COMPANY_USCC}/report.pdf`));
  expect(report.status).toBe(200);
  const reportText = await pdfText(report.body as Buffer);
  // The report is still issued with the record in it: only the field goes.
  expect(reportText).toContain(FACTS);
  const api = await request(t.app).get(`/api/v1/subjects/${COMPANY_USCC}/credit-check`).set('Authorization', `Bearer ${apiKey}`);
  expect(api.status).toBe(200);
  expect(api.body.seriousPenalties).toHaveLength(1);
  const byNumber = await request(t.app).get(`/publicity/penalties?q=${encodeURIComponent(DOC_NO)}`);
  expect(byNumber.status).toBe(200);
  const publicApi = await request(t.app).get(`/api/v1/public/records/penalties/${penaltyId}`);
  expect(publicApi.status).toBe(200);
  // The day's open-data files, written again as the catalogue stands now.
  const { date } = await t.deps.openData.publish({ force: true });
  const openData = await binary(request(t.app).get(`/open-data/${date}/penalties.jsonl`));
  expect(openData.status).toBe(200);
  const openDataText = (openData.body as Buffer).toString('utf8');
  expect(openDataText).toContain(FACTS);
  return {
    // Finding the record by a number the public may not see would tell them the number.
    'search by the number': byNumber.text.includes(`/publicity/penalties/${penaltyId}"`),
    '双公示 list': list.text.includes(DOC_NO),
    'record page': detail.text.includes(DOC_NO),
    'subject profile': profile.text.includes(DOC_NO),
    'credit report PDF': reportText.includes(DOC_NO),
    'credit-check API': JSON.stringify(api.body).includes(DOC_NO),
    'public record API': JSON.stringify(publicApi.body).includes(DOC_NO),
    'open-data file': openDataText.includes(DOC_NO),
  };
}

/**
 * The surfaces that show no document number but do show the subject's name from the record (行政相对人名称,
 * CF_XDR_MC); the profile and the report take the name from the legal-person library (item FRJC) instead.
 */
async function nameSurfaces(): Promise<Record<string, boolean>> {
  const [home, column, list, detail] = await Promise.all([
    request(t.app).get('/'),
    request(t.app).get('/publicity'),
    request(t.app).get(`/publicity/penalties?dept=`),
    request(t.app).get(`/publicity/penalties/${penaltyId}`),
  ]);
  return {
    home: home.text.includes(NAME),
    '双公示 column': column.text.includes(NAME),
    '双公示 list': list.text.includes(NAME),
    'record page': detail.text.includes(NAME),
  };
}

const allTrue = (s: Record<string, boolean>) => Object.fromEntries(Object.keys(s).map((k) => [k, true]));
const allFalse = (s: Record<string, boolean>) => Object.fromEntries(Object.keys(s).map((k) => [k, false]));

/** Switches one field (`code`) of an item, or with `code` null the item itself, through the back-office form. */
async function setSharing(code: string | null, level: string, id = itemId): Promise<void> {
  const page = await reviewer.get(`/admin/catalogue/${id}`);
  expect(page.status).toBe(200);
  const item = await t.deps.db.catalogueItem.findUniqueOrThrow({ where: { id }, include: { fields: true } });
  const fields = Object.fromEntries(item.fields.map((f) => [`field_${f.id}`, f.code === code ? level : f.sharing]));
  const res = await reviewer
    .post(`/admin/catalogue/${id}`)
    .type('form')
    .send({
      name: item.name,
      format: item.format,
      provider: item.provider,
      subjectTypes: item.subjectTypes,
      nature: item.nature,
      sharing: code === null ? level : item.sharing,
      coverage: item.coverage,
      updateCycle: item.updateCycle,
      ...fields,
      _csrf: csrfFrom(page.text),
    });
  expect(res.status, res.text.slice(0, 400)).toBe(303);
}

const BLACK_DOC = '新信办黑〔2025〕目录3号';
const BLACK_REASON = '目录样本拒不履行法院判决';
let issueId: number;

/** A published, confirmed black-list entry of the company, in force until 2099 (dates pinned, not from today). */
async function blackListed(legalPersonId: number, seeded: Awaited<ReturnType<typeof seedUsers>>): Promise<void> {
  const issue = await t.deps.db.listIssue.create({ data: { year: 2025, quarter: 3, serialNo: 93, title: '目录样本第93期', publishedAt: new Date() } });
  issueId = issue.id;
  const base = {
    listType: 'black' as const,
    subjectCategory: 'legal' as const,
    subjectName: NAME,
    uscc: COMPANY_USCC,
    legalPersonId,
    basisDocNo: BLACK_DOC,
    basisAuthority: '新乡市中级人民法院',
    basisDate: dateColumn('2025-06-01'),
    reason: BLACK_REASON,
    validUntil: dateColumn('2099-12-31'),
  };
  const n = await t.deps.db.listNomination.create({
    data: { ...base, status: 'listed', departmentId: seeded.departmentId, createdById: seeded.users.clerk.id },
  });
  await t.deps.db.listEntry.create({ data: { ...base, issueId: issue.id, nominationId: n.id, department: '新乡市中级人民法院' } });
}

/** The black list's public surfaces, and whether `text` appears on each. */
async function listSurfaces(text: string): Promise<Record<string, boolean>> {
  const [inForce, issue, profile, report, api] = await Promise.all([
    request(t.app).get(`/lists/black?q=${encodeURIComponent(NAME)}`),
    request(t.app).get(`/lists/${issueId}`),
    request(t.app).get(`/subjects/${COMPANY_USCC}`),
    binary(request(t.app).get(`/subjects/${COMPANY_USCC}/report.pdf`)),
    request(t.app).get(`/api/v1/subjects/${COMPANY_USCC}/credit-check`).set('Authorization', `Bearer ${apiKey}`),
  ]);
  for (const r of [inForce, issue, profile, report, api]) expect(r.status).toBe(200);
  return {
    '/lists/black': inForce.text.includes(text),
    '/lists/:id': issue.text.includes(text),
    'subject profile': profile.text.includes(text),
    'credit report PDF': (await pdfText(report.body as Buffer)).includes(text),
    'credit-check API': JSON.stringify(api.body).includes(text),
  };
}

const LEGAL_REP = '郑目录';
const ADDRESS = '新乡市红旗区目录样本路9号';

/** The subject's base data on its public surfaces, and whether `text` appears on each. */
async function baseSurfaces(text: string): Promise<Record<string, boolean>> {
  const [profile, report, api, search] = await Promise.all([
    request(t.app).get(`/subjects/${COMPANY_USCC}`),
    binary(request(t.app).get(`/subjects/${COMPANY_USCC}/report.pdf`)),
    request(t.app).get(`/api/v1/subjects/${COMPANY_USCC}/credit-check`).set('Authorization', `Bearer ${apiKey}`),
    request(t.app).get(`/search?q=${encodeURIComponent(NAME)}`),
  ]);
  for (const r of [profile, report, api, search]) expect(r.status).toBe(200);
  expect(search.text).toContain(`/subjects/${COMPANY_USCC}"`);
  return {
    'subject profile': profile.text.includes(text),
    'credit report PDF': (await pdfText(report.body as Buffer)).includes(text),
    'credit-check API': JSON.stringify(api.body).includes(text),
    search: search.text.includes(text),
  };
}

const COMMITMENT_MATTER = '目录样本食品经营许可告知承诺';
let commitmentId: number;

/** The commitment's public surfaces, and whether `text` appears on each. */
async function commitmentSurfaces(text: string): Promise<Record<string, boolean>> {
  const [list, detail, profile, report] = await Promise.all([
    request(t.app).get(`/commitments?q=${encodeURIComponent(NAME)}`),
    request(t.app).get(`/commitments/${commitmentId}`),
    request(t.app).get(`/subjects/${COMPANY_USCC}`),
    binary(request(t.app).get(`/subjects/${COMPANY_USCC}/report.pdf`)),
  ]);
  for (const r of [list, profile, report]) expect(r.status).toBe(200);
  return {
    '/commitments': list.text.includes(text),
    '/commitments/:id': detail.text.includes(text),
    'subject profile': profile.text.includes(text),
    'credit report PDF': (await pdfText(report.body as Buffer)).includes(text),
  };
}

/** The latest event of the test's commitment in the public changes feed (issue #17), as a mirror receives it. */
async function commitmentInFeed(): Promise<{ subjectKey: string | null; payload: Record<string, unknown> | null }> {
  const res = await request(t.app).get('/api/v1/public/changes?since=0&limit=1000');
  expect(res.status).toBe(200);
  const mine = (res.body.items as { kind: string; id: number; subjectKey: string | null; payload: Record<string, unknown> | null }[]).filter(
    (e) => e.kind === 'commitment' && e.id === commitmentId,
  );
  expect(mine.length).toBeGreaterThan(0);
  return mine[mine.length - 1]!;
}

beforeAll(async () => {
  t = await createTestApp();
  const seeded = await seedUsers(t.deps);
  await ensureCatalogue(t.deps.db);
  const item = await t.deps.db.catalogueItem.findUniqueOrThrow({ where: { code: 'XZCF' }, include: { fields: true } });
  itemId = item.id;
  fieldId = item.fields.find((f) => f.code === 'CF_WSH')!.id;

  const clerk = await signIn(t.app, 't-clerk');
  reviewer = await signIn(t.app, 't-reviewer');
  const company = await t.deps.db.legalPerson.create({
    data: { uscc: COMPANY_USCC, name: NAME, subjectType: 'organisation', legalRepresentative: LEGAL_REP, address: ADDRESS },
  });
  await blackListed(company.id, seeded);
  commitmentId = (
    await t.deps.db.commitment.create({
      data: {
        code: '41070020250601000093',
        promisorName: NAME,
        promisorCategory: 'legal',
        promisorCode: COMPANY_USCC,
        legalPersonId: company.id,
        commitmentType: '主动型',
        matter: COMMITMENT_MATTER,
        content: '依法诚信经营，按期履行目录样本承诺',
        liability: '自愿接受失信惩戒',
        madeOn: dateColumn('2025-06-01'),
        disclosure: '可向社会公开',
        departmentId: seeded.departmentId,
        createdById: seeded.users.clerk.id,
      },
    })
  ).id;
  // A 严重 penalty decided long enough ago to be 失信信息 (条例 Art. 20), still within its publicity period.
  const ct = csrfFrom((await clerk.get('/admin/penalties/new')).text);
  const res = await clerk
    .post('/admin/penalties')
    .type('form')
    .send({
      ...rawRecord('penalty', {
        subjectName: NAME,
        documentNo: DOC_NO,
        facts: FACTS,
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

describe('the public catalogue page', () => {
  it('lists every item with the Art. 11 columns, and every 双公示 field of the national template', async () => {
    const res = await request(t.app).get('/catalogue');
    expect(res.status).toBe(200);
    for (const label of ['数据代码', '数据名称', '数据格式', '提供单位', '主体类型', '信息性质', '共享属性', '覆盖范围', '更新周期', '信息项'])
      expect(res.text).toContain(label);
    for (const item of CATALOGUE_ITEMS) expect(res.text).toContain(`id="item-${item.code}"`);
    for (const f of [...PERMIT_FIELDS, ...PENALTY_FIELDS]) expect(res.text).toContain(`<td>${f.code}</td>`);
    // 法定代表人证件号码 is listed, as shared with government only.
    expect(res.text).toMatch(/<td>CF_FR_ZJHM<\/td><td class="wrap">法定代表人证件号码<\/td><td>政务共享<\/td>/);
  });

  it('seeding again adds nothing and keeps the office’s edits', async () => {
    await t.deps.db.catalogueItem.update({ where: { code: 'XYCN' }, data: { updateCycle: '每周' } });
    expect(await ensureCatalogue(t.deps.db)).toBe(0);
    expect((await t.deps.db.catalogueItem.findUniqueOrThrow({ where: { code: 'XYCN' } })).updateCycle).toBe('每周');
  });
});

describe('a field switched to 政务共享 leaves every public surface, and comes back when switched back', () => {
  it('walks the surfaces', async () => {
    const before = await surfaces();
    expect(before).toEqual(allTrue(before));

    await setSharing('CF_WSH', 'government');
    const hidden = await surfaces();
    expect(hidden).toEqual(allFalse(hidden));
    // The public catalogue says so, and the back office still sees the number (政务共享).
    expect((await request(t.app).get('/catalogue')).text).toMatch(/<td>CF_WSH<\/td><td class="wrap">行政处罚决定书文号<\/td><td>政务共享<\/td>/);
    expect((await reviewer.get(`/admin/penalties/${penaltyId}`)).text).toContain(DOC_NO);

    await setSharing('CF_WSH', 'public');
    const back = await surfaces();
    expect(back).toEqual(allTrue(back));
  });

  it('walks the surfaces that show the subject’s name from the record', async () => {
    const before = await nameSurfaces();
    expect(before).toEqual(allTrue(before));
    await setSharing('CF_XDR_MC', 'authorised');
    const hidden = await nameSurfaces();
    expect(hidden).toEqual(allFalse(hidden));
    await setSharing('CF_XDR_MC', 'public');
    const back = await nameSurfaces();
    expect(back).toEqual(allTrue(back));
  });

  it('replaces the 行政处罚 column by a notice on every public surface when the item itself is switched off', async () => {
    const link = `/publicity/penalties/${penaltyId}"`;
    await setSharing(null, 'government');
    const [home, column, list, detail, profile, report, api] = await Promise.all([
      request(t.app).get('/'),
      request(t.app).get('/publicity'),
      request(t.app).get('/publicity/penalties'),
      request(t.app).get(`/publicity/penalties/${penaltyId}`),
      request(t.app).get(`/subjects/${COMPANY_USCC}`),
      binary(request(t.app).get(`/subjects/${COMPANY_USCC}/report.pdf`)),
      request(t.app).get(`/api/v1/subjects/${COMPANY_USCC}/credit-check`).set('Authorization', `Bearer ${apiKey}`),
    ]);
    for (const [page, res] of Object.entries({ home, column, list, profile })) {
      expect(res.text, page).not.toContain(link);
      expect(res.text, page).toContain('该类信息不向社会公开');
    }
    expect(detail.status).toBe(404);
    expect(detail.text).not.toContain(FACTS);
    const reportText = await pdfText(report.body as Buffer);
    expect(reportText).not.toContain(FACTS);
    expect(reportText).toContain('该类信息不向社会公开');
    expect(api.body.seriousPenalties).toEqual([]);
    await setSharing(null, 'public');
    const back = await surfaces();
    expect(back).toEqual(allTrue(back));
  });

  it('audits the edit with the field that changed', async () => {
    const entries = await t.deps.db.auditLog.findMany({ where: { action: 'catalogue.update' }, orderBy: { id: 'asc' } });
    expect(entries).toHaveLength(6);
    expect(entries[0]!.username).toBe('t-reviewer');
    expect(entries[0]!.detail).toEqual({ sharing: 'public', fields: [{ code: 'CF_WSH', from: 'public', to: 'government' }] });
  });
});

describe('the black list (HEIMD) obeys its 共享属性 too', () => {
  it('hides a field switched to 政务共享 on every list surface, and shows it again when switched back', async () => {
    const heimd = await t.deps.db.catalogueItem.findUniqueOrThrow({ where: { code: 'HEIMD' } });
    const before = await listSurfaces(BLACK_DOC);
    expect(before).toEqual(allTrue(before));
    await setSharing('MD_RDWH', 'government', heimd.id);
    const hidden = await listSurfaces(BLACK_DOC);
    expect(hidden).toEqual(allFalse(hidden));
    // Only the field goes: the entry is still listed with its reason.
    const still = await listSurfaces(BLACK_REASON);
    expect(still).toEqual(allTrue(still));
    // 政务共享: the back office still sees it.
    expect(JSON.stringify(await t.deps.db.listEntry.findFirstOrThrow({ where: { basisDocNo: BLACK_DOC } }))).toContain(BLACK_DOC);
    await setSharing('MD_RDWH', 'public', heimd.id);
    const back = await listSurfaces(BLACK_DOC);
    expect(back).toEqual(allTrue(back));
  });

  it('replaces the whole column by a notice when the item itself is switched off, and brings it back', async () => {
    const heimd = await t.deps.db.catalogueItem.findUniqueOrThrow({ where: { code: 'HEIMD' } });
    await setSharing(null, 'government', heimd.id);
    const gone = await listSurfaces(BLACK_REASON);
    expect(gone).toEqual(allFalse(gone));
    const notice = await listSurfaces('该类信息不向社会公开');
    // The API leaves the entries out (blackList false) rather than printing a notice.
    expect(notice).toEqual({ ...allTrue(notice), 'credit-check API': false });
    const api = await request(t.app).get(`/api/v1/subjects/${COMPANY_USCC}/credit-check`).set('Authorization', `Bearer ${apiKey}`);
    expect(api.body.blackList).toBe(false);
    expect(api.body.listEntries).toEqual([]);
    await setSharing(null, 'public', heimd.id);
    const back = await listSurfaces(BLACK_REASON);
    expect(back).toEqual(allTrue(back));
  });
});

describe('the commitments (XYCN) obey their 共享属性 too', () => {
  it('hides a field switched to 政务共享 on every commitment surface, and shows it again when switched back', async () => {
    const xycn = await t.deps.db.catalogueItem.findUniqueOrThrow({ where: { code: 'XYCN' } });
    const before = await commitmentSurfaces(COMMITMENT_MATTER);
    expect(before).toEqual(allTrue(before));
    await setSharing('CN_SY', 'government', xycn.id);
    const hidden = await commitmentSurfaces(COMMITMENT_MATTER);
    expect(hidden).toEqual(allFalse(hidden));
    const fed = await commitmentInFeed();
    expect(fed.payload).not.toHaveProperty('matter');
    expect(fed.payload).toMatchObject({ code: '41070020250601000093', promisorName: NAME });
    // Only the field goes: the commitment is still listed, and shows its code where it did.
    const still = await commitmentSurfaces('41070020250601000093');
    expect(still).toEqual({ ...allTrue(still), '/commitments': false });
    expect((await request(t.app).get(`/commitments?q=${encodeURIComponent(NAME)}`)).text).toContain(`/commitments/${commitmentId}"`);
    await setSharing('CN_SY', 'public', xycn.id);
    const back = await commitmentSurfaces(COMMITMENT_MATTER);
    expect(back).toEqual(allTrue(back));
    expect((await commitmentInFeed()).payload).toMatchObject({ matter: COMMITMENT_MATTER });
  });

  it('a code hidden is no longer a search key: searching by it finds nothing', async () => {
    const xycn = await t.deps.db.catalogueItem.findUniqueOrThrow({ where: { code: 'XYCN' } });
    const byCode = () => request(t.app).get('/commitments?q=41070020250601000093');
    expect((await byCode()).text).toContain(`/commitments/${commitmentId}"`);
    await setSharing('CN_BM', 'government', xycn.id);
    expect((await byCode()).text).not.toContain(`/commitments/${commitmentId}"`);
    await setSharing('CN_BM', 'public', xycn.id);
    expect((await byCode()).text).toContain(`/commitments/${commitmentId}"`);
  });

  it('replaces the whole column by a notice when the item itself is switched off, and brings it back', async () => {
    const xycn = await t.deps.db.catalogueItem.findUniqueOrThrow({ where: { code: 'XYCN' } });
    await setSharing(null, 'government', xycn.id);
    const gone = await commitmentSurfaces(COMMITMENT_MATTER);
    expect(gone).toEqual(allFalse(gone));
    const notice = await commitmentSurfaces('该类信息不向社会公开');
    expect(notice).toEqual(allTrue(notice));
    expect((await request(t.app).get(`/commitments/${commitmentId}`)).status).toBe(404);
    expect(await commitmentInFeed()).toMatchObject({ subjectKey: null, payload: {} });
    await setSharing(null, 'public', xycn.id);
    const back = await commitmentSurfaces(COMMITMENT_MATTER);
    expect(back).toEqual(allTrue(back));
  });
});

describe('the legal-person base data (FRJC) obeys its 共享属性 too', () => {
  it('hides 法定代表人 switched to 政务共享 on the profile, the report, the API and the search, and shows it again', async () => {
    const frjc = await t.deps.db.catalogueItem.findUniqueOrThrow({ where: { code: 'FRJC' } });
    const before = await baseSurfaces(LEGAL_REP);
    expect(before).toEqual(allTrue(before));
    await setSharing('FR_FDDBR', 'government', frjc.id);
    const hidden = await baseSurfaces(LEGAL_REP);
    expect(hidden).toEqual(allFalse(hidden));
    await setSharing('FR_FDDBR', 'public', frjc.id);
    const back = await baseSurfaces(LEGAL_REP);
    expect(back).toEqual(allTrue(back));
  });

  it('with the item switched off, the profile and the report say so and keep only the name and code', async () => {
    const frjc = await t.deps.db.catalogueItem.findUniqueOrThrow({ where: { code: 'FRJC' } });
    const pages = async () => {
      const [profile, report] = await Promise.all([
        request(t.app).get(`/subjects/${COMPANY_USCC}`),
        binary(request(t.app).get(`/subjects/${COMPANY_USCC}/report.pdf`)),
      ]);
      return { profile: profile.text, report: await pdfText(report.body as Buffer) };
    };
    const before = await pages();
    for (const text of Object.values(before)) {
      expect(text).toContain(ADDRESS);
      expect(text).not.toContain('该类信息不向社会公开');
    }
    await setSharing(null, 'government', frjc.id);
    const off = await pages();
    for (const text of Object.values(off)) {
      expect(text).not.toContain(ADDRESS);
      expect(text).not.toContain(LEGAL_REP);
      expect(text).toContain('该类信息不向社会公开');
      expect(text).toContain(COMPANY_USCC);
    }
    await setSharing(null, 'public', frjc.id);
    for (const text of Object.values(await pages())) expect(text).toContain(ADDRESS);
  });
});

describe('maintenance rights and input', () => {
  it('lets only the credit office (reviewer, admin) in; a clerk and the public are refused', async () => {
    const clerk = await signIn(t.app, 't-clerk');
    expect((await clerk.get('/admin/catalogue')).status).toBe(403);
    expect((await clerk.get(`/admin/catalogue/${itemId}`)).status).toBe(403);
    const anon = await request(t.app).get('/admin/catalogue');
    expect([302, 303]).toContain(anon.status);
    const admin = await signIn(t.app, 't-admin');
    expect((await admin.get('/admin/catalogue')).status).toBe(200);
  });

  it('says on the form which items the public pages do not yet apply field by field', async () => {
    const xyhc = await t.deps.db.catalogueItem.findUniqueOrThrow({ where: { code: 'XYHC' } });
    expect((await reviewer.get(`/admin/catalogue/${xyhc.id}`)).text).toContain('data-qa="not-applied"');
    for (const code of ['XZCF', 'XZXK', 'HONGMD', 'HEIMD', 'XYCN', 'FRJC']) {
      const item = await t.deps.db.catalogueItem.findUniqueOrThrow({ where: { code } });
      expect((await reviewer.get(`/admin/catalogue/${item.id}`)).text, code).not.toContain('data-qa="not-applied"');
    }
  });

  it('answers 400 in Chinese for an unknown level or an empty name, 404 for an unknown item, and changes nothing', async () => {
    const page = await reviewer.get(`/admin/catalogue/${itemId}`);
    const bad = await reviewer
      .post(`/admin/catalogue/${itemId}`)
      .type('form')
      .send({ name: '', sharing: 'everyone', [`field_${fieldId}`]: 'nobody', _csrf: csrfFrom(page.text) });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('请填写数据名称');
    expect(bad.text).toContain('请选择共享属性');
    expect(bad.text).toContain('请为信息项“行政处罚决定书文号”选择共享属性');
    expect((await t.deps.db.catalogueField.findUniqueOrThrow({ where: { id: fieldId } })).sharing).toBe('public');
    expect((await reviewer.get('/admin/catalogue/999999')).status).toBe(404);
    expect((await reviewer.get('/admin/catalogue/abc')).status).toBe(404);
  });

  it('cannot make 法定代表人证件号码 public: the form offers no choice and a forged value is ignored', async () => {
    const item = await t.deps.db.catalogueItem.findUniqueOrThrow({ where: { id: itemId }, include: { fields: true } });
    const locked = item.fields.find((f) => f.code === 'CF_FR_ZJHM')!;
    const page = await reviewer.get(`/admin/catalogue/${itemId}`);
    expect(page.text).not.toContain(`name="field_${locked.id}"`);
    const res = await reviewer
      .post(`/admin/catalogue/${itemId}`)
      .type('form')
      .send({
        name: item.name,
        format: item.format,
        provider: item.provider,
        subjectTypes: item.subjectTypes,
        nature: item.nature,
        sharing: item.sharing,
        coverage: item.coverage,
        updateCycle: item.updateCycle,
        [`field_${locked.id}`]: 'public',
        _csrf: csrfFrom(page.text),
      });
    expect(res.status).toBe(303);
    expect((await t.deps.db.catalogueField.findUniqueOrThrow({ where: { id: locked.id } })).sharing).toBe('government');
  });
});
