/**
 * The national 双公示 data standard (2019 field set, as exchanged with 信用河南 / 信用中国): one catalogue
 * that the forms, the batch import, the public pages and the export all read, so a field is described once.
 * Field codes, labels and required-ness follow the 2019 national field set (docs/domain.md).
 */

export type RecordKind = 'permit' | 'penalty';

/** R = always required, C = required under a condition checked in the record schema, O = optional. */
export type Need = 'R' | 'C' | 'O';

export type FieldType = 'text' | 'longText' | 'date' | 'amount' | 'category' | 'docType' | 'enum' | 'multiEnum';

export interface FieldDef {
  /** National field code, also the CSV header of the export. */
  code: string;
  /** Property name in code and in the Prisma model. */
  key: string;
  label: string;
  type: FieldType;
  need: Need;
  max?: number;
  options?: readonly string[];
  /** Never on a public page (e.g. 法定代表人证件号码). */
  private?: boolean;
  hint?: string;
}

export const SUBJECT_CATEGORIES = ['法人及非法人组织', '自然人', '个体工商户'] as const;
export type SubjectCategoryLabel = (typeof SUBJECT_CATEGORIES)[number];
export const CATEGORY_KEYS: Record<SubjectCategoryLabel, 'legal' | 'natural' | 'soleTrader'> = {
  法人及非法人组织: 'legal',
  自然人: 'natural',
  个体工商户: 'soleTrader',
};
export const CATEGORY_LABELS: Record<'legal' | 'natural' | 'soleTrader', SubjectCategoryLabel> = {
  legal: '法人及非法人组织',
  natural: '自然人',
  soleTrader: '个体工商户',
};

export const DOC_TYPES = ['身份证', '护照号', '港澳居民来往内地通行证', '台湾居民来往大陆通行证', '外国人永久居留身份证', '其他'] as const;
export type DocTypeLabel = (typeof DOC_TYPES)[number];
export const DOC_TYPE_KEYS: Record<DocTypeLabel, 'residentId' | 'passport' | 'hkMacauPermit' | 'taiwanPermit' | 'foreignerPr' | 'other'> = {
  身份证: 'residentId',
  护照号: 'passport',
  港澳居民来往内地通行证: 'hkMacauPermit',
  台湾居民来往大陆通行证: 'taiwanPermit',
  外国人永久居留身份证: 'foreignerPr',
  其他: 'other',
};
export const DOC_TYPE_LABELS = Object.fromEntries(Object.entries(DOC_TYPE_KEYS).map(([label, key]) => [key, label])) as Record<
  (typeof DOC_TYPE_KEYS)[DocTypeLabel],
  DocTypeLabel
>;

export const PERMIT_CATEGORIES = ['普通', '特许', '认可', '核准', '登记', '其他'] as const;

/** 行政处罚法 (2021-07-15) Art. 9, item by item. */
export const PENALTY_CATEGORIES = [
  '警告',
  '通报批评',
  '罚款',
  '没收违法所得',
  '没收非法财物',
  '暂扣许可证件',
  '降低资质等级',
  '吊销许可证件',
  '限制开展生产经营活动',
  '责令停产停业',
  '责令关闭',
  '限制从业',
  '行政拘留',
  '其他',
] as const;
/** Names used before 2021-07-15, still found in older decisions and accepted on import. */
export const PENALTY_CATEGORIES_BEFORE_2021 = ['没收违法所得、没收非法财物', '暂扣或者吊销许可证、暂扣或者吊销执照'] as const;
export const ALL_PENALTY_CATEGORIES: readonly string[] = [...PENALTY_CATEGORIES, ...PENALTY_CATEGORIES_BEFORE_2021];

/** 当前状态 of a permit: 1 有效, 2 无效 (codes not verified against a published standard). */
export const PERMIT_STATES = ['有效', '无效'] as const;

/** 2099/12/31 in 有效期至 means 长期 (no end). */
export const LONG_TERM = '2099-12-31';

