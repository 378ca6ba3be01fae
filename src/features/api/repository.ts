import type { Db } from '../../platform/database/client.js';
import { inForceWhere } from '../../platform/database/in-force.js';
import { penaltyInUseWhere } from '../../platform/database/penalty-in-use.js';
import { OPEN_OBJECTION_STATUSES } from '../../domain/objections.js';

/** API keys of department systems, and what the API answers from the lists. */
export class ApiRepository {
  constructor(private readonly db: Db) {}

  /** Every key, newest first, with its department's name. */
  keys() {
    return this.db.apiKey.findMany({ orderBy: { id: 'desc' }, include: { department: { select: { name: true } } } });
  }

  /** The active departments, in id order, that a key can be made for. */
  departmentOptions() {
    return this.db.department.findMany({ where: { active: true }, orderBy: { id: 'asc' }, select: { id: true, name: true } });
  }

  createKey(data: { departmentId: number; name: string; prefix: string; hash: string; createdById: number }): Promise<number> {
    return this.db.apiKey.create({ data, select: { id: true } }).then((k) => k.id);
  }

  /** Revokes a key unless it already is; returns its prefix, or null when no such key exists. */
  async revoke(id: number): Promise<{ prefix: string } | null> {
    const found = await this.db.apiKey.findUnique({ where: { id }, select: { revokedAt: true, prefix: true } });
    if (!found) return null;
    if (!found.revokedAt) await this.db.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
    return { prefix: found.prefix };
  }

  /** The key with this hash, revoked or not. */
  keyByHash(hash: string) {
    return this.db.apiKey.findUnique({ where: { hash }, select: { id: true, prefix: true, departmentId: true, revokedAt: true } });
  }

  /** Notes that the key was just used. */
  async touch(id: number): Promise<void> {
    await this.db.apiKey.update({ where: { id }, data: { lastUsedAt: new Date() } });
  }

  /** A legal person's 严重 penalties still in use today (the credit check's rule), newest first. */
  seriousPenalties(legalPersonId: number, today: string) {
    return this.db.penalty.findMany({
      where: { legalPersonId, tier: 'serious', ...penaltyInUseWhere(today) },
      orderBy: { decisionDate: 'desc' },
      select: { documentNo: true, decisionDate: true, authority: true, penaltyCategories: true, publicUntil: true },
    });
  }

  /** A legal person's list entries in force today, with their issue's title, latest basis first. */
  entriesInForce(legalPersonId: number, today: string) {
    return this.db.listEntry.findMany({
      where: { legalPersonId, ...inForceWhere(today) },
      // 条例 Art. 41: the answer marks an entry whose objection is being handled.
      include: { issue: { select: { title: true } }, objections: { where: { status: { in: [...OPEN_OBJECTION_STATUSES] } }, select: { id: true }, take: 1 } },
      orderBy: { basisDate: 'desc' },
    });
  }
}
