import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom, seedUsers, signIn, type TestApp } from '../helpers/app.js';
import { COMPANY_USCC, rawRecord } from '../helpers/records.js';
import { addDays, beijingToday, dateColumn } from '../../src/domain/dates.js';
import { orgCodeCheckChar, usccCheckChar } from '../../src/domain/identifiers.js';

// The change-driven scan (docs/watch-lists.md): a run reads what changed since the last one — publication events,
// subjects' base data, objections, the day, the catalogue — and recomputes only those subjects.

function uscc(n: number): string {
  const org8 = `MA${String(n).padStart(6, '0')}`;
  const body = `91410700${org8}${orgCodeCheckChar(org8)}`;
  return body + usccCheckChar(body);
}
const QUIET = uscc(910001);
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

let t: TestApp;
let seeded: Awaited<ReturnType<typeof seedUsers>>;
let clerk: Awaited<ReturnType<typeof signIn>>;
let reviewer: Awaited<ReturnType<typeof signIn>>;
let penaltyId: number;

beforeAll(async () => {
  t = await createTestApp();
  seeded = await seedUsers(t.deps);
  clerk = await signIn(t.app, 't-clerk');
  reviewer = await signIn(t.app, 't-reviewer');
});
afterAll(async () => t.close());

async function penalty(over: Record<string, string> = {}): Promise<number> {
  const ct = csrfFrom((await clerk.get('/admin/penalties/new')).text);
  const res = await clerk
    .post('/admin/penalties')
    .type('form')
    .send({ ...rawRecord('penalty', over), _csrf: ct });
  expect(res.status, res.text.slice(0, 300)).toBe(303);
  return Number(/\/(\d+)$/.exec(res.headers.location ?? '')?.[1]);
}

const latestNotice = () => t.deps.db.watchNotice.findFirstOrThrow({ orderBy: { id: 'desc' } });

