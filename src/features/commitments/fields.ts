import type { FieldDef } from '../../domain/publicity/fields.js';
import { SUBJECT_CATEGORIES } from '../../domain/publicity/fields.js';
import { COMMITMENT_TYPES, DISCLOSURE, FULFILMENT } from './schemas.js';

/**
 * The 信用承诺 columns of the batch-import template, keyed like the form (commitmentSchema reads both).
 * Labels follow the national template (docs/domain.md). No national field codes for commitments are known to us,
 * so the CN_* codes are the portal's own; the import recognises a column by its label or by that code.
 * 承诺编码 is generated, and 承诺受理单位 is the importing department, so neither is a column.
 */
export const COMMITMENT_FIELDS: readonly FieldDef[] = [
  { code: 'CN_CNRMC', key: 'promisorName', label: '承诺人名称', type: 'text', need: 'R', max: 200 },
  { code: 'CN_CNRLB', key: 'promisorCategory', label: '承诺人类别', type: 'category', need: 'R', options: SUBJECT_CATEGORIES },
  {
    code: 'CN_CNRDM',
    key: 'promisorCode',
    label: '承诺人代码',
    type: 'text',
    need: 'R',
    max: 18,
    hint: '法人及非法人组织、个体工商户填统一社会信用代码，自然人填身份证号码（公开时只显示前 6 位和后 4 位）',
  },
  { code: 'CN_CNLX', key: 'commitmentType', label: '承诺类型', type: 'enum', need: 'R', options: COMMITMENT_TYPES },
  { code: 'CN_CNSY', key: 'matter', label: '承诺事由', type: 'longText', need: 'R', max: 1000 },
  { code: 'CN_CNNR', key: 'content', label: '承诺内容', type: 'longText', need: 'R', max: 4000 },
  { code: 'CN_WNZR', key: 'liability', label: '违诺责任', type: 'longText', need: 'R', max: 2000 },
  { code: 'CN_ZCRQ', key: 'madeOn', label: '承诺作出日期', type: 'date', need: 'R' },
  { code: 'CN_YXQ', key: 'validUntil', label: '承诺有效期', type: 'date', need: 'O', hint: '承诺有效期至该日；长期有效可不填' },
  { code: 'CN_LXZT', key: 'fulfilment', label: '承诺履行状态', type: 'enum', need: 'O', options: FULFILMENT, hint: '尚在履行期内可不填' },
  {
    code: 'CN_WLXNR',
    key: 'unfulfilledContent',
    label: '未履行的承诺内容',
    type: 'longText',
    need: 'C',
    max: 2000,
    hint: '履行状态为部分履行或全部未履行时必填',
  },
  { code: 'CN_ZJNR', key: 'liabilityPursued', label: '违诺责任追究内容', type: 'longText', need: 'C', max: 2000, hint: '履行状态为部分履行或全部未履行时必填' },
  { code: 'CN_GKLX', key: 'disclosure', label: '公开类型', type: 'enum', need: 'R', options: DISCLOSURE },
  { code: 'BZ', key: 'remark', label: '备注', type: 'longText', need: 'O', max: 512 },
];
