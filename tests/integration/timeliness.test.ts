import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedUsers, signIn, type TestApp } from '../helpers/app.js';
import { rawRecord } from '../helpers/records.js';
import { recordSchema } from '../../src/domain/publicity/schemas.js';
import { writeRecords } from '../../src/features/publicity/writer.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  const seeded = await seedUsers(t.deps);
  // Decisions on Friday 2026-09-25; the 7th working day after it is Monday 10-12 because of the 国庆 holiday
  // (10-01..10-07 off, Saturday 10-10 a make-up working day).
  const decided = '2026/09/25';
  const rows = [
    { over: { documentNo: 'T-1', decisionDate: decided }, reported: '2026-10-12T15:00:00+08:00' },
    { over: { documentNo: 'T-2', decisionDate: decided }, reported: '2026-10-13T09:00:00+08:00' },
    { over: { documentNo: 'T-3', decisionDate: decided }, reported: '2026-09-29T09:00:00+08:00' },
  ];
  const ctx = await t.deps.publicity.writeContext(seeded.departmentId, null, null);
  const client = await t.deps.pool.connect();
  try {
    await client.query('BEGIN');
    const schema = recordSchema('penalty', { today: '2026-11-27' });
    await writeRecords(
      client,
      'penalty',
      rows.map((r, i) => ({
        rowNo: i + 1,
        input: schema.parse(rawRecord('penalty', { ...r.over, validUntil: '2027/09/25' })),
        reportedAt: new Date(r.reported),
      })),
      ctx,
      { auditAction: 'penalty.update', username: 'test', ip: null },
    );
    await client.query('COMMIT');
  } finally {
    client.release();
  }
});
afterAll(async () => t.close());

describe('报送及时率', () => {
  it('counts working days with the holiday schedule: the 7th working day is on time, the 8th late', async () => {
    const rows = await t.deps.db.penalty.findMany({ orderBy: { documentNo: 'asc' }, select: { documentNo: true, reportWorkdays: true } });
    expect(rows).toEqual([
      { documentNo: 'T-1', reportWorkdays: 7 },
      { documentNo: 'T-2', reportWorkdays: 8 },
      { documentNo: 'T-3', reportWorkdays: 2 },
    ]);
  });

  it('ranks departments and counties by rate and lists the late records for the credit office', async () => {
    const reviewer = await signIn(t.app, 't-reviewer');
    const page = await reviewer.get('/admin/timeliness?month=2026-09');
    expect(page.status).toBe(200);
    expect(page.text).toContain('新乡市市场监督管理局');
    expect(page.text).toContain('66.7%');
    expect(page.text).toMatch(/data-qa="late-records"[\s\S]*T-2/);
    expect(page.text).not.toMatch(/data-qa="late-records"[\s\S]*>T-1</);
    const byCounty = await reviewer.get('/admin/timeliness?month=2026-09&by=county');
    expect(byCounty.text).toContain('未归属县（市、区）');
    // A month that cannot be read: the form again, with its error summary and the typed value.
    const bad = await reviewer.get('/admin/timeliness?month=2026-13&by=county');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('<title>错误：报送及时率');
    expect(bad.text).toContain('data-qa="error-summary"');
    expect(bad.text).toContain('月份格式应为 YYYY-MM');
    expect(bad.text).toMatch(/<option value="county" selected>/);
    expect(bad.text).not.toContain('data-qa="timeliness-overall"');
    const clerk = await signIn(t.app, 't-clerk');
    expect((await clerk.get('/admin/timeliness')).status).toBe(403);
  });

  it('the home page carries the public summary', async () => {
    const summary = await t.deps.timeliness.summary();
    expect(summary.total).toBe(3);
    const home = await request(t.app).get('/');
    expect(home.text).toMatch(/data-qa="timeliness-summary"[\s\S]*66\.7%/);
  });
});
