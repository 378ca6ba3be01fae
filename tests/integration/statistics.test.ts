import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedUsers, sessionUser, type TestApp } from '../helpers/app.js';
import { rawRecord } from '../helpers/records.js';
import { recordSchema } from '../../src/domain/publicity/schemas.js';
import { addMonths, beijingToday } from '../../src/domain/dates.js';
import { PublicStatisticsService, statisticsTables } from '../../src/features/statistics/service.js';
import { StatisticsRepository } from '../../src/features/statistics/repository.js';
import { TimelinessRepository } from '../../src/features/timeliness/repository.js';
import { cspSafe } from '../../src/features/statistics/charts.js';

/** The public 信用统计: figures from the database, charts as CSP-safe SVG, every table also as CSV. */

let t: TestApp;
let seeded: Awaited<ReturnType<typeof seedUsers>>;

beforeAll(async () => {
  t = await createTestApp();
  seeded = await seedUsers(t.deps);
});
afterAll(async () => t.close());

/** A fresh service, so the ten-minute cache of the app's never hides what a test just wrote. */
const fresh = () => new PublicStatisticsService(new StatisticsRepository(t.deps.db), new TimelinessRepository(t.deps.db));

async function penalty(decided: string, documentNo: string): Promise<void> {
  const raw = rawRecord('penalty', { decisionDate: decided.replace(/-/g, '/'), documentNo });
  const saved = await t.deps.publicity.saveOne('penalty', recordSchema('penalty').parse(raw), sessionUser(seeded), null);
  if (!saved.ok) throw new Error(JSON.stringify(saved.problems));
}

describe('public statistics', () => {
  it('counts records by month of decision over the last 12 months, the calendar months all present', async () => {
    const before = await fresh().get();
    // The Beijing day, whatever the hour in UTC: a decision of today counts in this month.
    const today = beijingToday();
    await penalty(today, '新市监罚〔统〕1号');
    await penalty(addMonths(today, -3), '新市监罚〔统〕2号');
    await penalty(addMonths(today, -13), '新市监罚〔统〕3号'); // outside the window
    const after = await fresh().get();
    expect(after.monthly).toHaveLength(12);
    expect(after.monthly.at(-1)!.month).toBe(today.slice(0, 7));
    expect(after.monthly[0]!.month).toBe(addMonths(today, -11).slice(0, 7));
    const delta = (month: string) =>
      (after.monthly.find((m) => m.month === month)?.penalties ?? 0) - (before.monthly.find((m) => m.month === month)?.penalties ?? 0);
    expect(delta(today.slice(0, 7))).toBe(1);
    expect(delta(addMonths(today, -3).slice(0, 7))).toBe(1);
    expect(after.collected.records - before.collected.records).toBe(3);
    const tables = statisticsTables(after);
    expect(tables.monthly.rows.map((r) => r[0])).toEqual(after.monthly.map((m) => m.month));
    // The department reporting them appears with its count; the ranking of 及时率 is best first.
    expect(after.departments.some((d) => d.penalties >= 2)).toBe(true);
    const rates = after.timeliness.map((r) => r.rate);
    expect([...rates].sort((a, b) => b - a)).toEqual(rates);
  });

  it('renders the page with a chart and a table per statistic, and no inline style the CSP would block', async () => {
    const res = await request(t.app).get('/statistics');
    expect(res.status).toBe(200);
    for (const key of ['monthly', 'departments', 'counties', 'timeliness', 'lists']) expect(res.text).toContain(`data-qa="stat-${key}"`);
    expect(res.text).toContain('<svg role="img"');
    expect(res.text).not.toMatch(/<style|\sstyle="/);
    expect(res.text).toContain('href="/statistics/monthly.csv"');
  });

  it('offers each table as CSV: byte-order mark, the same header and rows as the page, formulas neutralised', async () => {
    const s = await t.deps.publicStatistics.get();
    const table = statisticsTables(s).monthly;
    const res = await request(t.app)
      .get('/statistics/monthly.csv')
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    const text = (res.body as Buffer).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).split('\r\n');
    expect(lines[0]).toBe(table.head.join(','));
    expect(lines.slice(1, -1)).toEqual(table.rows.map((r) => r.join(',')));
  });

  it('answers 404 for a table it does not have, whatever the name', async () => {
    for (const bad of ['nope.csv', 'monthly.xlsx', 'monthly', '..%2F..%2Fetc%2Fpasswd', '%00.csv', 'MONTHLY.CSV']) {
      const res = await request(t.app).get(`/statistics/${bad}`);
      expect(res.status, bad).toBe(404);
      expect(res.text).toContain('lang="zh-CN"');
    }
  });

  it('the home page shows the statistics panel and the list summary', async () => {
    const res = await request(t.app).get('/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('data-qa="home-statistics"');
    expect(res.text).toMatch(/现行有效的守信红名单 <strong>\d+<\/strong> 户，失信黑名单 <strong>\d+<\/strong> 户/);
    expect(res.text).toContain('href="/statistics"');
  });
});

describe('CSP-safe SVG', () => {
  it('drops the hover stylesheet, turns style attributes into presentation attributes and names the image', () => {
    const svg = cspSafe(
      '<svg width="1"><style><![CDATA[.a:hover{cursor:pointer}]]></style><text style="font-size:12px;font-family:sans-serif;">新乡</text></svg>',
      '图 "1" <甲>',
    );
    expect(svg).toBe(
      '<svg role="img" aria-label="图 &quot;1&quot; &lt;甲>" focusable="false" class="chart__svg" width="1"><text font-size="12px" font-family="sans-serif">新乡</text></svg>',
    );
  });
});
