import { addMonths } from '../dates.js';

/**
 * Severity tiers of adverse records and the publicity period each allows (docs/domain.md, "Severity tiers and
 * publicity periods"). Pure: the rule rows come from the caller (table tier_rule), days are Beijing calendar days
 * (YYYY-MM-DD, src/domain/dates.ts).
 *
 * The period is stored as public_until, the last day the record is public (its 公示截止期); the record leaves
 * publication the day after.
 */

export const TIERS = ['minor', 'general', 'serious'] as const;
export type Tier = (typeof TIERS)[number];

export const TIER_LABELS: Record<Tier, string> = { minor: '轻微', general: '一般', serious: '严重' };
const TIER_BY_LABEL = new Map<string, Tier>(TIERS.map((t) => [TIER_LABELS[t], t]));

/** The tier a label (轻微/一般/严重) names, or null. */
export function tierOfLabel(label: string): Tier | null {
  return TIER_BY_LABEL.get(label.trim()) ?? null;
}

/** Decisions dated from this day follow the tiers; older ones still public get the shorter of the two rules. */
export const TIERS_IN_FORCE_FROM = '2026-04-01';

/** Publicity window of each tier, in months from the decision date. 轻微 is published only when marked necessary. */
export const TIER_WINDOWS: Record<Tier, { minMonths: number; maxMonths: number }> = {
  minor: { minMonths: 0, maxMonths: 3 },
  general: { minMonths: 3, maxMonths: 12 },
  serious: { minMonths: 12, maxMonths: 36 },
};

/** The rule in force until 2026-03-31 (NDRC Order 58): every penalty at least 3 months, at most 3 years. */
export const ORDER58_WINDOW = { minMonths: 3, maxMonths: 36 };

/** Adverse information is never disclosed beyond 5 years from the decision (条例 Art. 19). */
export const DISCLOSURE_LIMIT_MONTHS = 60;

export type PublicityRule = '2026' | 'order58';
export const PUBLICITY_RULE_LABELS: Record<PublicityRule, string> = {
  '2026': '《信用修复管理办法》',
  order58: '国家发展改革委令第58号（从旧兼从轻）',
};

const WINDOW_TEXT: Record<Tier, string> = {
  minor: '最长 3 个月',
  general: '至少 3 个月、最长 1 年',
  serious: '至少 1 年、最长 3 年',
};

export interface DayWindow {
  /** earliest allowed public_until */
  min: string;
  /** latest allowed public_until */
  max: string;
}

export function tierWindow(tier: Tier, decisionDate: string): DayWindow {
  const w = TIER_WINDOWS[tier];
  return { min: addMonths(decisionDate, w.minMonths), max: addMonths(decisionDate, w.maxMonths) };
}

export function order58Window(decisionDate: string): DayWindow {
  return { min: addMonths(decisionDate, ORDER58_WINDOW.minMonths), max: addMonths(decisionDate, ORDER58_WINDOW.maxMonths) };
}

export interface PeriodInput {
  decisionDate: string;
  tier: Tier;
  /** 轻微 only: the department found publication necessary */
  necessary: boolean;
  /** CF_GSJZQ as the department reported it */
  requestedEnd: string | null;
}

export interface Period {
  /** false: not published at all (轻微 not marked necessary) */
  published: boolean;
  /** last public day; the decision date when not published */
  publicUntil: string;
  rule: PublicityRule;
}

export type PeriodResult = ({ ok: true } & Period) | { ok: false; message: string; window: DayWindow };

const earlier = (a: string, b: string): string => (a <= b ? a : b);
const clamp = (day: string, w: DayWindow): string => (day < w.min ? w.min : day > w.max ? w.max : day);

/**
 * The period of the 2026 rule alone. A CF_GSJZQ outside the window is refused, or with clamp (existing data,
 * which cannot be sent back) moved to the nearest end of the window.
 */
