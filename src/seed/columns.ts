import type pg from 'pg';
import type { Db } from '../platform/database/client.js';
import { AuditLog } from '../platform/audit.js';
import { addDays, beijingToday, dateColumn } from '../domain/dates.js';
import { storeFiles } from '../platform/attachments.js';
import { ArticleRepository } from '../features/articles/repository.js';
import { sanitizeArticle } from '../features/articles/sanitize.js';
import { cjkDocument } from '../features/reports/pdf.js';
import { commitmentSchema } from '../features/commitments/schemas.js';
import { CATEGORY_LABELS } from '../domain/publicity/fields.js';
import { CommitmentService } from '../features/commitments/service.js';
import { CommitmentRepository } from '../features/commitments/repository.js';
import { CommitmentWriter } from '../features/commitments/writer.js';
import { MeasureRepository } from '../features/measures/repository.js';
import { ListRepository } from '../features/lists/repository.js';
import { ListService } from '../features/lists/service.js';
import type { NominationInput } from '../features/lists/schemas.js';
import type { ListType } from '../generated/prisma/enums.js';
import { DEMO_NATURAL_PERSONS, DEMO_SUBJECTS } from './demo-subjects.js';

/*
 * Demo content for the public columns and back-office queues that the other seeds leave empty (issue #15):
 * 政策法规 / 信用动态 / 通知公告 articles with PDF attachments, 信用承诺 of every kind, the 联合奖惩 measure catalogue
 * with its tasks and departments' feedback, and an earlier published 红黑榜 issue with an exited black-list entry.
 * Each part writes only into its empty table (a second run changes nothing) and goes through the same services,
 * repositories and writers as the back office, so the rules of docs/domain.md hold for the demo too. Dates are
 * relative to the Beijing day of seeding, so the demo looks current on any day.
 */

export interface ColumnsSummary {
  articles: number;
  commitments: number;
  measures: number;
  listEntries: number;
}

type SeedUser = Express.User;

export async function seedDemoColumns(db: Db, pool: pg.Pool, opts: { uploadDir: string; log?: (s: string) => void; today?: string }): Promise<ColumnsSummary> {
  const today = opts.today ?? beijingToday();
  const summary: ColumnsSummary = { articles: 0, commitments: 0, measures: 0, listEntries: 0 };
  const users = await demoUsers(db);
  if (!users) return summary;
  summary.articles = await seedArticles(db, opts.uploadDir, users.reviewer, today);
  summary.commitments = await seedCommitments(db, pool, users, today);
  const lists = await seedMeasuresAndIssue(db, users, today);
  summary.measures = lists.measures;
  summary.listEntries = lists.entries;
  opts.log?.(
    `栏目演示数据：文章 ${summary.articles} 篇，信用承诺 ${summary.commitments} 条，联合奖惩措施 ${summary.measures} 项，往期榜单条目 ${summary.listEntries} 个`,
  );
  return summary;
}

async function demoUsers(db: Db) {
  const found = await db.user.findMany({ where: { username: { in: ['reviewer', 'clerk', 'clerk2'] } }, include: { department: { select: { name: true } } } });
  const as = (username: string): SeedUser | null => {
    const u = found.find((x) => x.username === username);
    return u
      ? { id: u.id, username: u.username, displayName: u.displayName, role: u.role, departmentId: u.departmentId, departmentName: u.department?.name ?? null }
      : null;
  };
  const reviewer = as('reviewer');
  const clerk = as('clerk');
  const clerk2 = as('clerk2');
  return reviewer && clerk && clerk2 ? { reviewer, clerk, clerk2 } : null;
}

async function departmentId(db: Db, name: string): Promise<number> {
  const d = await db.department.findFirst({ where: { name }, select: { id: true } });
  if (!d) throw new Error(`演示数据缺少部门：${name}`);
  return d.id;
}

// ---------------------------------------------------------------------------------------------
// Articles
// ---------------------------------------------------------------------------------------------

interface DemoArticle {
  category: 'policy' | 'news' | 'notice';
  title: string;
  source: string;
  daysAgo: number;
  body: string;
  /** PDF attachments: file name and the lines printed in it. */
  files?: { name: string; lines: string[] }[];
}