describe('the change-driven watch scan', () => {
  it('recomputes nothing when nothing changed, and only the subject whose record or objection changed', async () => {
    penaltyId = await penalty({ documentNo: '新市监罚〔2026〕901号' });
    await penalty({ uscc: QUIET, subjectName: '新乡市安静有限公司', documentNo: '新市监罚〔2026〕902号' });
    const saved = await t.deps.watch.saveCodes(
      { departmentId: seeded.departmentId },
      '扫描',
      [
        { line: 1, code: COMPANY_USCC },
        { line: 2, code: QUIET },
      ],
      {
        replace: false,
        createdById: null,
      },
    );
    expect(saved.ok).toBe(true);
    // The first scan takes both baselines (whether the scan the save queued ran first or not).
    await t.deps.watch.scan();
    expect(await t.deps.db.watchSnapshot.count()).toBe(2);
    expect(await t.deps.watch.scan()).toEqual({ checked: 0, baselines: 0, changed: 0, notices: 0 });

    // An objection opens: 异议处理中 is on the record, though no publication event was written.
    const { agent, token } = await (async () => {
      const a = request.agent(t.app);
      const page = await a.get(`/publicity/penalties/${penaltyId}/objection`);
      expect(page.status).toBe(200);
      return { agent: a, token: csrfFrom(page.text) };
    })();
    const filed = await agent
      .post(`/publicity/penalties/${penaltyId}/objection`)
      .field('_csrf', token)
      .field({ subjectCode: COMPANY_USCC, applicantName: '李华', phone: '13837300000', email: '', reason: '罚款金额登记错误，处罚决定书写明为一千元' })
      .attach('attachments', PNG, '决定书.png');
    expect(filed.status, filed.text.slice(0, 300)).toBe(303);
    expect(await t.deps.watch.scan()).toMatchObject({ checked: 1, changed: 1, notices: 1 });
    let n = await latestNotice();
    expect(n).toMatchObject({ uscc: COMPANY_USCC, types: ['异议标注'] });
    expect(JSON.stringify(n.changes)).toContain('被标注「异议处理中」');

    // The credit office refuses it: the mark goes, which is a notice too.
    const o = await t.deps.db.objection.findFirstOrThrow({ where: { penaltyId } });
    const rt = csrfFrom((await reviewer.get('/admin/account/password')).text);
    const refused = await reviewer.post(`/admin/objections/${o.id}/decision`).type('form').send({ decision: 'refuse', note: '不属于异议受理范围', _csrf: rt });
    expect(refused.status, refused.text.slice(0, 300)).toBe(303);
    expect(await t.deps.watch.scan()).toMatchObject({ checked: 1, changed: 1 });
    n = await latestNotice();
    expect(n.types).toEqual(['异议标注']);
    expect(JSON.stringify(n.changes)).toContain('标注已撤除');
    expect(await t.deps.watch.scan()).toMatchObject({ checked: 0 });
  });

  it("a change of the subject's base data (no publication event) is found through the row's change time", async () => {
    await t.deps.db.legalPerson.update({ where: { uscc: COMPANY_USCC }, data: { address: '新乡市红旗区新址路 1 号' } });
    expect(await t.deps.watch.scan()).toMatchObject({ checked: 1, changed: 1 });
    const n = await latestNotice();
    expect(n).toMatchObject({ uscc: COMPANY_USCC, types: ['其他变更'] });
    expect(JSON.stringify(n.changes)).toContain('新址路');
  });

  it('a withdrawal (a tombstone event, which carries no subject key) wakes its subject', async () => {
    await t.deps.db.penalty.update({ where: { id: penaltyId }, data: { isPublic: false, withdrawnAt: new Date() } });
    expect(await t.deps.watch.scan()).toMatchObject({ checked: 1, changed: 1 });
    expect((await latestNotice()).types).toEqual(['撤销或撤回']);
  });

  it('when the Beijing day moves, subjects with a publicity period that began or ended in between are rechecked', async () => {
    const quietPenalty = await t.deps.db.penalty.findFirstOrThrow({ where: { legalPerson: { uscc: QUIET } }, select: { id: true } });
    const today = beijingToday();
    // Both subjects' periods began long ago and run on; then the quiet one's ends yesterday.
    await t.deps.db.publicationInterval.updateMany({ data: { publicFrom: dateColumn(addDays(today, -30)), publicUntil: null } });
    await t.deps.db.publicationInterval.updateMany({
      where: { itemKind: 'penalty', itemId: quietPenalty.id },
      data: { publicUntil: dateColumn(addDays(today, -1)) },
    });
    const to = { ...(await t.deps.watchRepo.scanMarks()), day: today };
    // Same day: nothing. The day after the period's last day: that subject, and only it.
    expect(await t.deps.watchRepo.changedCodes({ ...to, day: today }, to, false)).toEqual([]);
    expect(await t.deps.watchRepo.changedCodes({ ...to, day: addDays(today, -1) }, to, false)).toEqual([QUIET]);
    expect(await t.deps.watchRepo.changedCodes({ ...to, day: addDays(today, -3) }, { ...to, day: addDays(today, -2) }, false)).toEqual([]);
  });

  it('a change of the catalogue (共享属性 apply to every view) rechecks every watched code', async () => {
    // An item no record kind uses: the views stay the same, but the scan cannot know that without recomputing them.
    const item = await t.deps.db.catalogueItem.create({
      data: {
        code: 'WATCHTEST',
        name: '测试目录项',
        format: '结构化',
        provider: '新乡市发展和改革委员会',
        subjectTypes: '法人',
        nature: '基础信息',
        sharing: 'public',
        coverage: '全市',
        updateCycle: '实时',
        sortOrder: 999,
      },
    });
    try {
      expect(await t.deps.watch.scan()).toEqual({ checked: 2, baselines: 0, changed: 0, notices: 0 });
      expect(await t.deps.watch.scan()).toMatchObject({ checked: 0 });
    } finally {
      await t.deps.db.catalogueItem.delete({ where: { id: item.id } });
    }
  });
});
