import { TIER_LABELS, type Tier } from './publicity/tiers.js';

/**
 * The severity tier of adverse records other than penalties (docs/domain.md "List procedures"): 《信用修复管理办法》
 * gives every 失信信息 a tier, and DOMAIN.md's tier table names the content of each. Penalties get theirs from the
 * credit office's rules (./publicity/tiers.ts); these two kinds have one fixed tier each.
 */

/**
 * A black-list entry is 严重: a subject is listed only for serious dishonesty under a published standard, and the
 * 严重 row of the table (限制从业, 责令关闭 …) is what such a listing brings. A red-list entry is not adverse.
 */
export function listEntryTier(listType: 'red' | 'black'): Tier | null {
  return listType === 'black' ? 'serious' : null;
}

/**
 * A broken commitment (承诺履行状态 部分履行 or 全部未履行) is 一般: it is more than the 轻微 row (简易程序, 警告, 通报批评),
 * and a breach serious enough for 严重 is handled by a black-list nomination (the commitment letter's own wording: 情节
 * 严重的，依法依规列入失信惩戒对象名单), which carries its own 严重 entry. Kept or still running: not adverse, no tier.
 */
export function brokenCommitmentTier(fulfilment: string | null | undefined): Tier | null {
  return fulfilment === '部分履行' || fulfilment === '全部未履行' ? 'general' : null;
}

export const tierLabel = (tier: Tier | null): string | null => (tier ? TIER_LABELS[tier] : null);