const ARTICLES: readonly DemoArticle[] = [
  {
    category: 'policy',
    title: '河南省社会信用条例',
    source: '河南省人民代表大会常务委员会',
    daysAgo: 400,
    body:
      '<p>《河南省社会信用条例》已由河南省第十三届人民代表大会常务委员会审议通过，自2020年5月1日起施行。</p>' +
      '<h3>主要内容</h3><ul><li>社会信用信息的归集、公开与共享</li><li>守信激励与失信惩戒</li><li>信用主体权益保护：异议、信用修复</li></ul>' +
      '<p>全文见附件。</p>',
    files: [
      {
        name: '河南省社会信用条例（摘要）.pdf',
        lines: ['河南省社会信用条例（摘要）', '第十九条 失信信息的公开期限', '第二十八条 红黑名单的认定与公示', '第四十一条 异议处理'],
      },
    ],
  },
  {
    category: 'policy',
    title: '新乡市社会信用体系建设“十四五”规划',
    source: '新乡市人民政府办公室',
    daysAgo: 300,
    body:
      '<p>为加快推进全市社会信用体系建设，市政府办公室印发本规划，明确政务诚信、商务诚信、社会诚信和司法公信四大领域的重点任务。</p>' +
      '<p>到规划期末，全市信用信息归集覆盖率达到<strong>100%</strong>，“双公示”七天上报率保持在<strong>98%</strong>以上。</p>',
    files: [{ name: '新乡市社会信用体系建设规划.pdf', lines: ['新乡市社会信用体系建设“十四五”规划', '一、总体要求', '二、重点任务', '三、保障措施'] }],
  },
  {
    category: 'policy',
    title: '关于贯彻落实《信用修复管理办法》做好行政处罚信息信用修复工作的通知',
    source: '新乡市发展和改革委员会',
    daysAgo: 180,
    body:
      '<p>国家发展改革委《信用修复管理办法》自2026年4月1日起施行。行政处罚信息的信用修复，按失信严重程度确定最短公示期限：</p>' +
      '<ol><li>轻微失信，履行法定义务后即可申请；</li><li>一般失信，最短公示期三个月；</li><li>严重失信，最短公示期一年。</li></ol>' +
      '<p>依据《河南省社会信用条例》第四十三条，符合条件的信用修复自决定之日起一个工作日内生效。</p>',
  },
  {
    category: 'policy',
    title: '关于推行信用承诺制的实施意见',
    source: '新乡市发展和改革委员会',
    daysAgo: 95,
    body:
      '<p>在行政审批、证明事项、信用修复等领域全面推行信用承诺制，承诺书统一通过“信用新乡”公示，违诺行为记入信用记录。</p>' +
      '<table><thead><tr><th scope="col">承诺类型</th><th scope="col">适用场景</th></tr></thead><tbody>' +
      '<tr><td>审批替代型</td><td>以承诺代替部分审批材料</td></tr><tr><td>证明事项型</td><td>以承诺代替证明材料</td></tr>' +
      '<tr><td>信用修复型</td><td>申请信用修复时作出</td></tr></tbody></table>',
    files: [{ name: '信用承诺书（通用模板）.pdf', lines: ['信用承诺书（通用模板）', '承诺人：', '统一社会信用代码：', '承诺内容：', '违诺责任：'] }],
  },
  {
    category: 'news',
    title: '新乡市召开社会信用体系建设工作推进会',
    source: '新乡市发展和改革委员会',
    daysAgo: 120,
    body:
      '<p>近日，新乡市社会信用体系建设领导小组召开工作推进会，通报各县（市、区）和市直部门“双公示”报送及时率。</p>' +
      '<p>会议要求各部门在作出行政决定之日起七个工作日内完成上报，确保数据准确、及时、完整。</p>',
  },
  {
    category: 'news',
    title: '长垣市推进“信用+起重装备”行业监管',
    source: '长垣市发展和改革委员会',
    daysAgo: 75,
    body:
      '<p>长垣市在起重装备产业集群推行信用分级分类监管，对信用良好的企业减少抽查频次，对失信企业提高抽查比例。</p>' +
      '<blockquote>“守信者一路绿灯，失信者处处受限。”</blockquote>',
  },
  {
    category: 'news',
    title: '原阳县开展诚信经营示范农业合作社评选',
    source: '原阳县发展和改革委员会',
    daysAgo: 40,
    body: '<p>原阳县在全县农民专业合作社中开展诚信经营示范评选，获评合作社将推荐列入市级红名单，在涉农贷款、项目申报中享受便利。</p>',
  },
  {
    category: 'news',
    title: '红旗区开展“信用进社区”宣传周活动',
    source: '新乡市红旗区人民政府',
    daysAgo: 12,
    body: '<p>宣传周期间，红旗区在各街道设立咨询台，现场演示“信用新乡”网站的信用查询、异议申请和信用修复功能。</p>',
  },
  {
    category: 'notice',
    title: '关于做好年度信用承诺履约核查工作的通知',
    source: '新乡市社会信用体系建设领导小组办公室',
    daysAgo: 60,
    body: '<p>各县（市、区）信用办、市直各部门：</p><p>请于本月底前完成本部门受理的信用承诺履约核查，对部分履行、全部未履行的承诺录入未履行内容和违诺责任追究情况。</p>',
    files: [{ name: '承诺履约核查报送表.pdf', lines: ['承诺履约核查报送表', '承诺编码 | 承诺人 | 履行状态 | 未履行内容 | 违诺责任追究'] }],
  },
  {
    category: 'notice',
    title: '关于开展红黑名单季度认定工作的通知',
    source: '新乡市社会信用体系建设领导小组办公室',
    daysAgo: 100,
    body:
      '<p>请各部门按季度报送拟列入红名单、黑名单的信用主体。拟列入黑名单的，应事先送达事前告知书，异议期届满后方可报送。</p>' +
      '<p>红名单公示期为七日，公示期内无异议或异议不成立的，确认列入。</p>',
  },
  {
    category: 'notice',
    title: '“信用新乡”网站系统维护公告',
    source: '新乡市数据局',
    daysAgo: 5,
    body: '<p>因系统升级，本网站将于本周六 22:00 至次日 06:00 暂停信用查询服务，给您带来不便，敬请谅解。</p>',
  },
];

