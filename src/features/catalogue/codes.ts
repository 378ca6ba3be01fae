import type { SharingLevel } from '../../generated/prisma/enums.js';
import type { RecordKind } from '../../domain/publicity/fields.js';

export type { SharingLevel };

/** 共享属性 (条例 Art. 18: 公开公示, 政务共享, 授权查询), in the order the back office offers them. */
export const SHARING_LEVELS: readonly SharingLevel[] = ['public', 'government', 'authorised'];
export const SHARING_LABELS: Record<SharingLevel, string> = { public: '社会公开', government: '政务共享', authorised: '授权查询' };

/**
 * The catalogue items behind the record kinds the public pages show. Their fields carry the national field codes of
 * src/domain/publicity/fields.ts, so a field's 共享属性 is found by code.
 */
export const RECORD_ITEM_CODES: Record<RecordKind, string> = { permit: 'XZXK', penalty: 'XZCF' };

/** The catalogue items of the red and the black list (条例 Art. 28–35). */
export const LIST_ITEM_CODES = { red: 'HONGMD', black: 'HEIMD' } as const;

/**
 * A list entry's public values by catalogue field code (both list items share the codes). 统一社会信用代码 and 证件号码
 * are the one 代码 column; 直接责任人员 is the black list's responsible persons (条例 Art. 35).
 */
export const LIST_FIELD_KEYS: Readonly<Record<string, string>> = {
  MD_MC: 'subjectName',
  MD_SHXYM: 'uscc',
  MD_ZJHM: 'docNumber',
  MD_RDWH: 'basisDocNo',
  MD_RDDW: 'basisAuthority',
  MD_RDRQ: 'basisDate',
  MD_LRSY: 'reason',
  MD_YXQZ: 'validUntil',
  MD_BSBM: 'department',
  MD_ZRR: 'persons',
};

/** The catalogue item of 信用承诺 (条例 Art. 29). */
export const COMMITMENT_ITEM_CODE = 'XYCN';

/**
 * A commitment's public values by catalogue field code. The catalogue lists the commitment's public summary; the
 * import template's own CN_* codes (commitments/fields.ts) are a different set.
 */
export const COMMITMENT_FIELD_KEYS: Readonly<Record<string, string>> = {
  CN_BM: 'code',
  CN_LX: 'commitmentType',
  CN_SY: 'matter',
  CN_NR: 'content',
  CN_RQ: 'madeOn',
  CN_LXZT: 'fulfilment',
};

/** The catalogue item of the legal-person base data (the subject's header on its profile and report). */
export const LEGAL_PERSON_ITEM_CODE = 'FRJC';

/**
 * The subject's base values by catalogue field code. 名称 (FR_MC) and 统一社会信用代码 (FR_SHXYM) are not here: they
 * are how the subject is found and named (the profile's address is its code), so they stay public; 联系电话 is never
 * shown on a public page.
 */
export const LEGAL_PERSON_FIELD_KEYS: Readonly<Record<string, string>> = {
  FR_FDDBR: 'legalRepresentative',
  FR_ZTLX: 'subjectType',
  FR_DJZT: 'status',
  FR_ZS: 'address',
  FR_CLRQ: 'establishedOn',
  FR_ZZJG: 'orgCode',
  FR_GSZC: 'regNo',
};

/** Whether the public pages already apply this item's fields one by one. */
export function appliedFieldByField(itemCode: string): boolean {
  return ([...Object.values(RECORD_ITEM_CODES), ...Object.values(LIST_ITEM_CODES), COMMITMENT_ITEM_CODE, LEGAL_PERSON_ITEM_CODE] as string[]).includes(
    itemCode,
  );
}
