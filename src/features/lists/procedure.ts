import { isoDay } from '../../domain/dates.js';
import { TIER_LABELS, type Tier } from '../../domain/publicity/tiers.js';
import { listEntryTier } from '../../domain/adverse-tiers.js';
import { RESPONSIBLE_ROLE_LABELS, type ResponsiblePerson } from './schemas.js';

/**
 * The list procedures of 河南省社会信用条例 Art. 28 and 35 as pure rules for the pages (docs/domain.md "List
 * procedures"); the database side of the same rules is src/platform/database/in-force.ts.
 */

/** The entry's tier for the pages (src/domain/adverse-tiers.ts): 严重 on the black list, none on the red. */
export function listTier(listType: 'red' | 'black'): { key: Tier; label: string } | null {
  const tier = listEntryTier(listType);
  return tier ? { key: tier, label: TIER_LABELS[tier] } : null;
}

export type EntryStageKey = 'notice' | 'noticeDisputed' | 'withdrawn' | 'exited' | 'inForce';

/** Where an entry stands on `today`: in its 公示期, withdrawn, exited or in force (the job may not have run yet). */
export function entryStage(
  e: { noticeEndsOn: Date | null; confirmedAt: Date | null; withdrawnAt: Date | null; exitedAt: Date | null },
  today: string,
  objectionOpen: boolean,
): { key: EntryStageKey; label: string } {
  if (e.withdrawnAt) return { key: 'withdrawn', label: '已撤回（公示期内异议成立，不予列入）' };
  if (e.exitedAt) return { key: 'exited', label: `已退出（${isoDay(e.exitedAt)}）` };
  if (e.noticeEndsOn && !e.confirmedAt) {
    const end = isoDay(e.noticeEndsOn);
    if (end >= today) return { key: 'notice', label: `公示中，公示期至 ${end}` };
    if (objectionOpen) return { key: 'noticeDisputed', label: `公示期已于 ${end} 届满，异议处理中，暂不列入` };
  }
  return { key: 'inForce', label: '已列入' };
}

/** "法定代表人：张三；实际控制人：李四" — names only; the table holds no ID numbers to leak. */
export function personsText(persons: readonly ResponsiblePerson[]): string {
  const byRole = new Map<string, string[]>();
  for (const p of persons) byRole.set(RESPONSIBLE_ROLE_LABELS[p.role], [...(byRole.get(RESPONSIBLE_ROLE_LABELS[p.role]) ?? []), p.name]);
  return [...byRole].map(([label, names]) => `${label}：${names.join('、')}`).join('；');
}
