import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom, seedUsers, sessionUser, signIn, type TestApp } from '../helpers/app.js';
import { COMPANY_USCC, rawRecord } from '../helpers/records.js';
import { recordSchema } from '../../src/domain/publicity/schemas.js';
import { beijingToday, isoDay } from '../../src/domain/dates.js';
import { revocationDue } from '../../src/domain/objection-deadlines.js';

/**
 * 条例 Art. 42: a revoked decision leaves every public surface at once, and the 1-working-day deadline from the
 * day the update reached the platform is tracked and reported. Dates of the deadline are pinned (the Spring
 * Festival of 2026: Saturday 02-14 was a 调休 working day, 02-15 … 02-23 were off).
 */

let t: TestApp;
let seeded: Awaited<ReturnType<typeof seedUsers>>;
let clerk: Awaited<ReturnType<typeof signIn>>;
let ct: string;

beforeAll(async () => {
  t = await createTestApp();
  seeded = await seedUsers(t.deps);
  clerk = await signIn(t.app, 't-clerk');
  ct = csrfFrom((await clerk.get('/admin/penalties/new')).text);
});
afterAll(async () => t.close());

async function penalty(over: Record<string, string> = {}): Promise<{ id: number; documentNo: string }> {
  const saved = await t.deps.publicity.saveOne('penalty', recordSchema('penalty').parse(rawRecord('penalty', over)), sessionUser(seeded), null);
  if (!saved.ok) throw new Error('could not create the penalty');
  const rec = await t.deps.db.penalty.findUniqueOrThrow({ where: { id: saved.id } });
  return { id: saved.id, documentNo: rec.documentNo };
}

describe('条例 Art. 42: the 1-working-day deadline on the official calendar', () => {
  it('counts from the day the update reached the platform, 调休 Saturdays included and the holiday skipped', () => {
    const cal = t.deps.publicity.calendar;
    expect(revocationDue('2026-02-13', cal)).toBe('2026-02-14'); // Friday → the 调休 Saturday
    expect(revocationDue('2026-02-14', cal)).toBe('2026-02-24'); // the 调休 Saturday → the first day after the holiday
    expect(revocationDue('2026-02-21', cal)).toBe('2026-02-24'); // learned during the holiday
    expect(revocationDue('2026-02-27', cal)).toBe('2026-02-28'); // Friday → the second 调休 Saturday
  });
});

