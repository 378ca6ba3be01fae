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

/** Whether the public pages already apply this item's fields one by one (today: the 双公示 items only). */
export function appliedFieldByField(itemCode: string): boolean {
  return (Object.values(RECORD_ITEM_CODES) as string[]).includes(itemCode);
}