/** A small valid PDF with the given Chinese lines, made by the same pdfkit machinery as the reports. */
async function demoPdf(lines: string[]): Promise<Buffer> {
  const { doc, done, text } = cjkDocument({ margin: 56, info: { Title: lines[0] ?? '' } });
  doc.fontSize(18);
  text(lines[0] ?? '', { align: 'center' });
  doc.moveDown().fontSize(12);
  for (const line of lines.slice(1)) text(line);
  doc.moveDown();
  text('（演示文件）');
  doc.end();
  return done;
}

async function seedArticles(db: Db, uploadDir: string, office: SeedUser, today: string): Promise<number> {
  if ((await db.article.count()) > 0) return 0;
  const repo = new ArticleRepository(db);
  const audit = new AuditLog(db);
  for (const a of ARTICLES) {
    const id = await repo.create({ category: a.category, title: a.title, source: a.source, bodyHtml: sanitizeArticle(a.body) }, office.id, true);
    // Published on its own past day (10:00 Beijing time), so the columns read as a history.
    await db.article.update({ where: { id }, data: { publishedAt: new Date(`${addDays(today, -a.daysAgo)}T10:00:00+08:00`) } });
    await audit.record({ action: 'article.create', userId: office.id, username: office.username, ip: null, targetType: 'article', targetId: id });
    if (a.files?.length) {
      const files = await Promise.all(
        // storeFiles takes names as multer hands them over (UTF-8 bytes read as latin1).
        a.files.map(async (f) => ({ originalname: Buffer.from(f.name, 'utf8').toString('latin1'), buffer: await demoPdf(f.lines), mime: 'application/pdf' })),
      );
      await repo.addAttachments(id, await storeFiles(uploadDir, files), office.id);
    }
  }
  return ARTICLES.length;
}

// ---------------------------------------------------------------------------------------------
// Commitments
// ---------------------------------------------------------------------------------------------