describe('登记撤销', () => {
  it('takes the record off every public surface at once: 410 detail, lists, profile, search, report, 信用核查', async () => {
    // 严重 (the department's reasoned tier), so the 信用核查 shows it until the revocation.
    const { id, documentNo } = await penalty({
      content: '罚款人民币 12 万元',
      fineAmount: '12',
      penaltyCategories: '罚款',
      tier: '严重',
      tierReason: '情节严重',
    });
    const surfaces = async () => {
      const report = await t.deps.profiles.byUscc(COMPANY_USCC, { full: true });
      const check = await t.deps.creditCheck.check([COMPANY_USCC]);
      return {
        detail: (await request(t.app).get(`/publicity/penalties/${id}`)).status,
        list: (await request(t.app).get('/publicity/penalties')).text.includes(documentNo),
        profile: (await request(t.app).get(`/subjects/${COMPANY_USCC}`)).text.includes(documentNo),
        report: report!.sections.some((sec) => sec.records.some((r) => r.documentNo === documentNo)),
        check: check.rows[0]!.seriousPenalties.some((p) => p.documentNo === documentNo),
      };
    };
    expect(await surfaces()).toEqual({ detail: 200, list: true, profile: true, report: true, check: true });

    const page = await clerk.get(`/admin/penalties/${id}`);
    expect(page.text).toContain('登记撤销');
    // Bad input: a Chinese message on the form, never a 500.
    const bad = await clerk
      .post(`/admin/penalties/${id}/revoke`)
      .type('form')
      .send({ revokedOn: '2026-13-40', revocationDocNo: '', knownOn: '2099-01-01', _csrf: ct });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('不是有效日期');
    expect(bad.text).toContain('请填写撤销决定文书号');
    expect(bad.text).toContain('请填写撤销原因');
    const future = await clerk
      .post(`/admin/penalties/${id}/revoke`)
      .type('form')
      .send({ revokedOn: '2026-01-05', revocationDocNo: '新政复决〔2026〕3号', revocationReason: '复议撤销', knownOn: '2099-01-01', _csrf: ct });
    expect(future.status).toBe(400);
    expect(future.text).toContain('不能晚于今天');

    const today = beijingToday();
    const res = await clerk
      .post(`/admin/penalties/${id}/revoke`)
      .type('form')
      .send({ revokedOn: today, revocationDocNo: '新政复决〔2026〕3号', revocationReason: '行政复议决定撤销原处罚决定', knownOn: today, _csrf: ct });
    expect(res.status).toBe(303);
    const rec = await t.deps.db.penalty.findUniqueOrThrow({ where: { id } });
    expect(rec).toMatchObject({ isPublic: false, revocationDocNo: '新政复决〔2026〕3号' });
    expect(isoDay(rec.revocationDueBy)).toBe(revocationDue(today, t.deps.publicity.calendar));

    const detail = await request(t.app).get(`/publicity/penalties/${id}`);
    expect(detail.status).toBe(410);
    expect(detail.text).toContain('已被依法撤销');
    expect(await surfaces()).toEqual({ detail: 410, list: false, profile: false, report: false, check: false });
    expect((await request(t.app).get(`/search?q=${encodeURIComponent('华兴食品')}`)).text).not.toContain(documentNo);
    // A second revocation of the same record is refused; the audit log has the first.
    const again = await clerk
      .post(`/admin/penalties/${id}/revoke`)
      .type('form')
      .send({ revokedOn: today, revocationDocNo: 'x', revocationReason: 'x', knownOn: today, _csrf: ct });
    expect(again.status).toBe(409);
    const audit = await t.deps.db.auditLog.findMany({ where: { action: 'penalty.revoke', targetId: String(id) } });
    expect(audit).toHaveLength(1);

    // The report: withdrawn the day it was recorded, so on time.
    const reviewer = await signIn(t.app, 't-reviewer');
    const report = await reviewer.get('/admin/revocations');
    expect(report.status).toBe(200);
    expect(report.text).toMatch(new RegExp(`${documentNo.replace(/[〔〕]/g, '.')}[\\s\\S]*?按时`));
  });

  it('an update that reached the platform during the Spring Festival and was recorded much later is reported late', async () => {
    const { id, documentNo } = await penalty();
    const due = await t.deps.publicity.revoke(
      'penalty',
      id,
      { revokedOn: '2026-02-12', docNo: '新政复决〔2026〕1号', reason: '复议撤销', knownOn: '2026-02-14' },
      sessionUser(seeded),
      null,
    );
    expect(due).toEqual({ dueBy: '2026-02-24' });
    const reviewer = await signIn(t.app, 't-reviewer');
    const report = await reviewer.get('/admin/revocations');
    expect(report.text).toMatch(new RegExp(`${documentNo.replace(/[〔〕]/g, '.')}[\\s\\S]*?2026-02-24[\\s\\S]*?超期 \\d+ 个工作日`));
    // Another department's clerk sees its own revocations only.
    const { passwordHash } = await t.deps.db.user.findUniqueOrThrow({ where: { id: seeded.users.clerk.id } });
    const eco = await t.deps.db.user.create({
      data: { username: 'eco-rev', displayName: '环境局', role: 'clerk', departmentId: seeded.otherDepartmentId, passwordHash },
    });
    const other = await signIn(t.app, eco.username);
    expect((await other.get('/admin/revocations')).text).not.toContain(documentNo);
  });
});
