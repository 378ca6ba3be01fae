import { createHash } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usccCheckChar } from '../../src/domain/identifiers.js';
import { recordSchema } from '../../src/domain/publicity/schemas.js';
import { REPORT_NO_PATTERN } from '../../src/features/reports/service.js';
import { VERIFY_FAILED, VERIFY_PASSED } from '../../src/features/reports/routes.js';
import { createTestApp, csrfFrom, seedUsers, signIn, type TestApp, binary, sessionUser } from '../helpers/app.js';
import { COMPANY_USCC, rawRecord } from '../helpers/records.js';

const COMPANY_NAME = '新乡市华兴食品有限公司';
/** Valid (check character computed) but nobody's. */
const UNKNOWN_USCC = '91410700MA4400000' + usccCheckChar('91410700MA4400000');

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  const seeded = await seedUsers(t.deps);
  const clerk = sessionUser(seeded);
  // Reporting records links (and creates) the subject in the legal-person library.
  const penalties: Record<string, string>[] = [{}, { violationType: '未按规定公示食品经营许可证', documentNo: '新市监罚〔2026〕901号' }];
  for (const over of penalties) {
    const saved = await t.deps.publicity.saveOne('penalty', recordSchema('penalty').parse(rawRecord('penalty', over)), clerk, null);
    if (!saved.ok) throw new Error(`could not create a test penalty: ${JSON.stringify(saved.problems)}`);
  }
  const permit = await t.deps.publicity.saveOne('permit', recordSchema('permit').parse(rawRecord('permit')), clerk, null);
  if (!permit.ok) throw new Error('could not create a test permit');
});
afterAll(async () => t.close());

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let pdf: Buffer;
let reportNo: string;

describe('issuing a report', () => {
  it('answers the PDF as a download with a Chinese file name, and records the issue with the file’s SHA-256', async () => {
    const res = await binary(request(t.app).get(`/subjects/${COMPANY_USCC}/report.pdf`));
    expect(res.status, String(res.body).slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['cache-control']).toBe('no-store');
    pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const disposition = String(res.headers['content-disposition']);
    expect(disposition).toMatch(/^attachment;/);
    const star = /filename\*=UTF-8''([^;]+)/.exec(disposition);
    expect(star).not.toBeNull();
    const fileName = decodeURIComponent(star![1]!);
    const m = /^公共信用信息报告_(.+)_(XXCR\w+)\.pdf$/.exec(fileName);
    expect(m?.[1]).toBe(COMPANY_NAME);
    reportNo = m![2]!;
    expect(reportNo).toMatch(REPORT_NO_PATTERN);

    const rows = await t.deps.db.creditReport.findMany();
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.reportNo).toBe(reportNo);
    expect(row.uscc).toBe(COMPANY_USCC);
    expect(row.subjectName).toBe(COMPANY_NAME);
    expect(row.sha256).toBe(sha256(pdf));
    expect(row.bytes).toBe(pdf.length);
    expect(row.ip).toBeTruthy();
    const lp = await t.deps.db.legalPerson.findUniqueOrThrow({ where: { uscc: COMPANY_USCC } });
    expect(row.legalPersonId).toBe(lp.id);
    // The Beijing day of issue is part of the number.
    const day = new Date(row.issuedAt.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
    expect(reportNo.slice(4, 12)).toBe(day);
  });

  it('refuses an invalid USCC with the reason, and issues nothing', async () => {
    const broken = COMPANY_USCC.slice(0, 17) + 'F';
    const res = await request(t.app).get(`/subjects/${broken}/report.pdf`);
    expect(res.status).toBe(400);
    expect(res.text).toContain('第18位校验码应为 E');
    expect(await t.deps.db.creditReport.count()).toBe(1);
  });

  it('answers a Chinese 404 page for a valid USCC nobody has', async () => {
    const res = await request(t.app).get(`/subjects/${UNKNOWN_USCC}/report.pdf`);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain(`未找到统一社会信用代码为 ${UNKNOWN_USCC} 的信用主体`);
    expect(await t.deps.db.creditReport.count()).toBe(1);
  });

  it('sends a loosely typed USCC to the canonical address, and HEAD issues nothing', async () => {
    const res = await request(t.app).get(`/subjects/${COMPANY_USCC.toLowerCase()}/report.pdf`);
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe(`/subjects/${COMPANY_USCC}/report.pdf`);
    const head = await request(t.app).head(`/subjects/${COMPANY_USCC}/report.pdf`);
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe('application/pdf');
    expect((await request(t.app).head(`/subjects/${UNKNOWN_USCC}/report.pdf`)).status).toBe(404);
    expect(await t.deps.db.creditReport.count()).toBe(1);
  });
});

