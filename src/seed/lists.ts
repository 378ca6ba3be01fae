import type { Db } from '../platform/database/client.js';
import { AuditLog } from '../platform/audit.js';
import { addDays, beijingToday, dateColumn } from '../domain/dates.js';
import { ListRepository } from '../features/lists/repository.js';
import { ListService } from '../features/lists/service.js';
import type { NominationInput } from '../features/lists/schemas.js';
import { DisclosureRepository } from '../features/disclosure/repository.js';
import { DisclosureService } from '../features/disclosure/service.js';

/**
 * Demo 红黑榜 data showing the list procedures (docs/domain.md "List procedures"), written only into an empty
 * list_issue table and through ListService, so it obeys the same rules as the back office: last quarter's issue with
 * a black-list entry in force (prior notice served and its window passed, responsible persons named) and a red-list
 * entry in its 公示期; and a black-list nomination whose prior notice was served three days ago (window still open).
 */
export async function seedDemoLists(db: Db, opts: { log?: (s: string) => void } = {}): Promise<number> {
  if ((await db.listIssue.count()) > 0) return 0;
  const clerk = await db.user.findUnique({ where: { username: 'clerk' } });
  const reviewer = await db.user.findUnique({ where: { username: 'reviewer' } });
  if (!clerk || !reviewer) return 0;
  const asUser = (u: typeof reviewer): Express.User => ({
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    departmentId: u.departmentId,
    departmentName: null,
  });
  const service = new ListService(new ListRepository(db), new AuditLog(db));
  const today = beijingToday();
  const base = {
    subjectCategory: 'legal',
    docType: null,
    docNumber: null,
    basisAuthority: '新乡市市场监督管理局',
    basisDate: addDays(today, -90),
    validUntil: addDays(today, 3 * 365),
  } as const;
  const nominate = async (input: Omit<NominationInput, keyof typeof base> & Partial<NominationInput>) => {
    const id = await service.nominate({ ...base, ...input }, asUser(clerk), null);
    await service.review(id, 'accept', '材料齐全，同意', asUser(reviewer), null);
    return id;
  };

  const black = await nominate({
    listType: 'black',
    subjectName: '河南豫北建设工程有限公司',
    uscc: '914107006767352181',
    basisDocNo: '新市监认〔演示〕1号',
    reason: '拖欠农民工工资，经责令仍拒不支付，情节严重',
    responsiblePersons: [
      { role: 'legalRepresentative', name: '李振华' },
      { role: 'actualController', name: '李振国' },
    ],
  });
  await service.servePriorNotice(
    black,
    { noticeNo: '新市监告〔演示〕1号', measures: '依法限制参与政府采购、招标投标；限制获得政府资金支持', servedOn: addDays(today, -40), objectionDays: 10 },
    asUser(clerk),
    null,
  );
  const red = await nominate({
    listType: 'red',
    subjectName: '原阳县金穗水稻种植专业合作社',
    uscc: '93410725MA45UJ3P85',
    basisDocNo: '新文明〔演示〕2号',
    basisAuthority: '新乡市精神文明建设办公室',
    reason: '连续三年诚信经营示范，带动周边农户增收',
    responsiblePersons: [],
  });

  // Last quarter of the Beijing calendar, so this quarter stays free for the office to open.
  const month = Number(today.slice(5, 7));
  const [year, quarter] = month <= 3 ? [Number(today.slice(0, 4)) - 1, 4] : [Number(today.slice(0, 4)), Math.ceil(month / 3) - 1];
  const issue = await service.createIssue(year, quarter, asUser(reviewer), null);
  await service.addEntries(issue, [black, red], asUser(reviewer), null);
  await service.publish(issue, asUser(reviewer), null);
  // Published two days ago: the red-list entry is on day 3 of its 7-day 公示期.
  await db.listIssue.update({ where: { id: issue }, data: { publishedAt: new Date(Date.now() - 2 * 86_400_000) } });
  await db.listEntry.updateMany({ where: { issueId: issue, listType: 'red' }, data: { noticeEndsOn: dateColumn(addDays(today, 4)) } });

  const pending = await nominate({
    listType: 'black',
    subjectName: '牧野区李记烩面馆',
    uscc: '92410711MA44HB7D13',
    basisDocNo: '新市监认〔演示〕3号',
    reason: '食品安全严重违法，一年内三次被行政处罚',
    responsiblePersons: [{ role: 'principal', name: '李秀英' }],
  });
  await service.servePriorNotice(
    pending,
    { noticeNo: '新市监告〔演示〕3号', measures: '依法限制从事食品生产经营；列为重点监管对象', servedOn: addDays(today, -3), objectionDays: 10 },
    asUser(clerk),
    null,
  );
  await seedArchived(db, clerk, today);
  opts.log?.(
    '红黑榜演示数据：1 期榜单（黑名单 1 个，公示中的红名单 1 个），事前告知已送达的黑名单推荐 1 个；6 年前的 1 期榜单（已退出并归档的黑名单 1 个）；5 年前违诺的信用承诺 1 个（不再公开）',
  );
  return 1;
}