interface DemoCommitment {
  department: string;
  type: string;
  matter: string;
  content: string;
  daysAgo: number;
  /** days after madeOn; null for no fixed term */
  validDays: number | null;
  disclosure?: string;
  fulfilment?: '全部履行' | '部分履行' | '全部未履行';
  unfulfilled?: string;
  pursued?: string;
  /** made by a natural person (a demo one), not an organisation */
  person?: boolean;
}

const LIABILITY = '如违反承诺，自愿接受相关部门依法依规作出的处理，承担相应法律责任，违诺信息记入信用记录并依法公开。';

const COMMITMENTS: readonly DemoCommitment[] = [
  {
    department: '新乡市市场监督管理局',
    type: '证明事项型',
    matter: '食品经营许可证延续，以承诺替代无违法记录证明',
    content: '本单位近三年在食品经营活动中无重大违法记录，所提交材料真实有效。',
    daysAgo: 300,
    validDays: 365,
    fulfilment: '全部履行',
  },
  {
    department: '新乡市市场监督管理局',
    type: '容缺受理型',
    matter: '个体工商户设立登记，经营场所证明容缺受理',
    content: '承诺在三十日内补齐经营场所使用证明。',
    daysAgo: 250,
    validDays: 30,
    fulfilment: '全部履行',
  },
  {
    department: '新乡市行政审批和政务信息管理局',
    type: '审批替代型',
    matter: '建设项目环境影响登记表备案',
    content: '承诺项目建设严格落实环评要求，按期完成环保设施竣工验收。',
    daysAgo: 220,
    validDays: 180,
    fulfilment: '部分履行',
    unfulfilled: '环保设施竣工验收逾期四十五日完成。',
    pursued: '责令限期整改，记入信用记录，列为重点监管对象一年。',
  },
  {
    department: '新乡市住房和城乡建设局',
    type: '行业自律型',
    matter: '建筑施工企业诚信经营承诺',
    content: '按时足额支付农民工工资，不拖欠工程款，不转包违法分包。',
    daysAgo: 210,
    validDays: 365,
  },
  {
    department: '新乡市人力资源和社会保障局',
    type: '主动型',
    matter: '保障农民工工资支付承诺',
    content: '设立农民工工资专用账户，按月足额发放工资。',
    daysAgo: 190,
    validDays: 120,
    fulfilment: '全部未履行',
    unfulfilled: '未设立农民工工资专用账户，拖欠两个月工资。',
    pursued: '依法责令限期支付，作出行政处罚，推荐列入拖欠农民工工资失信联合惩戒对象名单。',
  },
  {
    department: '新乡市生态环境局',
    type: '信用修复型',
    matter: '环境违法行政处罚信用修复',
    content: '已缴清罚款并完成整改，承诺今后严格遵守环境保护法律法规。',
    daysAgo: 170,
    validDays: 365,
  },
  {
    department: '新乡市生态环境局',
    type: '主动型',
    matter: '重污染天气应急减排承诺',
    content: '重污染天气预警期间严格执行停限产措施。',
    daysAgo: 150,
    validDays: 90,
    fulfilment: '全部履行',
  },
  {
    department: '国家税务总局新乡市税务局',
    type: '主动型',
    matter: '依法诚信纳税承诺',
    content: '按期如实申报纳税，不虚开发票，不偷逃税款。',
    daysAgo: 140,
    validDays: 365,
  },
  {
    department: '新乡市交通运输局',
    type: '审批替代型',
    matter: '道路货物运输经营许可',
    content: '承诺车辆技术条件符合国家标准，驾驶员均具备从业资格。',
    daysAgo: 130,
    validDays: 90,
    fulfilment: '全部履行',
  },
  {
    department: '新乡市卫生健康委员会',
    type: '证明事项型',
    matter: '医疗机构执业登记，以承诺替代消防验收证明',
    content: '执业场所已通过消防验收，所述情况属实。',
    daysAgo: 120,
    validDays: null,
    disclosure: '特定范围内公开',
  },
  {
    department: '新乡市商务局',
    type: '行业自律型',
    matter: '成品油零售诚信经营承诺',
    content: '明码标价，计量准确，不销售不合格油品。',
    daysAgo: 110,
    validDays: 365,
  },
  {
    department: '新乡市农业农村局',
    type: '行业自律型',
    matter: '农资经营诚信承诺',
    content: '不经营假劣种子、农药、化肥，建立进销货台账。',
    daysAgo: 100,
    validDays: 365,
  },
  {
    department: '新乡市文化广电体育和旅游局',
    type: '容缺受理型',
    matter: '旅行社设立许可，质量保证金凭证容缺受理',
    content: '承诺十五日内补交旅游服务质量保证金存款凭证。',
    daysAgo: 90,
    validDays: 15,
    fulfilment: '全部履行',
  },
  {
    department: '新乡市应急管理局',
    type: '主动型',
    matter: '安全生产主体责任承诺',
    content: '落实全员安全生产责任制，定期开展隐患排查治理。',
    daysAgo: 80,
    validDays: 365,
  },
  {
    department: '新乡市自然资源和规划局',
    type: '审批替代型',
    matter: '建设工程规划许可',
    content: '承诺按照批准的规划条件建设，不擅自变更。',
    daysAgo: 70,
    validDays: 365,
  },
  {
    department: '新乡市市场监督管理局',
    type: '信用修复型',
    matter: '经营异常名录移出信用修复',
    content: '已补报年度报告并公示，承诺今后按时报送年报。',
    daysAgo: 60,
    validDays: 365,
  },
  {
    department: '新乡市教育局',
    type: '其他',
    matter: '校外培训机构预收费监管承诺',
    content: '预收费全部进入监管账户，不超过三个月或六十课时收费。',
    daysAgo: 45,
    validDays: 180,
  },
  {
    department: '新乡市医疗保障局',
    type: '行业自律型',
    matter: '定点医药机构医保基金使用承诺',
    content: '不虚构医药服务项目，不串换药品，规范使用医保基金。',
    daysAgo: 30,
    validDays: 365,
  },
  {
    department: '新乡市人力资源和社会保障局',
    type: '证明事项型',
    matter: '职业技能等级认定，以承诺替代工作年限证明',
    content: '本人从事本职业工作年限属实。',
    daysAgo: 20,
    validDays: null,
    disclosure: '不可公开',
    person: true,
  },
  {
    department: '新乡市民政局',
    type: '主动型',
    matter: '社会组织诚信自律承诺',
    content: '依照章程开展活动，如实公开年度工作报告和财务情况。',
    daysAgo: 10,
    validDays: 365,
  },
];

