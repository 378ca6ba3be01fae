import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordSchema } from '../../src/domain/publicity/schemas.js';
import { DOCUMENT_SUPERSEDED, KEYS_PATH, QR_PASSED, SUPERSEDED } from '../../src/features/reports/routes.js';
import { SigningKeyRepository } from '../../src/features/reports/key-repository.js';
import { ReportKeys } from '../../src/features/reports/keys.js';
import { qrUrl } from '../../src/features/reports/service.js';
import { parsePublishedKeys, readPdfSignature, verifyPdf, verifyQr } from '../../src/features/reports/signing.js';
import { createTestApp, csrfFrom, seedUsers, sessionUser, signIn, binary, type TestApp } from '../helpers/app.js';
import { COMPANY_USCC, rawRecord } from '../helpers/records.js';
import { pdfHasQrOf } from '../helpers/qr-image.js';
import { beijingToday } from '../../src/domain/dates.js';

let t: TestApp;
let clerk: Express.User;
let seeded: Awaited<ReturnType<typeof seedUsers>>;
const PENALTY_NO = '新市监罚〔2026〕7001号';

beforeAll(async () => {
  t = await createTestApp();
  seeded = await seedUsers(t.deps);
  clerk = sessionUser(seeded);
  const saved = await t.deps.publicity.saveOne('penalty', recordSchema('penalty').parse(rawRecord('penalty', { documentNo: PENALTY_NO })), clerk, null);
  if (!saved.ok) throw new Error(`could not create a test penalty: ${JSON.stringify(saved.problems)}`);
});
afterAll(async () => t.close());

async function publishedKeys() {
  const res = await request(t.app).get(KEYS_PATH);
  expect(res.status).toBe(200);
  return { body: res.body as Record<string, unknown>, keys: parsePublishedKeys(res.body) };
}

describe('the public key endpoint', () => {
  it('publishes the platform key at a fixed address with its validity, creating the first key on a new platform', async () => {
    expect(await t.deps.db.reportSigningKey.count()).toBe(0);
    const res = await request(t.app).get(KEYS_PATH);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.body).toMatchObject({ algorithm: 'SM2-SM3', userId: '1234567812345678' });
    const keys = parsePublishedKeys(res.body);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ status: 'active' });
    expect(keys[0]!.notBefore.getTime()).toBeLessThanOrEqual(Date.now());
    expect(keys[0]!.notAfter.getTime()).toBeGreaterThan(Date.now() + 365 * 86_400_000);
    // never a private key
    expect(JSON.stringify(res.body)).not.toMatch(/private|plain:/i);
    const page = await request(t.app).get('/reports/keys');
    expect(page.status).toBe(200);
    expect(page.text).toContain(keys[0]!.publicKey);
  });
});

