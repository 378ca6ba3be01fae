import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS, PUBLIC_ADMIN_ROUTES, accessKey, ROLES, type Role } from '../../src/platform/access.js';
import { createTestApp, csrfFrom, seedRouteTargets, seedUsers, signIn, type TestApp } from '../helpers/app.js';
import { listRoutes, type AppRoute } from '../helpers/routes.js';
import { storeFiles } from '../../src/platform/attachments.js';
import { ensurePrivateDir, exportDir } from '../../src/platform/uploads.js';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureCatalogue } from '../../src/seed/catalogue.js';

let t: TestApp;
let victimId: number;
const recordIds: Record<string, number> = {};
let entryId = 0;
let attachmentId = 0;
let challengeId = 0;
let authorityId = 0;
/** attachments of other resources than nominations, keyed like recordIds */
const attachmentIds: Record<string, number> = {};
let adminRoutes: AppRoute[];
let userIds: Record<Role, number>;

beforeAll(async () => {
  t = await createTestApp();
  const seeded = await seedUsers(t.deps);
  const targets = await seedRouteTargets(t.deps, seeded);
  victimId = targets.victimId;
  const clerkUser = targets.clerkUser;
  Object.assign(recordIds, targets.records);
  recordIds.imports = (
    await t.deps.db.import.create({
      data: { kind: 'penalty', fileName: 'x.csv', fileBytes: 1, status: 'failed', departmentId: seeded.departmentId, userId: seeded.users.clerk.id },
    })
  ).id;
  const reviewerUser = { ...clerkUser, id: seeded.users.reviewer.id, username: 't-reviewer', role: 'reviewer' as const };
  const nominate = (name: string) =>
    t.deps.lists.nominate(
      {
        listType: 'black',
        subjectCategory: 'legal',
        subjectName: name,
        uscc: '91410700174608534E',
        docType: null,
        docNumber: null,
        basisDocNo: '文号',
        basisAuthority: '单位',
        basisDate: '2026-01-01',
        reason: '事由',
        validUntil: '2030-01-01',
      },
      clerkUser,
      null,
    );
  recordIds.measures = (
    await t.deps.db.measure.create({ data: { listType: 'black', departmentId: seeded.departmentId, legalBasis: '依据', text: '限制参与招投标' } })
  ).id;
  await ensureCatalogue(t.deps.db);
  recordIds.catalogue = (await t.deps.db.catalogueItem.findFirstOrThrow()).id;
  const [n1, n2] = [await nominate('甲'), await nominate('乙')];
  for (const n of [n1, n2]) {
    await t.deps.lists.review(n, 'accept', undefined, reviewerUser, null);
    await t.deps.lists.servePriorNotice(
      n,
      { noticeNo: '新告〔2020〕1号', measures: '限制参与政府采购和招投标', servedOn: '2020-01-06', objectionDays: 7 },
      reviewerUser,
      null,
    );
  }
  const draft = await t.deps.lists.createIssue(2026, 1, reviewerUser, null);
  await t.deps.lists.addEntries(draft, [n1], reviewerUser, null);
  const published = await t.deps.lists.createIssue(2026, 2, reviewerUser, null);
  await t.deps.lists.addEntries(published, [n2], reviewerUser, null);
  await t.deps.lists.publish(published, reviewerUser, null);
  recordIds.nominations = n1;
  const [stored] = await storeFiles(t.deps.uploadDir, [{ originalname: 'a.pdf', buffer: Buffer.from('%PDF-1.4 test'), mime: 'application/pdf' }]);
  attachmentId = (await t.deps.db.nominationAttachment.create({ data: { ...stored!, nominationId: n1 } })).id;
  recordIds['list-issues'] = draft;
  entryId = (await t.deps.db.listEntry.findFirstOrThrow({ where: { issueId: draft } })).id;
  recordIds['list-entries'] = (await t.deps.db.listEntry.findFirstOrThrow({ where: { issueId: published } })).id;
  recordIds.tasks = (await t.deps.db.measureTask.findFirstOrThrow()).id;
  recordIds['api-keys'] = (
    await t.deps.db.apiKey.create({
      data: { departmentId: seeded.departmentId, name: 'k', prefix: 'xxk_test', hash: 'f'.repeat(64), createdById: seeded.users.admin.id },
    })
  ).id;
  recordIds['credit-check'] = (
    await t.deps.db.creditCheckRun.create({
      data: { departmentId: seeded.departmentId, userId: seeded.users.clerk.id, codes: 0, found: 0, invalid: 0, flagged: 0, result: { rows: [], invalid: [] } },
    })
  ).id;
  recordIds.articles = (
    await t.deps.db.article.create({ data: { category: 'news', title: 't', bodyHtml: '<p>t</p>', createdById: seeded.users.admin.id } })
  ).id;
  recordIds.commitments = (
    await t.deps.db.commitment.create({
      data: {
        code: '41070020260101000001',
        promisorName: 'x',
        promisorCategory: 'legal',
        promisorCode: '91410700174608534E',
        commitmentType: '其他',
        matter: 'm',
        content: 'c',
        liability: 'l',
        madeOn: new Date('2026-01-01'),
        disclosure: '可向社会公开',
        departmentId: seeded.departmentId,
        createdById: seeded.users.clerk.id,
      },
    })
  ).id;
  // An accepted objection and a repair request at the department stage, so each role's allowed step is reachable.
  const penaltyId = recordIds.penalties!;
  const [caseFile] = await storeFiles(t.deps.uploadDir, [{ originalname: 'b.pdf', buffer: Buffer.from('%PDF-1.4 case'), mime: 'application/pdf' }]);
  const objection = await t.deps.db.objection.create({
    data: {
      caseNo: 'YY20260101AAAAAA',
      penaltyId,
      departmentId: seeded.departmentId,
      subjectName: 'x',
      subjectCode: '91410700174608534E',
      applicantName: '李华',
      phone: '13837300000',
      reason: '理由理由理由理由理由',
      status: 'accepted',
      acceptBy: new Date('2026-01-05'),
      answerBy: new Date('2026-01-19'),
      officeDecidedAt: new Date(),
      attachments: { create: [caseFile!] },
    },
    include: { attachments: true },
  });
  recordIds.objections = objection.id;
  attachmentIds.objections = objection.attachments[0]!.id;
  const repair = await t.deps.db.repairRequest.create({
    data: {
      caseNo: 'XF20260101AAAAAA',
      penaltyId,
      departmentId: seeded.departmentId,
      subjectName: 'x',
      subjectCode: '91410700174608534E',
      applicantName: '李华',
      phone: '13837300000',
      rectification: '已整改已整改已整改',
      commitmentContent: '承诺',
      minMonths: 3,
      rules: '一般行政处罚',
      eligibleFrom: new Date('2026-01-01'),
      departmentBy: new Date('2026-01-08'),
      attachments: { create: [{ ...caseFile!, storedAs: caseFile!.storedAs }] },
    },
    include: { attachments: true },
  });
  recordIds.repairs = repair.id;
  attachmentIds.repairs = repair.attachments[0]!.id;
  // An archive request waiting for the office (条例 Art. 44), with its evidence.
  const archive = await t.deps.db.archiveRequest.create({
    data: {
      caseNo: 'GD20260101AAAAAA',
      penaltyId,
      departmentId: seeded.departmentId,
      subjectName: 'x',
      subjectCode: '91410700174608534E',
      applicantName: '李华',
      phone: '13837300000',
      reason: '公示期已届满',
      officeBy: new Date('2026-01-06'),
      attachments: { create: [{ ...caseFile!, storedAs: caseFile!.storedAs }] },
    },
    include: { attachments: true },
  });
  recordIds['archive-requests'] = archive.id;
  attachmentIds['archive-requests'] = archive.attachments[0]!.id;
  // A 复议 still open against the penalty (条例 Art. 20), so the clerk's outcome step is reachable.
  challengeId = (await t.deps.db.penaltyChallenge.create({ data: { penaltyId, kind: 'review', filedOn: new Date('2026-01-02') } })).id;
  attachmentIds.articles = await ensureArticleAttachment();
  recordIds.departments = seeded.departmentId;
  // A finished background export; only its owner may see it, so each role's turn makes that role the owner.
  userIds = { clerk: seeded.users.clerk.id, reviewer: seeded.users.reviewer.id, admin: seeded.users.admin.id };
  const exportFolder = exportDir(t.deps.uploadDir);
  ensurePrivateDir(exportFolder);
  writeFileSync(path.join(exportFolder, 'auth-test.csv'), 'a,b\r\n');
  recordIds.exports = (
    await t.deps.db.exportFile.create({
      data: {
        kind: 'penalty',
        format: 'csv',
        since: '2026-01-01',
        status: 'done',
        rows: 1,
        fileName: 'x.csv',
        path: 'auth-test.csv',
        userId: seeded.users.admin.id,
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    })
  ).id;
  // Its own row, so an admin's allowed removal leaves the department's own authority in place.
  authorityId = (await t.deps.db.departmentAuthority.create({ data: { departmentId: seeded.departmentId, name: '授权测试机关', uscc: '11410724MB0000000X' } }))
    .id;
  recordIds.feedback = (
    await t.deps.db.siteFeedback.create({ data: { refNo: 'ZC20261203AUTH22', pageUrl: '/', problemType: 'other', description: '授权测试' } })
  ).id;
  adminRoutes = listRoutes(t.app).filter((r) => r.path === '/admin' || r.path.startsWith('/admin/'));
});
afterAll(async () => t.close());

/** An attachment of the test article (a role's allowed delete removes it; the next role gets it back). */
async function ensureArticleAttachment(): Promise<number> {
  const [stored] = await storeFiles(t.deps.uploadDir, [{ originalname: 'a.pdf', buffer: Buffer.from('%PDF-1.4 test'), mime: 'application/pdf' }]);
  const data = { ...stored!, articleId: recordIds.articles!, createdById: victimId };
  const id = attachmentIds.articles;
  if (id === undefined) return (await t.deps.db.articleAttachment.create({ data })).id;
  await t.deps.db.articleAttachment.upsert({ where: { id }, create: { id, ...data }, update: data });
  return id;
}

/** The clerk department's watch list and one notice of it (a role's allowed delete removes both; the next gets them back). */
async function ensureWatchList(): Promise<void> {
  const id = recordIds['watch-lists'];
  if (id !== undefined && (await t.deps.db.watchList.findUnique({ where: { id } }))) return;
  const list = await t.deps.db.watchList.create({ data: { name: `授权测试名单${Date.now()}`, departmentId: recordIds.departments! } });
  const hash = 'a'.repeat(64);
  await t.deps.db.watchEvidence.upsert({ where: { hash }, create: { hash, content: '{}' }, update: {} });
  const notice = await t.deps.db.watchNotice.create({
    data: { listId: list.id, uscc: '91410700174608534E', types: ['其他变更'], changes: [], evidenceHash: hash },
  });
  recordIds['watch-lists'] = list.id;
  recordIds['watch-notices'] = notice.id;
}

/** Route parameters point at real rows of the clerk's department, so allowed calls get past the lookup. */
function concrete(path: string): string {
  const resource = /^\/admin\/([a-z-]+)\//.exec(path)?.[1] ?? '';
  return path
    .replace(/:id\b/g, String(recordIds[resource] ?? victimId))
    .replace(/:entryId\b/g, String(entryId))
    .replace(/:challengeId\b/g, String(challengeId))
    .replace(/:authorityId\b/g, String(authorityId))
    .replace(/:attachmentId\b/g, String(attachmentIds[resource] ?? attachmentId))
    .replace(/:file\b/g, 'penalty.csv');
}

describe('authorisation: every /admin route × every role and no session, from one access table', () => {
  it('finds the back-office routes in the app’s router', () => {
    expect(adminRoutes.length).toBeGreaterThanOrEqual(Object.keys(ACCESS).length);
  });

  it('every /admin route has an entry in the access table (a new route without one fails here)', () => {
    const missing = adminRoutes.map((r) => accessKey(r.method, r.path)).filter((k) => !ACCESS[k] && !PUBLIC_ADMIN_ROUTES.has(k));
    expect(missing).toEqual([]);
  });

  it('every access-table entry is a real route (no stale grants)', () => {
    const present = new Set(adminRoutes.map((r) => accessKey(r.method, r.path)));
    expect(Object.keys(ACCESS).filter((k) => !present.has(k))).toEqual([]);
  });

  it('without a session every protected route sends the visitor to sign in', async () => {
    for (const r of adminRoutes) {
      const key = accessKey(r.method, r.path);
      if (PUBLIC_ADMIN_ROUTES.has(key)) continue;
      const agent = request.agent(t.app);
      // A POST needs a valid CSRF token to reach the access check at all.
      const token = csrfFrom((await agent.get('/admin/login')).text);
      const res = r.method === 'GET' ? await agent.get(concrete(r.path)) : await agent.post(concrete(r.path)).type('form').send({ _csrf: token });
      expect(res.status, key).toBe(303);
      expect(res.headers.location, key).toMatch(/^\/admin\/login/);
    }
  });

  for (const role of ROLES) {
    it(`role ${role}: allowed routes answer, the rest are 403`, async () => {
      await ensureArticleAttachment();
      await ensureWatchList();
      await t.deps.db.exportFile.update({ where: { id: recordIds.exports! }, data: { userId: userIds[role] } });
      const agent = await signIn(t.app, `t-${role}`);
      const token = csrfFrom((await agent.get('/admin/account/password')).text);
      for (const r of adminRoutes) {
        const key = accessKey(r.method, r.path);
        if (PUBLIC_ADMIN_ROUTES.has(key)) continue;
        const allowed = (ACCESS[key] as readonly Role[]).includes(role);
        const res = r.method === 'GET' ? await agent.get(concrete(r.path)) : await agent.post(concrete(r.path)).type('form').send({ _csrf: token });
        if (allowed) {
          // 409: a business rule refused the action (e.g. publishing an empty issue) — the role got past the access check.
          expect([200, 303, 400, 409], `${role} ${key} → ${res.status}`).toContain(res.status);
          if (res.status === 303) expect(res.headers.location, key).not.toMatch(/^\/admin\/login/);
        } else {
          expect(res.status, `${role} ${key}`).toBe(403);
          expect(res.text).toContain('无权访问');
        }
      }
    });
  }
});

describe('department scope', () => {
  it('a clerk’s dashboard shows only their own department’s activity', async () => {
    const other = await t.deps.db.department.findFirstOrThrow({ where: { name: '新乡市生态环境局' } });
    const outsider = await t.deps.db.user.create({
      data: { username: 'outsider', displayName: '外部门', role: 'clerk', departmentId: other.id, passwordHash: 'x' },
    });
    await t.deps.audit.record({ action: 'user.password', userId: outsider.id, username: 'outsider' });
    const clerk = await signIn(t.app, 't-clerk');
    const mine = await clerk.get('/admin');
    expect(mine.text).toContain('本部门');
    expect(mine.text).not.toContain('outsider');
    const admin = await signIn(t.app, 't-admin');
    expect((await admin.get('/admin')).text).toContain('outsider');
  });
});