async function seedCommitments(db: Db, pool: pg.Pool, users: { reviewer: SeedUser; clerk: SeedUser; clerk2: SeedUser }, today: string): Promise<number> {
  // Not an empty-table check: the 信用修复 demo (src/seed/demo-repair.ts) already wrote its repair commitment.
  if ((await db.commitment.count({ where: { importId: null, matter: { in: COMMITMENTS.map((c) => c.matter) } } })) > 0) return 0;
  // The hand-picked demo subjects (but not the revoked one, and not the one on the black list), then the generated
  // library in code order, and the two demo natural persons for the commitments only a person makes.
  const named = DEMO_SUBJECTS.filter((s) => s.status === 'active' && s.uscc !== '914107006767352181');
  const generated = await db.legalPerson.findMany({
    where: { status: 'active', subjectType: 'organisation', uscc: { notIn: DEMO_SUBJECTS.map((s) => s.uscc) } },
    orderBy: { uscc: 'asc' },
    take: COMMITMENTS.length,
    select: { uscc: true, name: true },
  });
  const promisors = [
    ...named.map((s) => ({ name: s.name, code: s.uscc, category: s.subjectType === 'soleTrader' ? 'soleTrader' : 'legal' })),
    ...generated.map((s) => ({ name: s.name, code: s.uscc, category: 'legal' })),
  ];
  const service = new CommitmentService(new CommitmentRepository(db), new CommitmentWriter(pool));
  const audit = new AuditLog(db);
  const byDepartment = new Map<string, SeedUser>([
    ['新乡市市场监督管理局', users.clerk],
    ['新乡市生态环境局', users.clerk2],
  ]);
  const schema = commitmentSchema(today);
  let written = 0;
  for (const [i, c] of COMMITMENTS.entries()) {
    const person = c.person ? DEMO_NATURAL_PERSONS[0] : null;
    const p = person ? { name: person.name, code: person.docNumber, category: 'natural' } : promisors[i % promisors.length]!;
    const madeOn = addDays(today, -c.daysAgo);
    const input = schema.parse({
      promisorName: p.name,
      // The form posts the category's Chinese label.
      promisorCategory: CATEGORY_LABELS[p.category as 'legal' | 'natural' | 'soleTrader'],
      promisorCode: p.code,
      commitmentType: c.type,
      matter: c.matter,
      content: c.content,
      liability: LIABILITY,
      madeOn,
      validUntil: c.validDays === null ? '' : addDays(madeOn, c.validDays),
      disclosure: c.disclosure ?? '可向社会公开',
      fulfilment: c.fulfilment ?? '',
      unfulfilledContent: c.unfulfilled ?? '',
      liabilityPursued: c.pursued ?? '',
    });
    const user = byDepartment.get(c.department) ?? users.reviewer;
    const created = await service.createOne(input, await departmentId(db, c.department), user.id);
    await audit.record({
      action: 'commitment.create',
      userId: user.id,
      username: user.username,
      ip: null,
      targetType: 'commitment',
      targetId: created.id,
      detail: { code: created.code },
    });
    written++;
  }
  return written;
}

