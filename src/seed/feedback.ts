import type { Db } from '../platform/database/client.js';
import { addDays, beijingToday, compactDay } from '../domain/dates.js';

/**
 * Demo 「我为政府网站找错」 reports, written only into an empty table: one waiting, one being handled, one answered
 * (its reference number can be looked up on /feedback/status). Fixed tails keep the numbers deterministic per day.
 */
export async function seedDemoFeedback(db: Db, opts: { log?: (s: string) => void } = {}): Promise<number> {
  if ((await db.siteFeedback.count()) > 0) return 0;
  const reviewer = await db.user.findUnique({ where: { username: 'reviewer' }, select: { id: true } });
  const today = beijingToday();
  const at = (daysAgo: number, time: string) => new Date(`${addDays(today, -daysAgo)}T${time}+08:00`);
  const ref = (daysAgo: number, tail: string) => `ZC${compactDay(addDays(today, -daysAgo))}${tail}`;
  const items = [
    {
      refNo: ref(12, 'DEMA2B'),
      pageUrl: '/policies?category=notice',
      problemType: 'outdated' as const,
      description: '通知公告栏目中“关于开展信用承诺工作的通知”附件下载后是旧版本，请更新。',
      contact: '0373-5551234',
      status: 'answered' as const,
      reply: '感谢您的反馈。附件已替换为 2026 年修订版，请重新下载。',
      repliedAt: at(10, '15:20:00'),
      repliedById: reviewer?.id ?? null,
      createdAt: at(12, '09:40:00'),
    },
    {
      refNo: ref(3, 'DEMA3C'),
      pageUrl: '/counties',
      problemType: 'wrongContent' as const,
      description: '县市区页面中平原示范区的全称与官方名称不一致，请核实。',
      contact: null,
      status: 'processing' as const,
      reply: '已转相关部门核实，核实后将及时更正。',
      repliedAt: at(2, '11:05:00'),
      repliedById: reviewer?.id ?? null,
      createdAt: at(3, '16:30:00'),
    },
    {
      refNo: ref(0, 'DEMA4D'),
      pageUrl: '/publicity/penalties',
      problemType: 'accessibility' as const,
      description: '使用读屏软件时，行政处罚列表的筛选按钮没有读出名称。',
      contact: 'feedback-demo@example.com',
      status: 'open' as const,
      reply: null,
      repliedAt: null,
      repliedById: null,
      createdAt: new Date(Math.min(Date.now(), at(0, '08:15:00').getTime())),
    },
  ];
  await db.siteFeedback.createMany({ data: items });
  opts.log?.(`网站找错演示反馈 ${items.length} 条（答复可凭 ${items[0]!.refNo} 查询）`);
  return items.length;
}
