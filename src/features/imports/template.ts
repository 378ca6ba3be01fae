/**
 * Import templates (CSV and XLSX) and the export header, generated from the field catalogue so that a
 * field is described once. Row 1: Chinese labels ('*' = required), row 2: field codes, data from row 3 —
 * the import recognises either row and skips the second.
 */
import ExcelJS from 'exceljs';
import { csvLine } from '../../platform/csv-cell.js';
import {
  DOC_TYPES,
  fieldsOf,
  PENALTY_CATEGORIES,
  PERMIT_CATEGORIES,
  PERMIT_STATES,
  SUBJECT_CATEGORIES,
  type FieldDef,
  type RecordKind,
} from '../../domain/publicity/fields.js';
import { COMMITMENT_TYPES, DISCLOSURE, FULFILMENT } from '../commitments/schemas.js';
import { IDENTIFIER_KEYS } from './parse.js';
import { IMPORT_KIND_LABELS, importFields, type ImportKind } from './kinds.js';

const VALIDATION_ROWS = 10_000;

/** The catalogue, plus our own 适用简易程序 column for penalties (Henan keeps those off the platform). */
export const templateFields = importFields;

/** Header of the 2019-shape export: the national field codes in catalogue order (no JYCX, it is not national). */
export function exportCsvHeader(kind: RecordKind): string[] {
  return fieldsOf(kind).map((f) => f.code);
}

const headerLabel = (f: FieldDef): string => (f.need === 'R' ? `*${f.label}` : f.label);

/** UTF-8 with BOM (so Excel in China opens it as UTF-8), CRLF, two header rows, no data. */
export function templateCsv(kind: ImportKind): Buffer {
  const fields = templateFields(kind);
  const lines = [fields.map(headerLabel), fields.map((f) => f.code)].map(csvLine);
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join(''), 'utf8')]);
}

const NEED_TEXT = { R: '必填', C: '条件必填', O: '选填' } as const;

function fieldHelp(f: FieldDef): string {
  const parts: string[] = [];
  if (f.hint) parts.push(f.hint);
  if (f.type === 'date') parts.push('日期，格式 YYYY/MM/DD，如 2024/03/15');
  if (f.type === 'amount') parts.push('数字，单位万元，最多 6 位小数');
  if (f.options) parts.push(`可选值：${f.options.join('、')}`);
  if (IDENTIFIER_KEYS.has(f.key)) parts.push('文本格式，请勿让 Excel 转成数字');
  if (f.max !== undefined) parts.push(`最多 ${f.max} 个字`);
  if (f.private) parts.push('不对外公开');
  return parts.join('；');
}

function columnWidth(f: FieldDef): number {
  const byType = f.type === 'longText' ? 40 : f.type === 'date' ? 14 : f.type === 'text' && (f.max ?? 0) >= 100 ? 30 : IDENTIFIER_KEYS.has(f.key) ? 22 : 16;
  return Math.min(50, Math.max(byType, [...f.label].length * 2 + 4));
}

const LISTS: Record<string, readonly string[]> = {
  subjectCategory: SUBJECT_CATEGORIES,
  docType: DOC_TYPES,
  legalRepDocType: DOC_TYPES,
  permitCategory: PERMIT_CATEGORIES,
  permitState: PERMIT_STATES,
  simpleProcedure: ['是', '否'],
  tier: ['轻微', '一般', '严重'],
  publicityNecessary: ['是', '否'],
  promisorCategory: SUBJECT_CATEGORIES,
  commitmentType: COMMITMENT_TYPES,
  fulfilment: FULFILMENT,
  disclosure: DISCLOSURE,
};

/** exceljs 4 has worksheet.dataValidations.add(range, …) (one element per column) but does not type it. */
interface RangeValidations {
  dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void };
}