function period2026(p: PeriodInput, clampOutside: boolean): PeriodResult {
  // A minor record nobody marked necessary is not published, whatever end date came with it.
  if (p.tier === 'minor' && !p.necessary) return { ok: true, published: false, publicUntil: p.decisionDate, rule: '2026' };
  const w = tierWindow(p.tier, p.decisionDate);
  if (p.requestedEnd === null) return { ok: true, published: true, publicUntil: w.max, rule: '2026' };
  if (p.requestedEnd >= w.min && p.requestedEnd <= w.max) return { ok: true, published: true, publicUntil: p.requestedEnd, rule: '2026' };
  if (clampOutside) return { ok: true, published: true, publicUntil: clamp(p.requestedEnd, w), rule: '2026' };
  return {
    ok: false,
    window: w,
    message: `公示截止期 ${p.requestedEnd} 超出${TIER_LABELS[p.tier]}失信信息的公示期限（自处罚决定日期起${WINDOW_TEXT[p.tier]}），应在 ${w.min} 至 ${w.max} 之间`,
  };
}

/**
 * Order 58's end date: the department's CF_GSJZQ when inside 3 months–3 years, otherwise (absent) the decision date
 * plus 3 years — which is what the portal applied before the tiers.
 */
export function order58End(decisionDate: string, requestedEnd: string | null): string {
  const w = order58Window(decisionDate);
  return requestedEnd === null ? w.max : clamp(requestedEnd, w);
}

/**
 * The publicity period of one penalty. From 2026-04-01 the tier's window; decisions before it get whichever of
 * Order 58 and the 2026 rule ends earlier (从旧兼从轻), and the result says which applied. clamp: existing data,
 * never refused (the migration; a record already stored).
 */
export function publicityPeriod(p: PeriodInput, opts: { clamp?: boolean } = {}): PeriodResult {
  const clampOutside = opts.clamp ?? false;
  let result: PeriodResult;
  if (p.decisionDate >= TIERS_IN_FORCE_FROM) {
    result = period2026(p, clampOutside);
  } else {
    // The department reported this under Order 58, so its end date is judged by Order 58's window.
    const old = order58Window(p.decisionDate);
    if (p.requestedEnd !== null && !clampOutside && (p.requestedEnd < old.min || p.requestedEnd > old.max)) {
      return {
        ok: false,
        window: old,
        message: `公示截止期 ${p.requestedEnd} 超出公示期限：2026年4月1日前作出的处罚，应在 ${old.min} 至 ${old.max} 之间（自处罚决定日期起至少 3 个月、最长 3 年）`,
      };
    }
    const oldEnd = order58End(p.decisionDate, p.requestedEnd);
    const now = period2026(p, true) as Period;
    // Equal periods: the rule in force is named.
    result = !now.published || now.publicUntil <= oldEnd ? { ok: true, ...now } : { ok: true, published: true, publicUntil: oldEnd, rule: 'order58' };
  }
  if (!result.ok) return result;
  // Art. 19: never beyond 5 years. No window reaches that today; kept so a future longer window cannot pass it.
  return { ...result, publicUntil: earlier(result.publicUntil, addMonths(p.decisionDate, DISCLOSURE_LIMIT_MONTHS)) };
}

/* ---------- default tier from the credit office's rules ---------- */

export const TIER_RULE_KINDS = ['simple', 'category', 'fine'] as const;
export type TierRuleKind = (typeof TIER_RULE_KINDS)[number];

/** One row of tier_rule. */
export interface TierRule {
  id: number;
  kind: TierRuleKind;
  /** kind category: the 处罚类别 it classifies */
  penaltyCategory: string | null;
  /** kind fine: the department whose threshold it is; null = every department without its own */
  departmentId: number | null;
  /** kind fine: fines of at least this many 万元 */
  minFineAmount: string | null;
  tier: Tier;
  effectiveFrom: string;
  /** last day in effect; null = open */
  effectiveTo: string | null;
}

export interface TierFacts {
  decisionDate: string;
  departmentId: number;
  penaltyCategories: readonly string[];
  /** 万元, decimal string */
  fineAmount: string | null;
  simpleProcedure: boolean;
}

export interface TierChoice {
  tier: Tier;
  reason: string;
}

const SEVERITY: Record<Tier, number> = { minor: 0, general: 1, serious: 2 };

/** 万元 as an exact integer of millionths: amounts have at most 6 decimals, and floats would misjudge a threshold. */
function micros(amount: string): bigint {
  const [int, frac = ''] = amount.trim().split('.');
  return BigInt(int || '0') * 1_000_000n + BigInt((frac + '000000').slice(0, 6));
}

/**
 * Rules are read as of the decision date; a decision from before the tiers is classified by the rules the tiers
 * started with (there were no others).
 */