// ---------------------------------------------------------------------------------------------
// Joint measures and an earlier list issue
// ---------------------------------------------------------------------------------------------

interface DemoMeasure {
  listType: ListType;
  department: string;
  legalBasis: string;
  text: string;
}

// No black-list measure at the market-supervision bureau: its clerk's task list stays the e2e suite's (one task per entry).
const MEASURES: readonly DemoMeasure[] = [
  {
    listType: 'red',
    department: '新乡市市场监督管理局',
    legalBasis: '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）',
    text: '在“双随机、一公开”监管中合理降低抽查比例和频次',
  },
  {
    listType: 'red',
    department: '新乡市行政审批和政务信息管理局',
    legalBasis: '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）',
    text: '办理行政许可时开通“绿色通道”，适用容缺受理',
  },
  {
    listType: 'red',
    department: '中国人民银行新乡市分行',
    legalBasis: '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）',
    text: '引导金融机构在授信额度、贷款利率上给予优惠',
  },
  { listType: 'black', department: '新乡市财政局', legalBasis: '《中华人民共和国政府采购法》第二十二条', text: '依法限制参加政府采购活动' },
  {
    listType: 'black',
    department: '新乡市住房和城乡建设局',
    legalBasis: '《中华人民共和国招标投标法实施条例》第六十七条、第六十八条',
    text: '依法限制参与工程建设项目招标投标',
  },
  {
    listType: 'black',
    department: '新乡市发展和改革委员会',
    legalBasis: '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）',
    text: '限制申报政府资金支持项目，已获支持的依法收回',
  },
  {
    listType: 'black',
    department: '新乡市生态环境局',
    legalBasis: '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）',
    text: '列为重点监管对象，提高现场检查频次',
  },
];

