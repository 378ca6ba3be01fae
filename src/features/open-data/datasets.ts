import { maskIdNumber } from '../../domain/identifiers.js';
import { CATEGORY_LABELS, fieldsOf, type RecordKind } from '../../domain/publicity/fields.js';
import { TIER_LABELS, type Tier } from '../../domain/publicity/tiers.js';
import { isoDay } from '../../domain/dates.js';
import { formValues } from '../publicity/view-model.js';
import { personsText } from '../lists/procedure.js';
import type { PublicFields } from '../catalogue/service.js';
import type { CommitmentRead, ListEntryRead } from './repository.js';
import { COMMITMENT_ITEM_CODE, LIST_ITEM_CODES, RECORD_ITEM_CODES } from '../catalogue/codes.js';

/**
 * The open-data datasets (issue #17): what each publishes, with which columns, and how one row of the database becomes
 * one public row. Exactly what the public pages show: the 2019 national field codes for 双公示 (private fields never,
 * ID numbers masked as on the pages), and the catalogue's 共享属性 (条例 Art. 11, 18) decide which columns exist at all —
 * a field switched off is not an empty column but no column, so a file cannot be joined back to it.
 */

export type DatasetName = 'permits' | 'penalties' | 'list-entries' | 'list-exits' | 'commitments';

export const DATASET_NAMES: readonly DatasetName[] = ['permits', 'penalties', 'list-entries', 'list-exits', 'commitments'];

export const DATASET_TITLES: Record<DatasetName, string> = {
  permits: '行政许可信息',
  penalties: '行政处罚信息',
  'list-entries': '红黑名单（有效期内的列入）',
  'list-exits': '红黑名单退出信息',
  commitments: '信用承诺信息',
};

/** One column: its code (the CSV header and the JSON key) and its Chinese label (the manifest's schema). */
export interface Column {
  code: string;
  label: string;
  /** the key the row mapper fills */
  key: string;
}

/** A dataset as the catalogue lets it out today: its columns, or null when its whole item is not 社会公开. */
export interface DatasetShape {
  name: DatasetName;
  title: string;
  columns: Column[];
}

/** Every row carries the id of the public page it comes from, which the incremental changes feed names too. */
const ID_COLUMN: Column = { code: 'ID', label: '记录编号（与公示页面地址中的编号一致）', key: 'id' };

/** What every public page marks on a record under objection (条例 Art. 41). */
const DISPUTED_COLUMN: Column = { code: 'GS_YYZT', label: '异议状态（异议处理中的记录标注“异议处理中”）', key: 'disputed' };
const DISPUTED = '异议处理中';

/** Beyond the national set, what the public page of a penalty shows: its tier. */
const TIER_COLUMN: Column = { code: 'GS_YZCD', label: '失信严重程度', key: 'tier' };

const LIST_COLUMNS: readonly Column[] = [
  { code: 'MD_LX', label: '名单类型（红名单 / 黑名单）', key: 'listLabel' },
  { code: 'MD_QS', label: '发布期次', key: 'issue' },
  { code: 'MD_MC', label: '主体名称', key: 'subjectName' },
  { code: 'MD_ZTLB', label: '主体类别', key: 'category' },
  { code: 'MD_SHXYM', label: '统一社会信用代码', key: 'uscc' },
  { code: 'MD_ZJHM', label: '证件号码（遮蔽，只显示前 6 位和后 4 位）', key: 'docNumber' },
  { code: 'MD_RDWH', label: '认定文号', key: 'basisDocNo' },
  { code: 'MD_RDDW', label: '认定单位', key: 'basisAuthority' },
  { code: 'MD_RDRQ', label: '认定日期', key: 'basisDate' },
  { code: 'MD_LRSY', label: '列入事由', key: 'reason' },
  { code: 'MD_YXQZ', label: '有效期至', key: 'validUntil' },
  { code: 'MD_BSBM', label: '报送部门', key: 'department' },
  { code: 'MD_ZRR', label: '法定代表人、主要负责人等直接责任人员（仅姓名）', key: 'persons' },
];
const EXIT_COLUMNS: readonly Column[] = [
  { code: 'MD_TCRQ', label: '退出日期', key: 'exitedOn' },
  { code: 'MD_TCYY', label: '退出原因', key: 'exitReason' },
];

const COMMITMENT_COLUMNS: readonly Column[] = [
  { code: 'CN_BM', label: '承诺编码', key: 'code' },
  { code: 'CN_CNRMC', label: '承诺人名称', key: 'promisorName' },
  { code: 'CN_CNRLB', label: '承诺人类别', key: 'category' },
  { code: 'CN_CNRDM', label: '承诺人代码（自然人遮蔽，只显示前 6 位和后 4 位）', key: 'promisorCode' },
  { code: 'CN_LX', label: '承诺类型', key: 'commitmentType' },
  { code: 'CN_SY', label: '承诺事由', key: 'matter' },
  { code: 'CN_NR', label: '承诺内容', key: 'content' },
  { code: 'CN_RQ', label: '承诺作出日期', key: 'madeOn' },
  { code: 'CN_LXZT', label: '承诺履行状态', key: 'fulfilment' },
  { code: 'CN_SLDW', label: '承诺受理单位', key: 'department' },
];

