import type { Db } from '../../platform/database/client.js';
import type { SharingLevel } from '../../generated/prisma/enums.js';

/** What the credit office may change on an item: its description and 共享属性; the code and the field list are fixed. */
export interface CatalogueItemEdit {
  name: string;
  format: string;
  provider: string;
  subjectTypes: string;
  nature: string;
  sharing: SharingLevel;
  coverage: string;
  updateCycle: string;
}

/** 公共信用信息目录 (条例 Art. 11): the items and their fields. */
export class CatalogueRepository {
  constructor(private readonly db: Db) {}

  /** Every item in catalogue order, with its fields in template order. */
  items() {
    return this.db.catalogueItem.findMany({
      orderBy: [{ sortOrder: 'asc' }, { id: 'asc' }],
      include: { fields: { orderBy: [{ sortOrder: 'asc' }, { id: 'asc' }] } },
    });
  }

  item(id: number) {
    return this.db.catalogueItem.findUnique({ where: { id }, include: { fields: { orderBy: [{ sortOrder: 'asc' }, { id: 'asc' }] } } });
  }

  /** Only what the public pages need to decide what they may show: each field's 共享属性 by item code. */
  sharingMap() {
    return this.db.catalogueField.findMany({ select: { code: true, sharing: true, item: { select: { code: true, sharing: true } } } });
  }

  /**
   * Saves an item and its fields' 共享属性 in one transaction; `fields` maps field id → level and only fields of this
   * item are touched. Returns the fields whose level changed, for the audit log.
   */
  async update(
    id: number,
    data: CatalogueItemEdit,
    fields: ReadonlyMap<number, SharingLevel>,
  ): Promise<{ code: string; from: SharingLevel; to: SharingLevel }[]> {
    return this.db.$transaction(async (tx) => {
      await tx.catalogueItem.update({ where: { id }, data });
      const current = await tx.catalogueField.findMany({ where: { itemId: id }, select: { id: true, code: true, sharing: true } });
      const changed: { code: string; from: SharingLevel; to: SharingLevel }[] = [];
      for (const f of current) {
        const to = fields.get(f.id);
        if (!to || to === f.sharing) continue;
        await tx.catalogueField.update({ where: { id: f.id }, data: { sharing: to } });
        changed.push({ code: f.code, from: f.sharing, to });
      }
      return changed;
    });
  }
}