export function rulesInEffect(rules: readonly TierRule[], decisionDate: string): TierRule[] {
  const day = decisionDate < TIERS_IN_FORCE_FROM ? TIERS_IN_FORCE_FROM : decisionDate;
  return rules.filter((r) => r.effectiveFrom <= day && (r.effectiveTo === null || r.effectiveTo >= day));
}

/**
 * The default tier of a penalty. 简易程序 decides alone (it is what makes a penalty minor, whatever its category);
 * otherwise the most severe of the matching category and fine-threshold rules; a department's own thresholds replace
 * the general ones. Nothing matching: 一般, the middle, never silently the shortest.
 */
export function defaultTier(allRules: readonly TierRule[], f: TierFacts): TierChoice {
  const rules = rulesInEffect(allRules, f.decisionDate);
  if (f.simpleProcedure) {
    const simple = rules.find((r) => r.kind === 'simple');
    if (simple) return { tier: simple.tier, reason: `适用简易程序，按规则认定为${TIER_LABELS[simple.tier]}` };
  }
  let best: TierChoice | null = null;
  const consider = (tier: Tier, reason: string) => {
    if (!best || SEVERITY[tier] > SEVERITY[best.tier]) best = { tier, reason };
  };
  for (const r of rules) {
    if (r.kind === 'category' && r.penaltyCategory && f.penaltyCategories.includes(r.penaltyCategory)) {
      consider(r.tier, `处罚类别「${r.penaltyCategory}」按规则认定为${TIER_LABELS[r.tier]}`);
    }
  }
  if (f.fineAmount !== null && f.fineAmount.trim() !== '') {
    const fines = rules.filter((r) => r.kind === 'fine' && r.minFineAmount !== null);
    const own = fines.filter((r) => r.departmentId === f.departmentId);
    const amount = micros(f.fineAmount);
    for (const r of own.length ? own : fines.filter((x) => x.departmentId === null)) {
      if (amount >= micros(r.minFineAmount!)) {
        consider(
          r.tier,
          `罚款 ${f.fineAmount} 万元，达到${r.departmentId === null ? '' : '本部门'}标准 ${r.minFineAmount} 万元，按规则认定为${TIER_LABELS[r.tier]}`,
        );
      }
    }
  }
  return best ?? { tier: 'general', reason: '未匹配认定规则，按一般认定' };
}

/** The rules the portal starts with (seeded; the credit office edits them with effective dates). */
export const DEFAULT_TIER_RULES: readonly Omit<TierRule, 'id' | 'effectiveTo'>[] = [
  { kind: 'simple', penaltyCategory: null, departmentId: null, minFineAmount: null, tier: 'minor', effectiveFrom: TIERS_IN_FORCE_FROM },
  ...(
    [
      ['警告', 'minor'],
      ['通报批评', 'minor'],
      ['罚款', 'general'],
      ['没收违法所得', 'general'],
      ['没收非法财物', 'general'],
      ['暂扣许可证件', 'general'],
      ['降低资质等级', 'general'],
      ['限制开展生产经营活动', 'general'],
      ['责令停产停业', 'general'],
      ['行政拘留', 'general'],
      ['暂扣或者吊销许可证、暂扣或者吊销执照', 'general'],
      ['吊销许可证件', 'serious'],
      ['责令关闭', 'serious'],
      ['限制从业', 'serious'],
    ] as const
  ).map(([category, tier]) => ({
    kind: 'category' as const,
    penaltyCategory: category,
    departmentId: null,
    minFineAmount: null,
    tier,
    effectiveFrom: TIERS_IN_FORCE_FROM,
  })),
  // 巨额罚款: 100 万元 and more, for every department without a threshold of its own.
  { kind: 'fine', penaltyCategory: null, departmentId: null, minFineAmount: '100', tier: 'serious', effectiveFrom: TIERS_IN_FORCE_FROM },
];

/** The tier a record gets: the department's own choice (with its reason), or the rules' default. */
export function assignTier(
  rules: readonly TierRule[],
  f: TierFacts,
  chosen: { tier: Tier | null; reason: string | null },
): TierChoice & { source: 'rule' | 'department' } {
  if (chosen.tier) return { tier: chosen.tier, reason: chosen.reason ?? '', source: 'department' };
  return { ...defaultTier(rules, f), source: 'rule' };
}
