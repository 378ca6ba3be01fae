import type { Db } from '../../platform/database/client.js';
import { departmentScope } from '../../platform/access.js';
import { TIER_LABELS, type Tier } from '../../domain/publicity/tiers.js';

/** The back office's reads of import records (the imports themselves run in ImportService). */
export class ImportRepository {
  constructor(private readonly db: Db) {}

  /** One page of the imports the user may see, latest first, with who made them, and how many there are. */
  async page(user: Express.User, page: number, pageSize: number) {
    const where = departmentScope(user);
    const [rows, total] = await Promise.all([
      this.db.import.findMany({
        where,
        orderBy: { id: 'desc' },
        skip: (page - 1) * pageSize,
        take: pageSize,
        include: { user: { select: { username: true } }, department: { select: { name: true } } },
      }),
      this.db.import.count({ where }),
    ]);
    return { rows, total };
  }

  /**
   * The penalties this import wrote (or last corrected), by severity tier: how many, how many are not published, and
   * the range of their 公示截止期 — so the clerk sees at once what the tiers made of the file.
   */
  async penaltyTiers(importId: number): Promise<{ tier: string; label: string; count: number; hidden: number; from: string | null; to: string | null }[]> {
    const rows = await this.db.$queryRaw<{ tier: string; count: number; hidden: number; from: string | null; to: string | null }[]>`
      SELECT tier::text AS tier, count(*)::int AS count, (count(*) FILTER (WHERE NOT is_public))::int AS hidden,
             (min(public_until) FILTER (WHERE is_public))::text AS "from", (max(public_until) FILTER (WHERE is_public))::text AS "to"
        FROM penalty WHERE import_id = ${importId} GROUP BY tier ORDER BY tier`;
    return rows.map((r) => ({ ...r, label: TIER_LABELS[r.tier as Tier] ?? r.tier }));
  }

  /**
   * How many records this import revoked by their rows' 当前状态 (条例 Art. 42; revokeImported in the publicity
   * writer): revoked, named by this import, and without a revoking document (the form always has one).
   */
  revokedBy(kind: 'permit' | 'penalty', importId: number): Promise<number> {
    const where = { importId, revokedOn: { not: null }, revocationDocNo: null };
    return kind === 'permit' ? this.db.permit.count({ where }) : this.db.penalty.count({ where });
  }

  /** One import with its user and department, or null. */
  byId(id: number) {
    return this.db.import.findUnique({
      where: { id },
      include: { user: { select: { username: true, displayName: true } }, department: { select: { name: true } } },
    });
  }
}
