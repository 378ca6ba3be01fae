import type { Db } from '../platform/database/client.js';
import { AuditLog } from '../platform/audit.js';
import { addDays, beijingToday, dateColumn } from '../domain/dates.js';
import { ListRepository } from '../features/lists/repository.js';
import { ListService } from '../features/lists/service.js';
import type { NominationInput } from '../features/lists/schemas.js';

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
  opts.log?.('红黑榜演示数据：1 期榜单（黑名单 1 个，公示中的红名单 1 个），事前告知已送达的黑名单推荐 1 个');
  return 1;
}