async function seedMeasuresAndIssue(db: Db, users: { reviewer: SeedUser; clerk: SeedUser; clerk2: SeedUser }, today: string) {
  if ((await db.measure.count()) > 0) return { measures: 0, entries: 0 };
  const audit = new AuditLog(db);
  const measures = new MeasureRepository(db);
  for (const m of MEASURES) {
    const id = await measures.create({ listType: m.listType, departmentId: await departmentId(db, m.department), legalBasis: m.legalBasis, text: m.text });
    await audit.record({
      action: 'measure.create',
      userId: users.reviewer.id,
      username: users.reviewer.username,
      ip: null,
      targetType: 'measure',
      targetId: id,
      detail: { listType: m.listType },
    });
  }

  const { year: prevYear, quarter: prevQuarter, publishedOn } = earlierIssue(today);
  if (await db.listIssue.findFirst({ where: { year: prevYear, quarter: prevQuarter }, select: { id: true } })) return { measures: MEASURES.length, entries: 0 };

  const service = new ListService(new ListRepository(db), audit);
  const subjects = await db.legalPerson.findMany({
    where: { status: 'active', subjectType: 'organisation', uscc: { notIn: DEMO_SUBJECTS.map((s) => s.uscc) } },
    orderBy: { uscc: 'desc' },
    take: 6,
    select: { uscc: true, name: true, legalRepresentative: true },
  });
  if (subjects.length < 6) return { measures: MEASURES.length, entries: 0 };
  const base = {
    subjectCategory: 'legal',
    docType: null,
    docNumber: null,
    basisDate: addDays(publishedOn, -60),
    validUntil: addDays(publishedOn, 3 * 365),
  } as const;
  const nominate = async (by: SeedUser, input: Omit<NominationInput, keyof typeof base>) => {
    const id = await service.nominate({ ...base, ...input }, by, null);
    await service.review(id, 'accept', '材料齐全，同意', users.reviewer, null);
    return id;
  };
  const [r1, r2, r3, b1, b2, b3] = subjects;
  const red = [
    await nominate(users.clerk, {
      listType: 'red',
      subjectName: r1!.name,
      uscc: r1!.uscc,
      basisDocNo: '新市监〔演示〕11号',
      basisAuthority: '新乡市市场监督管理局',
      reason: '连续三年被评为守合同重信用企业',
    }),
    await nominate(users.clerk, {
      listType: 'red',
      subjectName: r2!.name,
      uscc: r2!.uscc,
      basisDocNo: '新市监〔演示〕12号',
      basisAuthority: '新乡市市场监督管理局',
      reason: '质量信用评价为 A 级，无不良信用记录',
    }),
    await nominate(users.clerk2, {
      listType: 'red',
      subjectName: r3!.name,
      uscc: r3!.uscc,
      basisDocNo: '新环〔演示〕13号',
      basisAuthority: '新乡市生态环境局',
      reason: '环保信用评价为环保诚信企业',
    }),
  ];
  const blackSpecs = [
    { by: users.clerk, s: b1!, no: '21', authority: '新乡市市场监督管理局', reason: '生产销售不合格产品，货值金额较大，情节严重' },
    { by: users.clerk2, s: b2!, no: '22', authority: '新乡市生态环境局', reason: '通过暗管偷排含重金属废水，被处以按日连续处罚' },
    { by: users.clerk, s: b3!, no: '23', authority: '新乡市市场监督管理局', reason: '提交虚假材料骗取公司登记，被撤销登记' },
  ];
  const black: number[] = [];
  for (const b of blackSpecs) {
    const id = await nominate(b.by, {
      listType: 'black',
      subjectName: b.s.name,
      uscc: b.s.uscc,
      basisDocNo: `${b.authority === '新乡市生态环境局' ? '新环罚' : '新市监罚'}〔演示〕${b.no}号`,
      basisAuthority: b.authority,
      reason: b.reason,
      responsiblePersons: [{ role: 'legalRepresentative', name: b.s.legalRepresentative ?? '张卫东' }],
    });
    // 条例 Art. 28: the prior notice was served well before listing, and its objection window passed without one.
    await service.servePriorNotice(
      id,
      {
        noticeNo: `${b.authority === '新乡市生态环境局' ? '新环告' : '新市监告'}〔演示〕${b.no}号`,
        measures: '依法限制参加政府采购、招标投标；限制申报政府资金支持项目',
        servedOn: addDays(publishedOn, -30),
        objectionDays: 10,
      },
      b.by,
      null,
    );
    black.push(id);
  }

  const issue = await service.createIssue(prevYear, prevQuarter, users.reviewer, null);
  await service.addEntries(issue, [...red, ...black], users.reviewer, null, today);
  await service.publish(issue, users.reviewer, null);
  // Published last quarter: its 7-day 公示期 ended long ago; the nightly confirmation then starts the red-list measures.
  const issueRow = await db.listIssue.findUniqueOrThrow({ where: { id: issue }, select: { noticeDays: true } });
  await db.listIssue.update({ where: { id: issue }, data: { publishedAt: new Date(`${publishedOn}T10:00:00+08:00`) } });
  await db.listEntry.updateMany({
    where: { issueId: issue, listType: 'red' },
    data: { noticeEndsOn: dateColumn(addDays(publishedOn, issueRow.noticeDays - 1)) },
  });
  await service.confirmNoticePeriods(today);
  await numberIssuesByQuarter(db);

  // The departments with an account answer their tasks; the others' stay pending (待反馈).
  const tasks = await db.measureTask.findMany({ where: { entry: { issueId: issue } }, orderBy: { id: 'asc' }, select: { id: true, departmentId: true } });
  const answerer = new Map<number, SeedUser>();
  for (const u of [users.reviewer, users.clerk, users.clerk2]) if (u.departmentId !== null) answerer.set(u.departmentId, u);
  let n = 0;
  for (const t of tasks) {
    const by = answerer.get(t.departmentId);
    if (!by) continue;
    n++;
    const notImplemented = by === users.reviewer && n % 3 === 0;
    await measures.recordFeedback(t.id, {
      status: notImplemented ? 'notImplemented' : 'implemented',
      feedbackDate: dateColumn(addDays(publishedOn, 20 + n)),
      reason: notImplemented ? '该主体本期未申报政府资金支持项目，暂无实施场景' : null,
      detail: notImplemented ? null : '已在业务系统中嵌入名单核查，按措施执行',
      feedbackById: by.id,
    });
    await audit.record({
      action: 'measure.feedback',
      userId: by.id,
      username: by.username,
      ip: null,
      targetType: 'measureTask',
      targetId: t.id,
      detail: { status: notImplemented ? 'notImplemented' : 'implemented' },
    });
  }

  // One black-list entry left after 信用修复: its exit notice is published and its pending measures stop.
  const exited = await db.listEntry.findFirstOrThrow({ where: { issueId: issue, nominationId: black[2]! }, select: { id: true } });
  await service.exit(exited.id, '已依法重新办理登记并完成信用修复', users.reviewer, null);
  return { measures: MEASURES.length, entries: red.length + black.length };
}