/** The columns of a dataset today, or null when the catalogue keeps its whole item off public surfaces. */
export function datasetShape(name: DatasetName, shown: PublicFields): DatasetShape | null {
  const shape = (columns: Column[]): DatasetShape => ({ name, title: DATASET_TITLES[name], columns: [ID_COLUMN, ...columns, DISPUTED_COLUMN] });
  switch (name) {
    case 'permits':
    case 'penalties': {
      const kind: RecordKind = name === 'permits' ? 'permit' : 'penalty';
      if (!shown.showsItem(RECORD_ITEM_CODES[kind])) return null;
      const hidden = shown.hiddenKeys(kind);
      const columns = fieldsOf(kind)
        .filter((f) => !f.private && !hidden.has(f.key))
        .map((f) => ({ code: f.code, label: f.key === 'docNumber' ? `${f.label}（遮蔽，只显示前 6 位和后 4 位）` : f.label, key: f.key }));
      return shape(kind === 'penalty' ? [...columns, TIER_COLUMN] : columns);
    }
    case 'list-entries':
    case 'list-exits': {
      const types = publicListTypes(shown);
      if (!types.length) return null;
      // One file holds both lists: a field either list keeps off public surfaces is left out for both.
      const hidden = new Set(types.flatMap((t) => [...shown.hiddenListKeys(t)]));
      const columns = LIST_COLUMNS.filter((c) => !hidden.has(c.key));
      return shape(name === 'list-exits' ? [...columns, ...EXIT_COLUMNS] : columns);
    }
    case 'commitments': {
      if (!shown.showsItem(COMMITMENT_ITEM_CODE)) return null;
      const hidden = shown.hiddenCommitmentKeys();
      return shape(COMMITMENT_COLUMNS.filter((c) => !hidden.has(c.key)));
    }
  }
}

/** The list types whose entries a list dataset holds today (an item switched off keeps its entries out). */
export function publicListTypes(shown: PublicFields): ('red' | 'black')[] {
  return (['red', 'black'] as const).filter((t) => shown.showsItem(LIST_ITEM_CODES[t]));
}

/** Values by column key; every value is a string ('' for none), dates YYYY-MM-DD. */
export type PublicRow = Record<string, string>;

const day = (v: unknown): string => (v instanceof Date ? isoDay(v) : v ? String(v).slice(0, 10) : '');

/** A permit or penalty row as its public page shows it (formValues is the national template's reading of a record). */
export function recordRow(kind: RecordKind, rec: Record<string, unknown>): PublicRow {
  const values = formValues(kind, rec);
  const row: PublicRow = { ...values, id: String(rec.id), disputed: Array.isArray(rec.objections) && rec.objections.length > 0 ? DISPUTED : '' };
  // The public page prints 证件号码 masked, and the 公示截止期 as applied, not as the department reported it.
  if (values.docNumber) row.docNumber = maskIdNumber(values.docNumber);
  if (kind === 'penalty') {
    row.publicityEndDate = day(rec.publicUntil);
    row.penaltyCategories = Array.isArray(rec.penaltyCategories) ? (rec.penaltyCategories as string[]).join('；') : '';
    row.tier = TIER_LABELS[rec.tier as Tier] ?? '';
  }
  return row;
}

const LIST_LABELS = { red: '红名单', black: '黑名单' } as const;

/** A red/black-list entry as the list pages show it: natural persons by masked number, responsible persons by name. */
export function listRow(e: ListEntryRead): PublicRow {
  return {
    id: String(e.id),
    listLabel: LIST_LABELS[e.listType],
    issue: e.issueTitle,
    subjectName: e.subjectName,
    category: CATEGORY_LABELS[e.subjectCategory as keyof typeof CATEGORY_LABELS] ?? '',
    uscc: e.subjectCategory === 'natural' ? '' : (e.uscc ?? ''),
    docNumber: e.docNumber ? maskIdNumber(e.docNumber) : '',
    basisDocNo: e.basisDocNo,
    basisAuthority: e.basisAuthority,
    basisDate: day(e.basisDate),
    reason: e.reason,
    validUntil: day(e.validUntil),
    department: e.department,
    persons: personsText(e.persons),
    // The exit's Beijing day, as the issue page prints it.
    exitedOn: e.exitedAt ? isoDay(new Date(e.exitedAt.getTime() + 8 * 3_600_000)) : '',
    exitReason: e.exitReason ?? '',
    disputed: e.disputed ? DISPUTED : '',
  };
}

/** A public commitment as its page shows it: a natural person's number masked. */
export function commitmentRow(c: CommitmentRead): PublicRow {
  return {
    id: String(c.id),
    code: c.code,
    promisorName: c.promisorName,
    category: CATEGORY_LABELS[c.promisorCategory as keyof typeof CATEGORY_LABELS] ?? '',
    promisorCode: c.promisorCategory === 'natural' ? maskIdNumber(c.promisorCode) : c.promisorCode,
    commitmentType: c.commitmentType,
    matter: c.matter,
    content: c.content,
    madeOn: day(c.madeOn),
    fulfilment: c.fulfilment ?? '履行中',
    department: c.department,
    disputed: c.disputed ? DISPUTED : '',
  };
}
