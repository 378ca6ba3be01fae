import type { Db } from '../../platform/database/client.js';
import type { RecordKind } from '../../domain/publicity/fields.js';
import type { TierRule } from '../../domain/publicity/tiers.js';
import { loadTierRules } from './tier-rule-repository.js';

/** A stored record as the form's key check needs it. */
export interface StoredRecordKey {
  id: number;
  departmentId: number;
  withdrawn: boolean;
  subjectName: string;
  decisionDate: Date;
}

/**
 * What PublicityService reads and writes around the writer: the departments and counties of the write context, the
 * record a key names, withdrawal. Built on the pool without a statement timeout, as the imports share the context.
 */
export class RecordRepository {
  constructor(private readonly db: Db) {}

  /** The credit office's tier rules, read for every write so a rule change applies to the next record. */
  tierRules(): Promise<TierRule[]> {
    return loadTierRules(this.db);
  }

  /** 6-digit region code → county id. */
  async countyByRegion(): Promise<Map<string, number>> {
    const rows = await this.db.county.findMany({ select: { id: true, code: true } });
    return new Map(rows.map((r) => [r.code, r.id]));
  }

  department(id: number) {
    return this.db.department.findUnique({ where: { id }, select: { countyId: true, level: true, name: true } });
  }

  /** The stored record with this (机关代码, 文书号), if any. */
  async findByKey(kind: RecordKind, authorityCode: string, documentNo: string): Promise<StoredRecordKey | null> {
    const args = {
      where: { authorityCode_documentNo: { authorityCode, documentNo } },
      select: { id: true, departmentId: true, withdrawnAt: true, subjectName: true, decisionDate: true },
    } as const;
    const rec = kind === 'permit' ? await this.db.permit.findUnique(args) : await this.db.penalty.findUnique(args);
    return rec
      ? { id: rec.id, departmentId: rec.departmentId, withdrawn: rec.withdrawnAt !== null, subjectName: rec.subjectName, decisionDate: rec.decisionDate }
      : null;
  }

  withdrawalState(kind: RecordKind, id: number) {
    const args = { where: { id }, select: { departmentId: true, withdrawnAt: true, documentNo: true } } as const;
    return kind === 'permit' ? this.db.permit.findUnique(args) : this.db.penalty.findUnique(args);
  }

  /**
   * 撤销 (条例 Art. 42): the deciding act was revoked. The record leaves the public columns at once, like a
   * withdrawal, and keeps the revocation and its 1-working-day due date for the revocation report. Only a record
   * not yet withdrawn: false when it was.
   */
  async revoke(kind: RecordKind, id: number, r: { revokedOn: Date; docNo: string; reason: string; knownOn: Date; dueBy: Date }): Promise<boolean> {
    const args = {
      where: { id, withdrawnAt: null },
      data: {
        withdrawnAt: new Date(),
        withdrawReason: `决定已撤销（${r.docNo}）：${r.reason}`,
        isPublic: false,
        revokedOn: r.revokedOn,
        revocationDocNo: r.docNo,
        revocationKnownOn: r.knownOn,
        revocationDueBy: r.dueBy,
      },
    };
    const updated = kind === 'permit' ? await this.db.permit.updateMany(args) : await this.db.penalty.updateMany(args);
    return updated.count > 0;
  }

  /** 撤回: the record leaves the public columns at once. */
  async withdraw(kind: RecordKind, id: number, reason: string): Promise<void> {
    const args = { where: { id }, data: { withdrawnAt: new Date(), withdrawReason: reason, isPublic: false } };
    if (kind === 'permit') await this.db.permit.update(args);
    else await this.db.penalty.update(args);
  }
}
