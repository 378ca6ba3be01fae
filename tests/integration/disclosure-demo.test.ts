import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/seed/subjects.js';
import { seedDemoRecords } from '../../src/seed/records.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

// The demo data a newcomer sees for 条例 Art. 19/20/40/44 (src/seed/disclosure.ts).
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.deps.db, { legalPersons: 100, naturalPersons: 20 });
  await seedDemoRecords(t.deps.db, t.deps.pool, { permits: 20, penalties: 200 });
});
afterAll(async () => t.close());

describe('demo data of archiving, the 失信 state and the access log', () => {
  it('has an archived penalty, a pending 档案化申请 and a penalty in every 失信 state', async () => {
    expect(await t.deps.db.penalty.count({ where: { archiveReason: 'five_years' } })).toBe(1);
    expect(await t.deps.db.archiveRequest.count({ where: { status: 'pendingOffice' } })).toBe(1);
    const states = new Set<string>();
    const ids = (await t.deps.db.penalty.findMany({ where: { archivedAt: null }, select: { id: true } })).map((p) => p.id);
    for (const id of ids) states.add((await t.deps.disclosure.view(id))!.stateLabel);
    expect([...states].sort()).toEqual(['已提起诉讼', '已撤销或变更', '已生效', '已申请复议', '已维持', '期限内'].sort());
  });

  it('has a year of uses for the first demo company, and a second seeding changes nothing', async () => {
    const lp = await t.deps.db.legalPerson.findUniqueOrThrow({ where: { uscc: '91410700174608534E' } });
    const usage = await t.deps.accessLog.usage(lp.id);
    expect(usage.total).toBeGreaterThan(0);
    expect(usage.departments.length).toBeGreaterThan(0);
    await seedDemoRecords(t.deps.db, t.deps.pool, { permits: 20, penalties: 200 });
    expect(await t.deps.db.penaltyChallenge.count()).toBe(4);
  });
});