/**
 * 条例 Art. 19 on the other adverse records: an issue of six years ago whose black-list entry exited four years ago —
 * archived by the same rule as the nightly job, so its issue page keeps only a line for the exit notice — and a
 * commitment broken more than 5 years ago, gone from the public column and profile but kept in the back office.
 * Written directly: no form accepts dates this old.
 */
async function seedArchived(db: Db, clerk: { id: number; departmentId: number | null }, today: string): Promise<void> {
  if (!clerk.departmentId) return;
  const year = Number(today.slice(0, 4)) - 6;
  const serialNo = (await new ListRepository(db).lastSerialNo()) + 1;
  const issue = await db.listIssue.create({
    data: { year, quarter: 1, serialNo, title: `${year}年第1季度 · 总第${serialNo}期`, publishedAt: new Date(`${year}-03-31T02:00:00Z`) },
  });
  const subject = { subjectCategory: 'legal', subjectName: '新乡市旧事商贸有限公司', uscc: '91410700MA9GQX2B23' } as const;
  const basis = {
    basisDocNo: `新市监认〔${year}〕演示4号`,
    basisAuthority: '新乡市市场监督管理局',
    basisDate: dateColumn(`${year}-02-10`),
    reason: '虚假宣传，情节严重',
    validUntil: dateColumn(`${year + 3}-02-09`),
  };
  const nomination = await db.listNomination.create({
    data: { listType: 'black', ...subject, ...basis, status: 'listed', departmentId: clerk.departmentId, createdById: clerk.id },
  });
  const entry = await db.listEntry.create({
    data: {
      issueId: issue.id,
      nominationId: nomination.id,
      listType: 'black',
      ...subject,
      ...basis,
      department: '市市场监管局',
      exitedAt: new Date(`${year + 2}-05-20T02:00:00Z`),
      exitReason: '已完成信用修复',
    },
  });
  await db.listNotice.create({
    data: {
      kind: 'exit',
      issueId: issue.id,
      entryId: entry.id,
      text: `${subject.subjectName}退出黑名单。原因：已完成信用修复`,
      publishedAt: new Date(`${year + 2}-05-20T02:00:00Z`),
    },
  });
  await new DisclosureService(new DisclosureRepository(db), new AuditLog(db)).archiveListEntries(today);

  const breachedOn = addDays(today, -(5 * 365 + 30));
  await db.commitment.create({
    data: {
      code: `410700${breachedOn.replace(/-/g, '')}900001`,
      promisorName: subject.subjectName,
      promisorCategory: 'legal',
      promisorCode: subject.uscc,
      commitmentType: '容缺受理型',
      matter: '食品经营许可容缺受理（演示：违诺已满 5 年）',
      content: '30 日内补齐材料',
      liability: '撤销许可并记入信用记录',
      madeOn: dateColumn(addDays(breachedOn, -40)),
      fulfilment: '全部未履行',
      unfulfilledContent: '逾期未补齐材料',
      liabilityPursued: '已撤销许可',
      breachedOn: dateColumn(breachedOn),
      disclosure: '可向社会公开',
      departmentId: clerk.departmentId,
      createdById: clerk.id,
    },
  });
}
