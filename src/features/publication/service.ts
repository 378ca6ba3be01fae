import { z } from 'zod';
import { beijingToday, dateColumn } from '../../domain/dates.js';
import type { FeedEvent, PublicationRepository, PublicOn } from './repository.js';

export type { FeedEvent, PublicOn, PublicationItemKind } from './repository.js';
export { FeedBusyError } from './repository.js';

export const FEED_MAX_LIMIT = 1000;
const FEED_DEFAULT_LIMIT = 100;

const feedQuery = z.object({
  since: z
    .string({ error: '请提供 since 参数（上次读取返回的 next；首次读取为 0）' })
    .regex(/^\d{1,18}$/, { error: 'since 应为上次读取返回的 next（非负整数），首次读取为 0' }),
  limit: z
    .string({ error: `limit 应为 1 至 ${FEED_MAX_LIMIT} 的整数` })
    .regex(/^\d{1,4}$/, { error: `limit 应为 1 至 ${FEED_MAX_LIMIT} 的整数` })
    .refine((v) => Number(v) >= 1 && Number(v) <= FEED_MAX_LIMIT, { error: `limit 应为 1 至 ${FEED_MAX_LIMIT} 的整数` })
    .optional(),
});

/** The feed's query string, or the Chinese message of what is wrong with it. */
export function parseFeedQuery(query: unknown): { ok: true; since: bigint; limit: number } | { ok: false; error: string } {
  const q = (query ?? {}) as Record<string, unknown>;
  const first = (v: unknown) => (Array.isArray(v) ? '\u0000' : v);
  const parsed = feedQuery.safeParse({ since: first(q.since), limit: first(q.limit) });
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]!.message };
  return { ok: true, since: BigInt(parsed.data.since), limit: parsed.data.limit ? Number(parsed.data.limit) : FEED_DEFAULT_LIMIT };
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * An as-of day (YYYY-MM-DD, Beijing): a real calendar day, not in the future, not before the history starts.
 * Empty means "today, as of now" (null). Today itself is answered from the live reads (callers compare with today).
 */
export function checkAsOf(
  value: unknown,
  historyStart: string | null,
  today = beijingToday(),
): { ok: true; day: string | null } | { ok: false; error: string } {
  if (value === undefined || value === null || value === '') return { ok: true, day: null };
  if (typeof value !== 'string') return { ok: false, error: '核查日期应为 YYYY-MM-DD 格式的日期' };
  const m = DAY.exec(value.trim());
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !d || d.toISOString().slice(0, 10) !== value.trim()) return { ok: false, error: '核查日期应为 YYYY-MM-DD 格式的有效日期，如 2026-01-31' };
  const asked = value.trim();
  if (asked > today) return { ok: false, error: `核查日期不能晚于今天（${today}）` };
  if (!historyStart || asked < historyStart)
    return { ok: false, error: historyStart ? `平台的公示历史自 ${historyStart} 起，核查日期不能早于该日` : '平台尚无公示历史，只能核查今天的情况' };
  return { ok: true, day: asked };
}

/** 「截至 YYYY年MM月DD日」 for reports that answer as of a day. */
export function asOfLabel(day: string): string {
  const [y, m, d] = day.split('-');
  return `截至 ${y}年${m}月${d}日`;
}

/**
 * What a mirror shows on `today` after applying the feed: the latest state of every item, minus tombstoned items,
 * items whose effective day has not come (a red-list entry in its 公示期) and items whose own last public day has
 * passed (the nightly job writes their tombstone the night after). The same rule the portal's pages apply.
 */
export function mirrorView(state: ReadonlyMap<string, FeedEvent>, today: string): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const [key, e] of state) {
    if (!e.payload || e.effectiveOn > today) continue;
    const last = (e.payload.publicityEndDate ?? (e.kind === 'list_entry' ? e.payload.validUntil : undefined)) as string | undefined;
    if (last && last < today) continue;
    out.set(key, e.payload);
  }
  return out;
}

/** The as-of reads' stand-in for today's open objections: one when the day's payload carried the mark. */
function disputedThen(i: PublicOn): { id: number }[] {
  return i.payload.objectionPending === true ? [{ id: 0 }] : [];
}

/** Applies feed events to a mirror's state (item key → its latest event). */
export function applyFeed(state: Map<string, FeedEvent>, events: readonly FeedEvent[]): void {
  for (const e of events) state.set(`${e.kind}:${e.id}`, e);
}

/** Publication history: the public changes feed and "what was public on day D". */
export class PublicationService {
  private start: Promise<string | null> | null = null;

  constructor(private readonly repo: PublicationRepository) {}

  /** The feed cursor now (for the bulk files' manifest: the feed continues from it). */
  currentCursor(): Promise<string> {
    return this.repo.currentCursor();
  }

  changes(since: bigint, limit: number) {
    return this.repo.changes(since, limit);
  }

  snapshot(today = beijingToday()) {
    return this.repo.snapshot(today);
  }

  publicOn(day: string, opts: Parameters<PublicationRepository['publicOn']>[1]): Promise<PublicOn[]> {
    return this.repo.publicOn(day, opts);
  }

  /** Intervals only ever start today or later, so the first day is read once per process (until one exists). */
  async historyStart(): Promise<string | null> {
    this.start ??= this.repo.historyStart();
    const v = await this.start;
    if (v === null) this.start = null;
    return v;
  }

  async checkAsOf(value: unknown, today = beijingToday()) {
    return checkAsOf(value, await this.historyStart(), today);
  }

  /**
   * Red/black-list entries in force on a past day, with the fields shown that day, shaped like today's reads; an
   * entry shown 异议处理中 that day carries an objection (the history keeps the mark, not the case).
   */
  async entriesInForceOn(legalPersonIds: number[], day: string) {
    const items = legalPersonIds.length ? await this.repo.publicOn(day, { kinds: ['list_entry'], legalPersonIds }) : [];
    return items
      .map((i) => ({
        legalPersonId: i.legalPersonId,
        listType: (i.payload.listType === 'black' ? 'black' : 'red') as 'red' | 'black',
        issue: { title: String(i.payload.issue ?? '') },
        basisDocNo: String(i.payload.basisDocNo ?? ''),
        basisAuthority: String(i.payload.basisAuthority ?? ''),
        basisDate: dateColumn(String(i.payload.basisDate)),
        validUntil: dateColumn(String(i.payload.validUntil)),
        reason: String(i.payload.reason ?? ''),
        objections: disputedThen(i),
      }))
      .sort((a, b) => b.basisDate.getTime() - a.basisDate.getTime());
  }

  /** 严重 penalties public on a past day, with the fields they were shown with that day, newest decision first. */
  async seriousPenaltiesOn(legalPersonIds: number[], day: string) {
    const items = legalPersonIds.length ? await this.repo.publicOn(day, { kinds: ['penalty'], legalPersonIds }) : [];
    return items
      .filter((i) => i.payload.tier === 'serious')
      .map((i) => ({
        legalPersonId: i.legalPersonId,
        documentNo: String(i.payload.documentNo ?? ''),
        decisionDate: dateColumn(String(i.payload.decisionDate)),
        authority: String(i.payload.authority ?? ''),
        penaltyCategories: (i.payload.penaltyCategories as string[] | undefined) ?? [],
        fineAmount: (i.payload.fineAmount as string | undefined) ?? null,
        publicUntil: dateColumn(String(i.payload.publicityEndDate)),
        objections: disputedThen(i),
      }))
      .sort((a, b) => b.decisionDate.getTime() - a.decisionDate.getTime());
  }
}
