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
    // Decimal(18,6) as text without trailing zeros (it is quoted in the tier's reason); the evaluation compares exact
    // millionths either way.
    minFineAmount: r.minFineAmount === null ? null : r.minFineAmount.toString(),
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

export interface NewTierRule {
  kind: 'simple' | 'category' | 'fine';
  penaltyCategory: string | null;
  departmentId: number | null;
  minFineAmount: string | null;
  tier: 'minor' | 'general' | 'serious';
  effectiveFrom: string;
  note: string | null;
}

/** The credit office's page: the rules, a new rule, the end of one. Rules are never edited or deleted. */
export class TierRuleRepository {
  constructor(private readonly db: Db) {}

  /** Every rule with its department's name. */
  async list() {
    const rows = await this.db.tierRule.findMany({
      orderBy: [{ kind: 'asc' }, { tier: 'asc' }, { id: 'asc' }],
      include: { department: { select: { name: true } } },
    });
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      penaltyCategory: r.penaltyCategory,
      department: r.department?.name ?? null,
      minFineAmount: r.minFineAmount === null ? null : r.minFineAmount.toString(),
      tier: r.tier,
      effectiveFrom: isoDay(r.effectiveFrom),
      effectiveTo: r.effectiveTo ? isoDay(r.effectiveTo) : null,
      note: r.note,
    }));
  }

  async find(id: number): Promise<{ id: number; effectiveFrom: string; effectiveTo: string | null } | null> {
    const r = await this.db.tierRule.findUnique({ where: { id } });
    return r ? { id: r.id, effectiveFrom: isoDay(r.effectiveFrom), effectiveTo: r.effectiveTo ? isoDay(r.effectiveTo) : null } : null;
  }

  async add(rule: NewTierRule): Promise<number> {
    const created = await this.db.tierRule.create({ data: { ...rule, effectiveFrom: dateColumn(rule.effectiveFrom) } });
    return created.id;
  }

  async end(id: number, effectiveTo: string): Promise<void> {
    await this.db.tierRule.update({ where: { id }, data: { effectiveTo: dateColumn(effectiveTo) } });
  }
}
