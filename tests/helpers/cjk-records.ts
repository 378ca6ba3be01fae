import { PENALTY_FIELDS } from '../../src/domain/publicity/fields.js';
import { rawRecord } from './records.js';
import { cjkText } from './xlsx-build.js';

/** The text fields the CJK round-trip checks, cell by cell. */
export const CJK_KEYS = ['documentNo', 'subjectName', 'legalRepresentative', 'violationType', 'facts', 'basis', 'content', 'remark'] as const;

/**
 * Valid penalties full of CJK text: rare BMP characters (堃 喆 䶮) and characters outside the BMP (𠀀 𪚥, four
 * UTF-8 bytes, two UTF-16 units) in every text field, long enough that many straddle an inflate chunk boundary.
 * Every tenth 备注 starts with a formula character, for the export's neutralisation; another tenth holds text that
 * looks like Excel's _xHHHH_ escape, which must survive as written.
 */
export function cjkPenalty(prefix: string, i: number): Record<string, string> {
  return rawRecord('penalty', {
    documentNo: `${prefix}〔2026〕𠀀${i}号`,
    subjectName: `新乡市${cjkText(i, 6)}𪚥堃商贸有限公司`,
    legalRepresentative: `${cjkText(i + 7, 2)}喆`,
    violationType: `${cjkText(i + 11, 12)}䶮`,
    facts: `当事人于2026年${cjkText(i + 13, 80 + (i % 50))}，𠀀𪚥堃喆䶮为证。`,
    basis: `《${cjkText(i + 17, 8)}》第${(i % 200) + 1}条`,
    penaltyCategories: '罚款',
    content: `罚款人民币 2000 元（${cjkText(i + 19, 16)}）`,
    remark:
      i % 10 === 0
        ? `=${cjkText(i + 23, 5)}+1`
        : i % 10 === 5
          ? `-${cjkText(i + 29, 4)}`
          : i % 10 === 3
            ? `编号_x000D_${cjkText(i + 37, 3)}_x005F_`
            : `备注${cjkText(i + 31, 10)}`,
  });
}

/** Header (field codes) and rows in the national template's column order. */
export function penaltySheet(records: Iterable<Record<string, string>>): Iterable<string[]> {
  return (function* () {
    yield PENALTY_FIELDS.map((f) => f.code);
    for (const r of records) yield PENALTY_FIELDS.map((f) => r[f.key] ?? '');
  })();
}

export function* cjkPenalties(prefix: string, n: number): Generator<Record<string, string>> {
  for (let i = 1; i <= n; i++) yield cjkPenalty(prefix, i);
}