describe('issue → verify → change the record → superseded', () => {
  let qrText: string;
  let reportNo: string;

  it('signs the downloaded file: its trailer verifies with the published key, one changed byte does not', async () => {
    const res = await binary(request(t.app).get(`/subjects/${COMPANY_USCC}/report.pdf`));
    expect(res.status).toBe(200);
    const pdf = res.body as Buffer;
    const { keys } = await publishedKeys();
    const r = verifyPdf(pdf, keys);
    expect(r.ok).toBe(true);
    const row = await t.deps.db.creditReport.findFirstOrThrow({ where: { reportNo: readPdfSignature(pdf)!.reportNo } });
    expect(row.keyId).toBe(keys[0]!.keyId);
    expect(row.contentSm3).toMatch(/^[0-9a-f]{64}$/);
    const copy = Buffer.from(pdf);
    const mid = Math.floor(copy.length / 2);
    copy[mid] = copy[mid]! ^ 0x20;
    expect(verifyPdf(copy, keys).ok).toBe(false);
    // the register's byte-for-byte check still accepts the file as downloaded
    const page = await request(t.app).get(`/reports/${row.reportNo}`);
    expect(page.text).toContain(row.sha256);
    expect(page.text).toContain('data-qa="current"');
  });

  it('checks a QR text with the public keys alone, and shows the register’s state', async () => {
    const issued = await t.deps.reports.issue(COMPANY_USCC, null, { baseUrl: 'https://credit.example.gov.cn' });
    qrText = issued!.qrText;
    reportNo = issued!.reportNo;
    const { keys } = await publishedKeys();
    expect(verifyQr(qrText, keys)).toMatchObject({ ok: true, fields: { reportNo, uscc: COMPANY_USCC } });

    const res = await request(t.app)
      .get('/reports/verify')
      .query({ qr: qrUrl('https://credit.example.gov.cn', qrText) });
    expect(res.status).toBe(200);
    expect(res.text).toContain(QR_PASSED);
    expect(res.text).toContain(reportNo);
    expect(res.text).toContain('data-qa="current"');
  });

  it('answers 400 with the reason for a changed QR field or signature, never 500', async () => {
    const parts = qrText.split('|');
    const otherCode = parts.map((p, i) => (i === 3 ? '91410700MA44XKR64C' : p)).join('|');
    const res = await request(t.app).get('/reports/verify').query({ qr: otherCode });
    expect(res.status).toBe(400);
    expect(res.text).toContain('核验未通过');
    expect(res.text).toContain('data-ok="false"');
    for (const junk of ['XXCR1|', 'hello', '%E0%A4%A', 'XXCR1|' + 'x|'.repeat(500)]) {
      const r = await request(t.app).get('/reports/verify').query({ qr: junk });
      expect(r.status, junk).toBe(400);
    }
  });

  it('shows a report as superseded after the subject’s record is corrected, with a link to a fresh one', async () => {
    const corrected = await t.deps.publicity.saveOne(
      'penalty',
      recordSchema('penalty').parse(rawRecord('penalty', { documentNo: PENALTY_NO, facts: '当事人销售超过保质期的食品（更正）' })),
      clerk,
      null,
    );
    expect(corrected.ok).toBe(true);
    const page = await request(t.app).get(`/reports/${reportNo}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-qa="superseded"');
    expect(page.text).toContain(SUPERSEDED);
    expect(page.text).toContain(`href="/subjects/${COMPANY_USCC}/report.pdf"`);
    // the signature itself stays valid: the report was genuine when issued
    const qr = await request(t.app).get('/reports/verify').query({ qr: qrText });
    expect(qr.status).toBe(200);
    expect(qr.text).toContain(QR_PASSED);
    expect(qr.text).toContain('data-qa="superseded"');
    // a fresh report is current again
    const fresh = await t.deps.reports.issue(COMPANY_USCC, null, { baseUrl: 'https://credit.example.gov.cn' });
    const again = await request(t.app).get(`/reports/${fresh!.reportNo}`);
    expect(again.text).toContain('data-qa="current"');
  });

  it('after a rotation signs with the new key and still verifies reports signed with the old one', async () => {
    const before = (await publishedKeys()).keys;
    const keys = t.deps.reports.keys!;
    await keys.rotate();
    const after = (await publishedKeys()).keys;
    expect(after).toHaveLength(2);
    expect(after.find((k) => k.keyId === before[0]!.keyId)?.status).toBe('retired');
    const fresh = await t.deps.reports.issue(COMPANY_USCC, null, { baseUrl: 'https://credit.example.gov.cn' });
    expect(fresh!.qrText.split('|')[4]).not.toBe(before[0]!.keyId);
    expect(verifyQr(fresh!.qrText, after).ok).toBe(true);
    expect(verifyQr(qrText, after).ok).toBe(true);
    const old = await request(t.app).get('/reports/verify').query({ qr: qrText });
    expect(old.status).toBe(200);
    // revoked: the old key's reports no longer verify
    await keys.revoke(before[0]!.keyId);
    const revoked = await request(t.app).get('/reports/verify').query({ qr: qrText });
    expect(revoked.status).toBe(400);
    expect(revoked.text).toContain('已被吊销');
  });
});

describe('the 信用核查报告 file', () => {
  it('carries the platform’s file signature under its XXCC number: valid with the published keys, invalid after one changed byte', async () => {
    const clerkAgent = await signIn(t.app, 't-clerk');
    const form = await clerkAgent.get('/admin/credit-check');
    const run = await clerkAgent
      .post('/admin/credit-check')
      .type('form')
      .send({ codes: COMPANY_USCC, purpose: '签名核验', _csrf: csrfFrom(form.text) });
    expect(run.status).toBe(303);
    const runId = Number(/\/admin\/credit-check\/(\d+)$/.exec(run.headers.location!)![1]);
    const res = await binary(clerkAgent.get(`${run.headers.location!}/report.pdf`));
    expect(res.status).toBe(200);
    const pdf = res.body as Buffer;
    const { keys } = await publishedKeys();
    const r = verifyPdf(pdf, keys);
    expect(r).toMatchObject({ ok: true, signature: { kind: 'credit-check', reportNo: `XXCC${String(runId).padStart(8, '0')}` } });
    const copy = Buffer.from(pdf);
    const mid = Math.floor(copy.length / 2);
    copy[mid] = copy[mid]! ^ 0x01;
    expect(verifyPdf(copy, keys)).toMatchObject({ ok: false, problem: 'content-mismatch' });
  });
});

/** The host the QR codes print when no PUBLIC_URL is set: the request's own. */
const HOST = 'credit.example.gov.cn';

/** A downloaded 信用核查报告 or 事前告知书: its QR text (X-Report-QR) verified, found in the PDF's image, and registered. */
async function checkSignedDocument(res: request.Response, docNo: string, kind: 'credit-check' | 'prior-notice') {
  expect(res.status).toBe(200);
  const pdf = res.body as Buffer;
  const { keys } = await publishedKeys();
  const text = String(res.headers['x-report-qr']);
  const checked = verifyQr(text, keys);
  expect(checked).toMatchObject({ ok: true, fields: { reportNo: docNo, kind } });
  // the printed code holds exactly the verification address with that text, and the file trailer names the same number
  expect(await pdfHasQrOf(pdf, qrUrl(`http://${HOST}`, text))).toBe(true);
  expect(
    await pdfHasQrOf(
      pdf,
      qrUrl(
        `http://${HOST}`,
        text.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
      ),
    ),
  ).toBe(false);
  expect(verifyPdf(pdf, keys, checked.fields!.issuedAt)).toMatchObject({ ok: true, signature: { reportNo: docNo, kind } });
  // two downloads can share a second (the code's time is to the second): the newest row of that second is this one
  const row = await t.deps.db.issuedDocument.findFirstOrThrow({ where: { docNo, issuedAt: checked.fields!.issuedAt }, orderBy: { id: 'desc' } });
  expect(row).toMatchObject({ contentSm3: checked.fields!.contentSm3, keyId: keys.find((k) => k.status === 'active')!.keyId, bytes: pdf.length });
  return text;
}

async function verifyPage(text: string) {
  const page = await request(t.app)
    .get('/reports/verify')
    .query({ qr: qrUrl(`https://${HOST}`, text) });
  expect(page.status).toBe(200);
  expect(page.text).toContain(QR_PASSED);
  return page.text;
}

describe('the 信用核查报告’s QR code and register', () => {
  it('carries a signed XXCR2 code of its XXCC number and content; 有效 until the checked subject changes, then 已被更新', async () => {
    const clerkAgent = await signIn(t.app, 't-clerk');
    const form = await clerkAgent.get('/admin/credit-check');
    const run = await clerkAgent
      .post('/admin/credit-check')
      .type('form')
      .send({ codes: `${COMPANY_USCC}\n123`, purpose: '二维码核验', _csrf: csrfFrom(form.text) });
    expect(run.status).toBe(303);
    const runId = Number(/\/admin\/credit-check\/(\d+)$/.exec(run.headers.location!)![1]);
    const docNo = `XXCC${String(runId).padStart(8, '0')}`;
    const res = await binary(clerkAgent.get(`${run.headers.location!}/report.pdf`).set('Host', HOST));
    const text = await checkSignedDocument(res, docNo, 'credit-check');
    const page = await verifyPage(text);
    expect(page).toContain('信用核查报告');
    expect(page).toContain('data-qa="current"');

    // the subject's registered name is printed on the report: a new name makes a fresh check differ
    const subject = await t.deps.db.legalPerson.findUniqueOrThrow({ where: { uscc: COMPANY_USCC } });
    await t.deps.db.legalPerson.update({ where: { id: subject.id }, data: { name: `${subject.name}（更名）` } });
    try {
      const after = await verifyPage(text);
      expect(after).toContain('data-qa="superseded"');
      expect(after).toContain(DOCUMENT_SUPERSEDED['credit-check']);
      expect(after).toContain('href="/admin/credit-check"');
    } finally {
      await t.deps.db.legalPerson.update({ where: { id: subject.id }, data: { name: subject.name } });
    }
    expect(await verifyPage(text)).toContain('data-qa="current"');

    // a changed field of the code fails, and a valid-looking code nobody issued is not in the register
    const parts = text.split('|');
    const tampered = parts.map((p, i) => (i === 4 ? 'f'.repeat(64) : p)).join('|');
    const bad = await request(t.app).get('/reports/verify').query({ qr: tampered });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('核验未通过');
  });
});

describe('the 事前告知书’s QR code and register', () => {
  it('carries a signed XXCR2 code of its XXPN number and content; 已被更新 after the notice’s measures change', async () => {
    const reviewer = { ...clerk, id: seeded.users.reviewer.id, username: 't-reviewer', role: 'reviewer' as const };
    const id = await t.deps.lists.nominate(
      {
        listType: 'black',
        subjectCategory: 'legal',
        subjectName: '新乡市二维码告知有限公司',
        uscc: COMPANY_USCC,
        docType: null,
        docNumber: null,
        basisDocNo: '新市监认〔2026〕3号',
        basisAuthority: '新乡市市场监督管理局',
        basisDate: '2026-01-05',
        reason: '拒不履行行政处罚决定',
        validUntil: '2099-12-31',
      },
      clerk,
      null,
    );
    await t.deps.lists.review(id, 'accept', undefined, reviewer, null);
    await t.deps.lists.servePriorNotice(
      id,
      { noticeNo: '新告〔2026〕17号', measures: '限制参与政府采购', servedOn: beijingToday(), objectionDays: 7 },
      clerk,
      null,
    );
    const docNo = `XXPN${String(id).padStart(8, '0')}`;
    const clerkAgent = await signIn(t.app, 't-clerk');
    const res = await binary(clerkAgent.get(`/admin/nominations/${id}/prior-notice.pdf`).set('Host', HOST));
    const text = await checkSignedDocument(res, docNo, 'prior-notice');
    expect((await t.deps.db.issuedDocument.findFirstOrThrow({ where: { docNo } })).subjectName).toBe('新乡市二维码告知有限公司');
    const page = await verifyPage(text);
    expect(page).toContain('事前告知书');
    expect(page).toContain('新乡市二维码告知有限公司');
    expect(page).toContain('data-qa="current"');

    await t.deps.db.listNomination.update({ where: { id }, data: { priorNoticeMeasures: '限制参与政府采购；限制申请财政性资金' } });
    const after = await verifyPage(text);
    expect(after).toContain('data-qa="superseded"');
    expect(after).toContain(DOCUMENT_SUPERSEDED['prior-notice']);
    expect(after).toContain(`href="/admin/nominations/${id}/prior-notice.pdf"`);
    // a fresh download states the notice as it now stands
    const fresh = await checkSignedDocument(await binary(clerkAgent.get(`/admin/nominations/${id}/prior-notice.pdf`).set('Host', HOST)), docNo, 'prior-notice');
    expect(await verifyPage(fresh)).toContain('data-qa="current"');
  });
});

describe('private keys at rest', () => {
  it('are encrypted with REPORT_KEY_SECRET when it is set, and never leave the repository otherwise', async () => {
    const secret = 'r'.repeat(40);
    const keys = new ReportKeys(new SigningKeyRepository(t.deps.db), { secret });
    const created = await keys.rotate();
    const row = await t.deps.db.reportSigningKey.findUniqueOrThrow({ where: { keyId: created!.keyId } });
    expect(row.privateKey).toMatch(/^v1:/);
    const signer = await keys.signingKey();
    expect(row.privateKey).not.toContain(signer.privateKey);
    const wrong = new ReportKeys(new SigningKeyRepository(t.deps.db), { secret: 'w'.repeat(40) });
    await expect(wrong.signingKey()).rejects.toThrow(/REPORT_KEY_SECRET/);
  });
});

describe('an as-of 信用核查报告 with a record under objection', () => {
  it('stays 有效 while nothing changes: the re-check reads the same 异议处理中 mark from the history as the report printed', async () => {
    await t.deps.bulkPool.query(`UPDATE penalty SET tier = 'serious' WHERE document_no = $1`, [PENALTY_NO]);
    await t.deps.bulkPool.query(
      `INSERT INTO objection (case_no, penalty_id, document_no, department_id, subject_name, subject_code, applicant_name, phone, reason, accept_by)
       SELECT 'QR-ASOF-1', id, document_no, department_id, subject_name, COALESCE(uscc, ''), '张三', '13800000000', '处罚金额有误', CURRENT_DATE + 3
         FROM penalty WHERE document_no = $1`,
      [PENALTY_NO],
    );
    const clerkAgent = await signIn(t.app, 't-clerk');
    const form = await clerkAgent.get('/admin/credit-check');
    const run = await clerkAgent
      .post('/admin/credit-check')
      .type('form')
      .send({ codes: COMPANY_USCC, purpose: '截至今日核查', asOf: beijingToday(), _csrf: csrfFrom(form.text) });
    expect(run.status).toBe(303);
    const shown = await clerkAgent.get(run.headers.location!);
    // the premise: the report itself shows the record as under objection
    expect(shown.text).toContain('data-qa="check-disputed"');
    const runId = Number(/\/admin\/credit-check\/(\d+)$/.exec(run.headers.location!)![1]);
    const res = await binary(clerkAgent.get(`${run.headers.location!}/report.pdf`).set('Host', HOST));
    const text = await checkSignedDocument(res, `XXCC${String(runId).padStart(8, '0')}`, 'credit-check');
    expect(await verifyPage(text)).toContain('data-qa="current"');
  });
});