describe('verifying a report', () => {
  it('shows the issue record: subject, time and the SHA-256 of the issued file, with an upload form', async () => {
    const res = await request(t.app).get(`/reports/${reportNo}`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    for (const s of [reportNo, COMPANY_NAME, COMPANY_USCC, sha256(pdf), '上传报告文件核验', '出具时间', 'enctype="multipart/form-data"'])
      expect(res.text).toContain(s);
    expect(res.text).toContain(`action="/reports/${reportNo}/verify"`);
    expect(res.text).not.toContain('data-qa="verify-result"');
    // the number as typed from paper: spaces, lower case
    expect((await request(t.app).get(`/reports/${reportNo.toLowerCase()}`)).status).toBe(200);
  });

  it('answers 404 for a number never issued', async () => {
    const res = await request(t.app).get('/reports/XXCR20260101AAAAAAAA');
    expect(res.status).toBe(404);
    expect(res.text).toContain('报告编号不存在');
    expect((await request(t.app).get('/reports/not-a-number')).status).toBe(404);
  });

  async function upload(file: Buffer | null, no = reportNo) {
    const agent = request.agent(t.app);
    const page = await agent.get(`/reports/${reportNo}`);
    const req = agent.post(`/reports/${no}/verify`).field('_csrf', csrfFrom(page.text));
    return file ? req.attach('file', file, { filename: '公共信用信息报告.pdf', contentType: 'application/pdf' }) : req;
  }

  it('passes the very file that was issued', async () => {
    const res = await upload(pdf);
    expect(res.status).toBe(200);
    expect(res.text).toContain(VERIFY_PASSED);
    expect(res.text).toContain('data-ok="true"');
    expect(res.text).toContain(`<code class="mono" data-qa="uploaded-sha256">${sha256(pdf)}</code>`);
    expect(res.text).toContain('公共信用信息报告.pdf');
  });

  it('fails a file with one byte changed, showing that file’s SHA-256', async () => {
    const tampered = Buffer.from(pdf);
    const at = Math.floor(tampered.length / 2);
    tampered[at] = tampered[at]! ^ 0x01;
    const res = await upload(tampered);
    expect(res.status).toBe(200);
    expect(res.text).toContain(VERIFY_FAILED);
    expect(res.text).toContain('data-ok="false"');
    expect(res.text).toContain(sha256(tampered));
    expect(res.text).toContain(sha256(pdf));
  });

  it('asks for a file when none was sent, and refuses a post without the CSRF token', async () => {
    const none = await upload(null);
    expect(none.status).toBe(400);
    expect(none.text).toContain('请选择要核验的报告文件');
    const forged = await request(t.app).post(`/reports/${reportNo}/verify`).attach('file', pdf, 'r.pdf');
    expect(forged.status).toBe(403);
  });

  it('refuses a file over 20 MB without reading it all', async () => {
    const res = await upload(Buffer.alloc(20 * 1024 * 1024 + 1, 0x25));
    expect(res.status).toBe(400);
    expect(res.text).toContain('文件超过 20 MB');
  });

  it('answers 404 when verifying against an unknown number', async () => {
    const res = await upload(pdf, 'XXCR20260101AAAAAAAA');
    expect(res.status).toBe(404);
  });
});

describe('usage statistics', () => {
  it('counts issues per Beijing day and per subject', async () => {
    await binary(request(t.app).get(`/subjects/${COMPANY_USCC}/report.pdf`)).expect(200);
    const rows = await t.deps.db.creditReport.findMany({ orderBy: { id: 'asc' } });
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => r.reportNo)).size).toBe(2);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() + 8 * 3600_000 - 86_400_000).toISOString().slice(0, 10);

    const usage = await t.deps.reports.usage({ from: yesterday, to: today });
    expect(usage.total).toBe(2);
    expect(usage.perDay).toEqual([
      { day: yesterday, count: 0 },
      { day: today, count: 2 },
    ]);
    expect(usage.perSubject).toEqual([{ legalPersonId: rows[0]!.legalPersonId, uscc: COMPANY_USCC, subjectName: COMPANY_NAME, count: 2 }]);

    const before = await t.deps.reports.usage({ from: '2020-01-01', to: '2020-01-03' });
    expect(before.total).toBe(0);
    expect(before.perDay.map((d) => d.count)).toEqual([0, 0, 0]);
    expect(before.perSubject).toEqual([]);
    await expect(t.deps.reports.usage({ from: today, to: yesterday })).rejects.toThrow(RangeError);
    await expect(t.deps.reports.usage({ from: '2026-13-01', to: today })).rejects.toThrow(RangeError);

    // The credit office reads the same figures on its statistics page.
    const reviewer = await signIn(t.app, 't-reviewer');
    const page = await reviewer.get(`/admin/statistics?from=${yesterday}&to=${today}`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/data-qa="report-total"[\s\S]*<strong>2<\/strong>/);
    expect(page.text).toContain(COMPANY_NAME);
    expect((await reviewer.get('/admin/statistics?from=2026-02-30')).status).toBe(400);
  });

  it('verify() compares bytes, and find() knows only issued numbers', async () => {
    const issued = (await t.deps.reports.find(reportNo))!;
    expect(t.deps.reports.verify(issued, pdf)).toEqual({ ok: true, sha256: sha256(pdf) });
    expect(t.deps.reports.verify(issued, Buffer.from('x')).ok).toBe(false);
    expect(await t.deps.reports.find('XXCR20260101AAAAAAAA')).toBeNull();
    expect(await t.deps.reports.issue(UNKNOWN_USCC, null, { baseUrl: 'http://localhost' })).toBeNull();
  });
});

describe('rate limit', () => {
  it('stops one address from issuing more than 30 reports a minute', async () => {
    let limited: request.Response | null = null;
    for (let i = 0; i < 31 && !limited; i++) {
      const res = await binary(request(t.app).get(`/subjects/${COMPANY_USCC}/report.pdf`));
      if (res.status === 429) limited = res;
      else expect(res.status).toBe(200);
    }
    expect(limited).not.toBeNull();
    expect(String(limited!.body)).toContain('信用报告下载过于频繁');
    // 30 in the window: the two HEADs, the 400, the 404s and the redirect count too, so fewer than 30 new reports
    expect(await t.deps.db.creditReport.count()).toBeLessThanOrEqual(30);
  });
});
