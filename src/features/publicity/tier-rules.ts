import type { Db } from '../../platform/database/client.js';
import { dateColumn, isoDay } from '../../domain/dates.js';
import { DEFAULT_TIER_RULES, type TierRule } from '../../domain/publicity/tiers.js';

/**
 * The credit office's tier rules (table tier_rule), read for every write so a rule change applies to the next
 * record; the evaluation itself is pure (src/domain/publicity/tiers.ts).
 */
export async function loadTierRules(db: Db): Promise<TierRule[]> {
  const rows = await db.tierRule.findMany({ orderBy: { id: 'asc' } });
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    penaltyCategory: r.penaltyCategory,
    departmentId: r.departmentId,
    // Decimal(18,6) as text: the evaluation compares exact millionths.
    minFineAmount: r.minFineAmount === null ? null : r.minFineAmount.toFixed(6),
    tier: r.tier,
    effectiveFrom: isoDay(r.effectiveFrom),
    effectiveTo: r.effectiveTo ? isoDay(r.effectiveTo) : null,
  }));
}

/**
 * The default rules, written when the table is empty (the migration writes them too; a database whose rules were
 * all deleted gets them back from `npm run seed:reference` or the demo seed). Returns how many were written.
 */
export async function ensureDefaultTierRules(db: Db): Promise<number> {
  if ((await db.tierRule.count()) > 0) return 0;
  const r = await db.tierRule.createMany({
    data: DEFAULT_TIER_RULES.map((x) => ({
      kind: x.kind,
      penaltyCategory: x.penaltyCategory,
      departmentId: x.departmentId,
      minFineAmount: x.minFineAmount,
      tier: x.tier,
      effectiveFrom: dateColumn(x.effectiveFrom),
    })),
  });
  return r.count;
}
