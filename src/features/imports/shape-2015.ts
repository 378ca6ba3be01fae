/**
 * The older (2015–2018) 双公示 shape, still emitted by old systems and 前置库 tables, and how one of its
 * rows becomes a row of the 2019 field set (keys of ../../domain/publicity/fields.ts).
 *
 * The codes follow docs/domain.md ("双公示 records"); the Chinese labels are the ones the 2015
 * national template used (行政相对人代码_1(统一社会信用代码) …) plus the shorter forms seen in county files.
 * Only the code is authoritative; labels are a convenience for files exported with Chinese headers.
 */
import { PUBLICITY_MAX_MONTHS, PUBLICITY_MIN_MONTHS } from '../../domain/publicity/schemas.js';
import { addMonths, parseDate } from '../../domain/dates.js';
import { PERMIT_CATEGORIES, type RecordKind } from '../../domain/publicity/fields.js';

export interface LegacyColumn {
  code: string;
  /** First one is the label shown in messages. */
  labels: readonly string[];
  /** The 2019 key this column feeds; null = recognised and ignored (DFBM, SJC, …). */
  key: string | null;
  /** The row cannot be mapped without it (the 2019 key is required and has no stand-in). */
  required?: boolean;
}

/** Written into 有效期至 / 处罚有效期 when the old record has no end date: 2099/12/31 means 长期. */
export const LONG_TERM_TEXT = '2099/12/31';

const subjectCodes = (p: 'XK' | 'CF'): LegacyColumn[] => [
  { code: `${p}_XDR_SHXYM`, labels: ['行政相对人代码_1(统一社会信用代码)', '统一社会信用代码', '行政相对人代码_1'], key: 'uscc' },
  { code: `${p}_XDR_ZDM`, labels: ['行政相对人代码_2(组织机构代码)', '组织机构代码', '行政相对人代码_2'], key: 'orgCode' },
  { code: `${p}_XDR_GSDJ`, labels: ['行政相对人代码_3(工商登记码)', '工商登记码', '工商注册号', '行政相对人代码_3'], key: 'regNo' },
  { code: `${p}_XDR_SWDJ`, labels: ['行政相对人代码_4(税务登记号)', '税务登记号', '行政相对人代码_4'], key: 'taxRegNo' },
  { code: `${p}_XDR_SFZ`, labels: ['行政相对人代码_5(居民身份证号)', '居民身份证号', '身份证号', '行政相对人代码_5'], key: 'docNumber' },
  { code: `${p}_FR`, labels: ['法定代表人姓名', '法定代表人'], key: 'legalRepresentative' },
];

/**
 * Bookkeeping columns of exchange tables (前置库) of both generations: recognised and ignored in either
 * shape, so they are no evidence of the 2015 shape.
 */
export const TECHNICAL_COLUMNS: readonly LegacyColumn[] = [
  { code: 'DFBM', labels: ['地方编码'], key: null },
  { code: 'SJC', labels: ['数据更新时间戳', '时间戳'], key: null },
];

const common: LegacyColumn[] = [...TECHNICAL_COLUMNS, { code: 'BZ', labels: ['备注'], key: 'remark' }];

export const LEGACY_PERMIT_COLUMNS: readonly LegacyColumn[] = [
  { code: 'XK_WSH', labels: ['行政许可决定书文号', '行政许可决定文书号'], key: 'documentNo', required: true },
  { code: 'XK_XMMC', labels: ['项目名称', '审批项目名称'], key: 'documentName', required: true },
  { code: 'XK_SPLB', labels: ['审批类别'], key: 'permitCategory' },
  { code: 'XK_NR', labels: ['许可内容'], key: 'content', required: true },
  { code: 'XK_XDR', labels: ['行政相对人名称'], key: 'subjectName', required: true },
  ...subjectCodes('XK'),
  { code: 'XK_JDRQ', labels: ['许可决定日期', '许可生效期'], key: 'decisionDate', required: true },
  { code: 'XK_JZQ', labels: ['许可截止期', '截止期'], key: 'validTo' },
  { code: 'XK_XZJG', labels: ['许可机关', '审批机关'], key: 'authority', required: true },
  { code: 'XK_ZT', labels: ['当前状态'], key: 'permitState' },
  ...common,
];

export const LEGACY_PENALTY_COLUMNS: readonly LegacyColumn[] = [
  { code: 'CF_WSH', labels: ['行政处罚决定书文号', '处罚决定书文号'], key: 'documentNo', required: true },
  { code: 'CF_CFMC', labels: ['处罚名称', '案件名称'], key: 'violationType', required: true },
  { code: 'CF_CFLB1', labels: ['处罚类别1', '处罚类别'], key: 'penaltyCategories', required: true },
  { code: 'CF_CFLB2', labels: ['处罚类别2'], key: 'penaltyCategories' },
  { code: 'CF_SY', labels: ['处罚事由', '违法事实'], key: 'facts', required: true },
  { code: 'CF_YJ', labels: ['处罚依据'], key: 'basis', required: true },
  { code: 'CF_XDR_MC', labels: ['行政相对人名称'], key: 'subjectName', required: true },
  ...subjectCodes('CF'),
  { code: 'CF_JG', labels: ['处罚结果'], key: 'content', required: true },
  { code: 'CF_JDRQ', labels: ['处罚决定日期'], key: 'decisionDate', required: true },
  { code: 'CF_XZJG', labels: ['处罚机关'], key: 'authority', required: true },
  // Not a 2019 field: carried as decisionState so that 撤销 revokes the stored record (条例 Art. 42).
  { code: 'CF_ZT', labels: ['当前状态'], key: 'decisionState' },
  { code: 'CF_SYFW', labels: ['信息使用范围'], key: null },
  { code: 'CF_SXYZCD', labels: ['失信严重程度'], key: null },
  { code: 'CF_GSJZQ', labels: ['公示截止期'], key: 'validUntil' },
  ...common,
];

