/**
 * The 公共信用信息目录 (条例 Art. 11) as the platform starts with it: one item per kind of information it actually
 * holds, with the national field set for 双公示 (src/domain/publicity/fields.ts) and the platform's own fields for the
 * lists and the commitments. Written by the reference seed, so production has it as well as the demo; only missing
 * items and fields are added, so the credit office's edits (共享属性, descriptions) survive a re-run.
 */
import type { Db } from '../platform/database/client.js';
import type { SharingLevel } from '../generated/prisma/enums.js';
import { PENALTY_FIELDS, PERMIT_FIELDS, type FieldDef } from '../domain/publicity/fields.js';
import { RECORD_ITEM_CODES } from '../features/catalogue/codes.js';

export interface CatalogueFieldSeed {
  code: string;
  label: string;
  sharing: SharingLevel;
}

export interface CatalogueItemSeed {
  code: string;
  name: string;
  format: string;
  provider: string;
  subjectTypes: string;
  nature: string;
  sharing: SharingLevel;
  coverage: string;
  updateCycle: string;
  fields: CatalogueFieldSeed[];
}

const COVERAGE = '新乡市（12 个县市区、3 个功能区）';
const ALL_SUBJECTS = '法人及非法人组织、个体工商户、自然人';

/** A 双公示 field: private ones (法定代表人证件) are shared with government only, the rest are public. */
const fromTemplate = (f: FieldDef): CatalogueFieldSeed => ({ code: f.code, label: f.label, sharing: f.private ? 'government' : 'public' });
const own = (code: string, label: string, sharing: SharingLevel = 'public'): CatalogueFieldSeed => ({ code, label, sharing });