const subjectFields = (p: 'XK' | 'CF'): FieldDef[] => [
  { code: `${p}_XDR_MC`, key: 'subjectName', label: '行政相对人名称', type: 'text', need: 'R', max: 200 },
  { code: `${p}_XDR_LB`, key: 'subjectCategory', label: '行政相对人类别', type: 'category', need: 'R', options: SUBJECT_CATEGORIES },
  {
    code: `${p}_XDR_SHXYM`,
    key: 'uscc',
    label: '统一社会信用代码',
    type: 'text',
    need: 'C',
    max: 18,
    hint: '法人及非法人组织、个体工商户必填；无代码的个体工商户填 00000000000000000X',
  },
  { code: `${p}_XDR_GSZC`, key: 'regNo', label: '工商注册号', type: 'text', need: 'C', max: 50 },
  { code: `${p}_XDR_ZZJG`, key: 'orgCode', label: '组织机构代码', type: 'text', need: 'O', max: 50 },
  { code: `${p}_XDR_SWDJ`, key: 'taxRegNo', label: '税务登记号', type: 'text', need: 'O', max: 50 },
  { code: `${p}_XDR_SYDW`, key: 'institutionCertNo', label: '事业单位证书号', type: 'text', need: 'O', max: 50 },
  { code: `${p}_XDR_SHZZ`, key: 'socialOrgCertNo', label: '社会组织登记证号', type: 'text', need: 'O', max: 50 },
  { code: `${p}_FRDB`, key: 'legalRepresentative', label: '法定代表人', type: 'text', need: 'C', max: 50, hint: '法人及非法人组织必填' },
  { code: `${p}_FR_ZJLX`, key: 'legalRepDocType', label: '法定代表人证件类型', type: 'docType', need: 'O', options: DOC_TYPES, private: true },
  { code: `${p}_FR_ZJHM`, key: 'legalRepDocNumber', label: '法定代表人证件号码', type: 'text', need: 'O', max: 64, private: true },
  { code: `${p}_XDR_ZJLX`, key: 'docType', label: '证件类型', type: 'docType', need: 'C', options: DOC_TYPES, hint: '自然人必填' },
  { code: `${p}_XDR_ZJHM`, key: 'docNumber', label: '证件号码', type: 'text', need: 'C', max: 64, hint: '自然人必填；公开时只显示前 6 位和后 4 位' },
];

export const PERMIT_FIELDS: readonly FieldDef[] = [
  ...subjectFields('XK'),
  { code: 'XK_XKWS', key: 'documentName', label: '行政许可决定文书名称', type: 'text', need: 'R', max: 64 },
  { code: 'XK_WSH', key: 'documentNo', label: '行政许可决定文书号', type: 'text', need: 'R', max: 64 },
  { code: 'XK_XKLB', key: 'permitCategory', label: '许可类别', type: 'enum', need: 'R', options: PERMIT_CATEGORIES },
  { code: 'XK_XKZS', key: 'certificateName', label: '许可证书名称', type: 'text', need: 'O', max: 64 },
  { code: 'XK_XKBH', key: 'permitNo', label: '许可编号', type: 'text', need: 'O', max: 64 },
  { code: 'XK_JDRQ', key: 'decisionDate', label: '许可决定日期', type: 'date', need: 'R' },
  { code: 'XK_YXQZ', key: 'validFrom', label: '有效期自', type: 'date', need: 'R' },
  { code: 'XK_YXQZI', key: 'validTo', label: '有效期至', type: 'date', need: 'R', hint: '长期有效填 2099/12/31' },
  { code: 'XK_NR', key: 'content', label: '许可内容', type: 'longText', need: 'R', max: 4000 },
  { code: 'XK_XKJG', key: 'authority', label: '许可机关', type: 'text', need: 'R', max: 200 },
  { code: 'XK_XKJGDM', key: 'authorityCode', label: '许可机关统一社会信用代码', type: 'text', need: 'R', max: 18 },
  { code: 'XK_ZT', key: 'permitState', label: '当前状态', type: 'enum', need: 'O', options: PERMIT_STATES },
  { code: 'XK_LYDW', key: 'sourceName', label: '数据来源单位', type: 'text', need: 'R', max: 200 },
  { code: 'XK_LYDWDM', key: 'sourceCode', label: '数据来源单位统一社会信用代码', type: 'text', need: 'R', max: 18 },
  { code: 'BZ', key: 'remark', label: '备注', type: 'longText', need: 'O', max: 512 },
];