/**
 * createIssue numbers issues (总第N期) in the order they are created, and the demo creates this earlier quarter after
 * src/seed/lists.ts made last quarter's: number the issues by quarter, as they would have been numbered when published.
 * The title repeats ListService.createIssue's format.
 */
async function numberIssuesByQuarter(db: Db): Promise<void> {
  const issues = await db.listIssue.findMany({
    orderBy: [{ year: 'asc' }, { quarter: 'asc' }],
    select: { id: true, year: true, quarter: true, serialNo: true },
  });
  const serials = issues.map((i) => i.serialNo).sort((a, b) => a - b);
  if (issues.every((i, k) => i.serialNo === serials[k])) return;
  // Negative serials first: serial_no is unique, and the swap would otherwise collide halfway.
  await db.$transaction([
    ...issues.map((i) => db.listIssue.update({ where: { id: i.id }, data: { serialNo: -i.id } })),
    ...issues.map((i, k) =>
      db.listIssue.update({ where: { id: i.id }, data: { serialNo: serials[k]!, title: `${i.year}年第${i.quarter}季度 · 总第${serials[k]!}期` } }),
    ),
  ]);
}

/**
 * The demo's earlier issue: the quarter before the one src/seed/lists.ts takes (last quarter of the Beijing calendar),
 * published two weeks into last quarter, as the office publishes a quarter's issue after it ends.
 */
export function earlierIssue(today: string): { year: number; quarter: number; publishedOn: string } {
  const year = Number(today.slice(0, 4));
  const thisQuarter = Math.ceil(Number(today.slice(5, 7)) / 3);
  const [lastYear, lastQuarter] = thisQuarter === 1 ? [year - 1, 4] : [year, thisQuarter - 1];
  const [prevYear, prevQuarter] = lastQuarter === 1 ? [lastYear - 1, 4] : [lastYear, lastQuarter - 1];
  return { year: prevYear, quarter: prevQuarter, publishedOn: addDays(`${lastYear}-${String((lastQuarter - 1) * 3 + 1).padStart(2, '0')}-01`, 14) };
}
