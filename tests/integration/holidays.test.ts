import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom, seedUsers, signIn, type TestApp } from '../helpers/app.js';
import { rawRecord } from '../helpers/records.js';
import { thisYear } from '../helpers/dates.js';
import { WorkdayCalendar } from '../../src/domain/workdays.js';

let t: TestApp;
let reviewer: Awaited<ReturnType<typeof signIn>>;
let token: string;

beforeAll(async () => {
  t = await createTestApp();
  await seedUsers(t.deps);
  reviewer = await signIn(t.app, 't-reviewer');
  token = csrfFrom((await reviewer.get('/admin/holidays')).text);
});
afterAll(async () => t.close());

describe('holiday schedules after the built-in years', () => {
  it('says which year is missing, and refuses a bad schedule keeping what was typed', async () => {
    const page = await reviewer.get('/admin/holidays?year=2027');
    expect(page.status).toBe(200);
    // Built-in data ends with 2026: next year is missing whenever the suite runs (and this year too from 2027 on).
    expect(page.text).toMatch(new RegExp(`尚未录入 (\\d{4}、)?${thisYear() + 1} 年节假日安排`));
    if (thisYear() >= 2027) expect(page.text).toContain(`尚未录入 ${thisYear()}、`);
    const bad = await reviewer
      .post('/admin/holidays')
      .type('form')
      .send({ year: '2027', offDays: '2027-02-06~2027-02-12\n2027-02-30', workDays: '2027-02-15', _csrf: token });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('“2027-02-30”不是有效日期');
    expect(bad.text).toContain('2027-02-15 是工作日（周一至周五），调休上班日应为周六或周日');
    expect(bad.text).toContain('2027-02-06~2027-02-12');
    expect(await t.deps.db.holidayOverride.count()).toBe(0);
  });

  it('saving a year changes the calendar at once and recomputes the records it touches', async () => {
    const clerk = await signIn(t.app, 't-clerk');
    const ct = csrfFrom((await clerk.get('/admin/penalties/new')).text);
    const res = await clerk
      .post('/admin/penalties')
      .type('form')
      .send({ ...rawRecord('penalty'), _csrf: ct });
    const id = Number(/(\d+)$/.exec(res.headers.location ?? '')?.[1]);
    // As if decided just before the Spring Festival of 2027 and reported after it.
    await t.deps.pool.query(`UPDATE penalty SET decision_date = '2027-01-29', reported_at = '2027-02-10T10:00:00+08:00', report_workdays = 8 WHERE id = $1`, [
      id,
    ]);
    expect(t.deps.publicity.calendar.isWorkday('2027-02-08')).toBe(true);

    const saved = await reviewer
      .post('/admin/holidays')
      .type('form')
      .send({ year: '2027', offDays: '2027-01-01\n2027-02-06~2027-02-12', workDays: '2027-02-14', _csrf: token });
    expect(saved.status).toBe(303);
    expect(t.deps.publicity.calendar.isWorkday('2027-02-08')).toBe(false);
    expect(t.deps.publicity.calendar.isWorkday('2027-02-14')).toBe(true);
    expect((await t.deps.db.penalty.findUniqueOrThrow({ where: { id } })).reportWorkdays).toBe(5);
    expect(await t.deps.db.auditLog.count({ where: { action: 'holiday.save', targetId: '2027' } })).toBe(1);

    // Saving the year again replaces it whole; a fresh process loads it from the database.
    await reviewer.post('/admin/holidays').type('form').send({ year: '2027', offDays: '2027-01-01', workDays: '', _csrf: token });
    expect(await t.deps.db.holidayOverride.count()).toBe(1);
    t.deps.publicity.calendar = new WorkdayCalendar();
    await t.deps.holidays.load();
    expect(t.deps.publicity.calendar.isWorkday('2027-01-01')).toBe(false);
    expect(t.deps.publicity.calendar.isWorkday('2027-02-08')).toBe(true);
    expect((await reviewer.get('/admin/holidays?year=2027')).text).not.toContain('尚未录入 2027 年');
  });
});