export const PENALTY_FIELDS: readonly FieldDef[] = [
  ...subjectFields('CF'),
  { code: 'CF_WSH', key: 'documentNo', label: '行政处罚决定书文号', type: 'text', need: 'R', max: 64 },
  { code: 'CF_WFXW', key: 'violationType', label: '违法行为类型', type: 'text', need: 'R', max: 2000 },
  { code: 'CF_SY', key: 'facts', label: '违法事实', type: 'longText', need: 'R', max: 5000 },
  { code: 'CF_YJ', key: 'basis', label: '处罚依据', type: 'longText', need: 'R', max: 2000 },
  {
    code: 'CF_CFLB',
    key: 'penaltyCategories',
    label: '处罚类别',
    type: 'multiEnum',
    need: 'R',
    options: PENALTY_CATEGORIES,
    hint: '可多选；批量导入时多个类别用顿号、逗号或分号分隔，也可照抄《行政处罚法》第九条的条文',
  },
  { code: 'CF_NR', key: 'content', label: '处罚内容', type: 'longText', need: 'R', max: 4000 },
  { code: 'CF_NR_FK', key: 'fineAmount', label: '罚款金额（万元）', type: 'amount', need: 'C', hint: '处罚类别含罚款时必填；2000 元填 0.2' },
  { code: 'CF_NR_WFFF', key: 'confiscatedAmount', label: '没收违法所得、没收非法财物的金额（万元）', type: 'amount', need: 'C', hint: '处罚类别含没收时必填' },
  { code: 'CF_NR_ZKDX', key: 'licenceAffected', label: '暂扣或吊销证照名称及编号', type: 'text', need: 'C', max: 200, hint: '处罚类别含暂扣或吊销时必填' },
  { code: 'CF_JDRQ', key: 'decisionDate', label: '处罚决定日期', type: 'date', need: 'R' },
  { code: 'CF_YXQ', key: 'validUntil', label: '处罚有效期', type: 'date', need: 'R', hint: '长期填 2099/12/31' },
  {
    code: 'CF_GSJZQ',
    key: 'publicityEndDate',
    label: '公示截止期',
    type: 'date',
    need: 'O',
    hint: '不填则按严重程度的最长公示期（自决定日期起：轻微 3 个月、一般 1 年、严重 3 年）',
  },
  { code: 'CF_CFJG', key: 'authority', label: '处罚机关', type: 'text', need: 'R', max: 200 },
  { code: 'CF_CFJGDM', key: 'authorityCode', label: '处罚机关统一社会信用代码', type: 'text', need: 'R', max: 18 },
  { code: 'CF_SJLY', key: 'sourceName', label: '数据来源单位', type: 'text', need: 'R', max: 200 },
  { code: 'CF_SJLYDM', key: 'sourceCode', label: '数据来源单位统一社会信用代码', type: 'text', need: 'R', max: 18 },
  { code: 'BZ', key: 'remark', label: '备注', type: 'longText', need: 'O', max: 512 },
];

/**
 * Not part of the national template: whether a natural person's penalty was decided under the simple
 * procedure (简易程序). Henan's rule keeps those off the public platform, so the portal must know it.
 */
export const SIMPLE_PROCEDURE_FIELD: FieldDef = { code: 'JYCX', key: 'simpleProcedure', label: '适用简易程序', type: 'enum', need: 'O', options: ['是', '否'] };

/**
 * Not national either: the department's own severity tier of a penalty, when it differs from the default the credit
 * office's rules give (docs/domain.md), with its reason; and, for a 轻微 one, whether publication is necessary.
 */
export const TIER_FIELD: FieldDef = {
  code: 'YZCD',
  key: 'tier',
  label: '严重程度',
  type: 'enum',
  need: 'O',
  options: ['轻微', '一般', '严重'],
  hint: '不选则按信用办的认定规则确定；另行认定须填写认定理由',
};
export const TIER_REASON_FIELD: FieldDef = { code: 'YZCDLY', key: 'tierReason', label: '严重程度认定理由', type: 'text', need: 'O', max: 500 };
export const PUBLICITY_NECESSARY_FIELD: FieldDef = {
  code: 'QXGS',
  key: 'publicityNecessary',
  label: '轻微失信确需公示',
  type: 'enum',
  need: 'O',
  options: ['是', '否'],
};
/** Our own penalty columns after the national ones, in the template and the import header. */
export const PENALTY_EXTRA_FIELDS: readonly FieldDef[] = [SIMPLE_PROCEDURE_FIELD, TIER_FIELD, TIER_REASON_FIELD, PUBLICITY_NECESSARY_FIELD];

/**
 * Columns an export of penalties adds after the national ones (docs/domain.md "Credit repair"): the tier and the
 * publication state as applied, so 信用河南 / 信用中国 stop using a record that left publication (a repair notice: state
 * 已停止公示, reason 信用修复). Export-only: an import skips them (the portal computes these itself).
 */
export const EXPORT_STATE_FIELDS = [
  { code: 'GS_YZCD', label: '失信严重程度（实际适用）' },
  { code: 'GS_ZT', label: '公示状态' },
  { code: 'GS_TZRQ', label: '停止公示日期' },
  { code: 'GS_TZYY', label: '停止公示原因' },
] as const;

export function fieldsOf(kind: RecordKind): readonly FieldDef[] {
  return kind === 'permit' ? PERMIT_FIELDS : PENALTY_FIELDS;
}

export const KIND_LABELS: Record<RecordKind, string> = { permit: '行政许可', penalty: '行政处罚' };