export function legacyColumnsOf(kind: RecordKind): readonly LegacyColumn[] {
  return kind === 'permit' ? LEGACY_PERMIT_COLUMNS : LEGACY_PENALTY_COLUMNS;
}

/** 审批类别 → 许可类别: one of 普通/特许/认可/核准/登记/其他 (a trailing 类 is tolerated), anything else 其他. */
export function mapPermitCategory(v: string): string {
  const t = v.trim().replace(/类$/, '');
  return (PERMIT_CATEGORIES as readonly string[]).includes(t) ? t : '其他';
}

/**
 * 2015 当前状态 (XK_ZT, CF_ZT): 0 = 正常 (or blank), 1 = 撤销; 2 = 异议 and 3 = 其他 have no 2019 equivalent and are
 * dropped (the record then defaults to 有效). The codes are as remembered from the 2015 standard (unverified),
 * so only the two unambiguous ones are mapped; text values are accepted too.
 */
export function mapLegacyPermitState(v: string): string {
  const t = v.trim();
  if (t === '0' || t === '正常' || t === '有效') return '有效';
  if (t === '1' || t === '撤销' || t === '无效') return '无效';
  return '';
}

export interface DepartmentContext {
  departmentName: string;
  departmentUscc: string | null;
}

/**
 * One 2015 row → 2019 keys.
 * @param legacy values by 2015 code (only the columns present)
 * @param explicit values by 2019 key from 2019-coded columns in the same file (e.g. CF_NR_FK); a non-empty
 *   one overrides what the mapping derived
 */
export function mapLegacyRow(
  kind: RecordKind,
  legacy: Record<string, string>,
  explicit: Record<string, string>,
  ctx: DepartmentContext,
): Record<string, string> {
  const g = (code: string): string => legacy[code]?.trim() ?? '';
  const p = kind === 'permit' ? 'XK' : 'CF';
  const out: Record<string, string> = {};

  out.subjectName = g(kind === 'permit' ? 'XK_XDR' : 'CF_XDR_MC');
  const uscc = g(`${p}_XDR_SHXYM`);
  const idNumber = g(`${p}_XDR_SFZ`);
  out.uscc = uscc;
  out.orgCode = g(`${p}_XDR_ZDM`);
  out.regNo = g(`${p}_XDR_GSDJ`);
  out.taxRegNo = g(`${p}_XDR_SWDJ`);
  out.legalRepresentative = g(`${p}_FR`);
  if (idNumber && !uscc) {
    out.subjectCategory = '自然人';
    out.docType = '身份证';
    out.docNumber = idNumber;
  } else {
    out.subjectCategory = '法人及非法人组织';
    if (idNumber) {
      // An organisation's row with a 居民身份证号 carries a person's ID (in practice the 法定代表人 / 经营者):
      // keep it, but only in the never-public 法定代表人证件号码, never in the public 证件号码.
      out.legalRepDocType = '身份证';
      out.legalRepDocNumber = idNumber;
    }
  }
  out.documentNo = g(`${p}_WSH`);
  out.decisionDate = g(`${p}_JDRQ`);
  out.authority = g(`${p}_XZJG`);
  // The 2015 shape has no organisation codes for the authority or the source: the importing department.
  out.authorityCode = ctx.departmentUscc ?? '';
  out.sourceName = ctx.departmentName;
  out.sourceCode = ctx.departmentUscc ?? '';
  out.remark = g('BZ');

  if (kind === 'permit') {
    out.documentName = g('XK_XMMC');
    out.permitCategory = mapPermitCategory(g('XK_SPLB'));
    out.validFrom = out.decisionDate;
    out.validTo = g('XK_JZQ') || LONG_TERM_TEXT;
    out.content = g('XK_NR');
    out.permitState = mapLegacyPermitState(g('XK_ZT'));
  } else {
    out.violationType = g('CF_CFMC');
    out.penaltyCategories = [g('CF_CFLB1'), g('CF_CFLB2')].filter(Boolean).join(';');
    out.facts = g('CF_SY');
    out.basis = g('CF_YJ');
    out.content = g('CF_JG');
    out.decisionState = mapLegacyPermitState(g('CF_ZT'));
    const end = g('CF_GSJZQ');
    out.validUntil = end || LONG_TERM_TEXT;
    // 公示截止期 meant the same thing in 2015: keep it as the publicity end when today's rule (3 months to
    // 3 years after the decision) allows it; otherwise leave it blank and the maximum period applies.
    const decided = parseDate(out.decisionDate);
    const endIso = end ? parseDate(end) : null;
    if (decided && endIso && endIso >= addMonths(decided, PUBLICITY_MIN_MONTHS) && endIso <= addMonths(decided, PUBLICITY_MAX_MONTHS)) {
      out.publicityEndDate = end;
    }
  }

  for (const [k, v] of Object.entries(explicit)) if (v.trim() !== '' || !(k in out)) out[k] = v;
  return out;
}