const INSTRUCTIONS = [
  '1. 第 1 行是字段名称（带 * 的为必填），第 2 行是字段代码，请勿修改；从第 3 行起每行填写一条记录。',
  '2. 只读取第一个工作表。选填列可以删除，列的顺序可以调整。',
  '3. 统一社会信用代码、证件号码、文书号等代码列和日期列已设为文本格式。粘贴数据时请用「选择性粘贴 → 值」，或先把目标列设为文本格式，否则 Excel 会把长数字截断（如身份证号后几位变成 0），这样的行将无法导入。',
  '4. 日期填写为 YYYY/MM/DD，如 2024/03/15；长期有效填 2099/12/31。',
  '5. 「条件必填」的列在说明所列情形下必须填写，如法人及非法人组织必须填写统一社会信用代码和法定代表人，自然人必须填写证件类型和证件号码；信用承诺未全部履行时必须填写未履行的承诺内容和违诺责任追究内容。',
  '6. 也可以在 Excel 中「另存为」CSV UTF-8（逗号分隔）后上传。',
];

/** Same two header rows as the CSV; bold, frozen, code and date columns as text, drop-down lists, 填写说明. */
export async function templateXlsx(kind: ImportKind): Promise<Buffer> {
  const fields = templateFields(kind);
  const wb = new ExcelJS.Workbook();
  wb.creator = '信用新乡';
  const ws = wb.addWorksheet(IMPORT_KIND_LABELS[kind], { views: [{ state: 'frozen', xSplit: 1, ySplit: 2 }] });
  fields.forEach((f, i) => {
    const col = ws.getColumn(i + 1);
    col.width = columnWidth(f);
    // Column style: every cell typed into the column later is text, so Excel keeps codes and dates as typed.
    if (IDENTIFIER_KEYS.has(f.key) || f.type === 'date') col.numFmt = '@';
  });
  const labels = ws.addRow(fields.map(headerLabel));
  const codes = ws.addRow(fields.map((f) => f.code));
  labels.font = { bold: true };
  codes.font = { bold: true, color: { argb: 'FF808080' } };
  fields.forEach((f, i) => {
    const cell = labels.getCell(i + 1);
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: f.need === 'R' ? 'FFFDE9D9' : 'FFF2F2F2' } };
    cell.alignment = { vertical: 'middle', wrapText: true };
    codes.getCell(i + 1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
  });
  labels.height = 32;

  // Drop-downs for the first 10,000 data rows: enough for hand-filled templates (large files come from system
  // exports), and exceljs expands a validation range cell by cell when it loads a workbook.
  const lastRow = VALIDATION_ROWS + 2;
  const validations = (ws as unknown as RangeValidations).dataValidations;
  fields.forEach((f, i) => {
    const range = `${ws.getColumn(i + 1).letter}3:${ws.getColumn(i + 1).letter}${lastRow}`;
    const list = LISTS[f.key];
    if (list) {
      validations.add(range, {
        type: 'list',
        allowBlank: true,
        formulae: [`"${list.join(',')}"`],
        showErrorMessage: true,
        errorStyle: 'stop',
        errorTitle: f.label,
        error: `请从下拉列表中选择：${list.join('、')}`,
      });
    } else if (f.key === 'penaltyCategories') {
      // Several categories go into one cell separated by 「;」: offer the list, but do not enforce it.
      validations.add(range, {
        type: 'list',
        allowBlank: true,
        formulae: [`"${PENALTY_CATEGORIES.join(',')}"`],
        showErrorMessage: false,
        showInputMessage: true,
        promptTitle: f.label,
        prompt: '可多选，多个类别用分号「;」分隔',
      });
    }
  });

  const help = wb.addWorksheet('填写说明');
  help.getColumn(1).width = 36;
  help.getColumn(2).width = 16;
  help.getColumn(3).width = 10;
  help.getColumn(4).width = 80;
  help.addRow([`${IMPORT_KIND_LABELS[kind]}信息批量导入模板 填写说明`]).font = { bold: true, size: 14 };
  for (const line of INSTRUCTIONS) {
    const row = help.addRow([line]);
    help.mergeCells(row.number, 1, row.number, 4);
    row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
    row.height = line.length > 60 ? 32 : 18;
  }
  help.addRow([]);
  help.addRow(['字段名称', '字段代码', '是否必填', '填写说明']).font = { bold: true };
  for (const f of fields) {
    const row = help.addRow([f.label, f.code, NEED_TEXT[f.need], fieldHelp(f)]);
    row.getCell(4).alignment = { wrapText: true, vertical: 'top' };
  }

  return Buffer.from(await wb.xlsx.writeBuffer());
}