export const CATALOGUE_ITEMS: readonly CatalogueItemSeed[] = [
  {
    code: 'FRJC',
    name: '法人和非法人组织基础信息',
    format: '结构化数据（数据库交换）',
    provider: '新乡市市场监督管理局、新乡市民政局、新乡市委编办',
    subjectTypes: '法人及非法人组织、个体工商户',
    nature: '基础信息',
    sharing: 'public',
    coverage: COVERAGE,
    updateCycle: '每日',
    fields: [
      own('FR_MC', '名称'),
      own('FR_SHXYM', '统一社会信用代码'),
      own('FR_FDDBR', '法定代表人（负责人）'),
      own('FR_ZTLX', '主体类型'),
      own('FR_DJZT', '登记状态'),
      own('FR_ZS', '住所'),
      own('FR_CLRQ', '成立日期'),
      own('FR_ZZJG', '组织机构代码'),
      own('FR_GSZC', '工商注册号'),
      own('FR_LXDH', '联系电话', 'government'),
    ],
  },
  {
    code: RECORD_ITEM_CODES.permit,
    name: '行政许可信息',
    format: '结构化数据（在线填报、CSV/XLSX 批量导入，国家双公示数据标准 2019 版）',
    provider: '市直各行政许可机关及各县（市、区）许可机关',
    subjectTypes: ALL_SUBJECTS,
    nature: '基础信息',
    sharing: 'public',
    coverage: COVERAGE,
    updateCycle: '作出决定之日起 7 个工作日内',
    fields: PERMIT_FIELDS.map(fromTemplate),
  },
  {
    code: RECORD_ITEM_CODES.penalty,
    name: '行政处罚信息',
    format: '结构化数据（在线填报、CSV/XLSX 批量导入，国家双公示数据标准 2019 版）',
    provider: '市直各行政执法机关及各县（市、区）执法机关',
    subjectTypes: ALL_SUBJECTS,
    nature: '失信信息',
    sharing: 'public',
    coverage: COVERAGE,
    updateCycle: '作出决定之日起 7 个工作日内',
    fields: PENALTY_FIELDS.map(fromTemplate),
  },
  {
    code: 'HONGMD',
    name: '守信激励对象名单（红名单）',
    format: '结构化数据（在线认定、按期发布）',
    provider: '新乡市社会信用体系建设领导小组办公室（认定部门报送）',
    subjectTypes: '法人及非法人组织、个体工商户',
    nature: '守信信息',
    sharing: 'public',
    coverage: COVERAGE,
    updateCycle: '按期发布',
    fields: [
      own('MD_MC', '主体名称'),
      own('MD_SHXYM', '统一社会信用代码'),
      own('MD_RDWH', '认定文号'),
      own('MD_RDDW', '认定单位'),
      own('MD_RDRQ', '认定日期'),
      own('MD_LRSY', '列入事由'),
      own('MD_YXQZ', '有效期至'),
      own('MD_BSBM', '报送部门'),
    ],
  },
  {
    code: 'HEIMD',
    name: '失信惩戒对象名单（黑名单）',
    format: '结构化数据（在线认定、事前告知后发布）',
    provider: '新乡市社会信用体系建设领导小组办公室（认定部门报送）',
    subjectTypes: ALL_SUBJECTS,
    nature: '失信信息',
    sharing: 'public',
    coverage: COVERAGE,
    updateCycle: '按期发布',
    fields: [
      own('MD_MC', '主体名称'),
      own('MD_SHXYM', '统一社会信用代码'),
      own('MD_ZJHM', '证件号码（自然人，公开时遮蔽）'),
      own('MD_RDWH', '认定文号'),
      own('MD_RDDW', '认定单位'),
      own('MD_RDRQ', '认定日期'),
      own('MD_LRSY', '列入事由'),
      own('MD_YXQZ', '有效期至'),
      own('MD_BSBM', '报送部门'),
      own('MD_ZRR', '法定代表人、主要负责人等直接责任人员'),
    ],
  },
  {
    code: 'XYCN',
    name: '信用承诺信息',
    format: '结构化数据（在线填报、批量导入）',
    provider: '市直各部门及各县（市、区）受理承诺的部门',
    subjectTypes: ALL_SUBJECTS,
    nature: '其他信息',
    sharing: 'public',
    coverage: COVERAGE,
    updateCycle: '作出承诺之日起 7 个工作日内',
    fields: [
      own('CN_BM', '承诺编码'),
      own('CN_LX', '承诺类型'),
      own('CN_SY', '承诺事由'),
      own('CN_NR', '承诺内容'),
      own('CN_RQ', '承诺作出日期'),
      own('CN_LXZT', '承诺履行状态'),
    ],
  },
  {
    code: 'XYHC',
    name: '信用核查记录',
    format: '结构化数据（系统生成）',
    provider: '新乡市公共信用信息平台',
    subjectTypes: '法人及非法人组织、个体工商户',
    nature: '其他信息',
    sharing: 'government',
    coverage: COVERAGE,
    updateCycle: '实时',
    fields: [
      own('HC_ZT', '核查主体', 'government'),
      own('HC_BM', '核查部门', 'government'),
      own('HC_SJ', '核查时间', 'government'),
      own('HC_JG', '核查结果', 'government'),
    ],
  },
  {
    code: 'YYXF',
    name: '异议与信用修复信息',
    format: '结构化数据（在线申请、部门核实）',
    provider: '新乡市社会信用体系建设领导小组办公室、作出决定的部门',
    subjectTypes: ALL_SUBJECTS,
    nature: '其他信息',
    sharing: 'authorised',
    coverage: COVERAGE,
    updateCycle: '实时',
    fields: [
      own('YX_BH', '受理编号', 'authorised'),
      own('YX_LX', '申请类型（异议、信用修复）', 'authorised'),
      own('YX_XX', '所涉信息', 'authorised'),
      own('YX_ZT', '办理状态', 'authorised'),
      own('YX_JG', '办理结果', 'authorised'),
    ],
  },
];

/** Adds the missing items and fields (matched by code); returns how many items were added. */
export async function ensureCatalogue(db: Db, items: readonly CatalogueItemSeed[] = CATALOGUE_ITEMS): Promise<number> {
  const { count } = await db.catalogueItem.createMany({
    data: items.map(({ fields: _fields, ...item }, i) => ({ ...item, sortOrder: (i + 1) * 10 })),
    skipDuplicates: true,
  });
  const ids = new Map((await db.catalogueItem.findMany({ select: { id: true, code: true } })).map((r) => [r.code, r.id]));
  await db.catalogueField.createMany({
    data: items.flatMap((item) => item.fields.map((f, i) => ({ ...f, itemId: ids.get(item.code)!, sortOrder: (i + 1) * 10 }))),
    skipDuplicates: true,
  });
  return count;
}
