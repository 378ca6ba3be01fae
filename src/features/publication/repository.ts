import type { Db } from '../../platform/database/client.js';
import { Prisma } from '../../generated/prisma/client.js';

/**
 * The advisory lock every writer of publication_event holds (shared) until it commits; the feed takes it exclusively
 * for a moment before it reads. Event ids come from a sequence, so a transaction that drew id 10 may commit after
 * one that drew id 11: without the lock a reader could hand out cursor 11 and the mirror would never see 10. Once
 * the exclusive lock is granted, every id drawn so far is committed, and any id drawn later is larger.
 */
const FEED_LOCK = 1717001;
const FEED_WAIT_MS = 2000;

export type PublicationItemKind = 'penalty' | 'permit' | 'list_entry' | 'commitment';

/** One feed item: a publication or update (with the public fields) or a tombstone (no payload, no subject key). */
export interface FeedEvent {
  cursor: string;
  occurredAt: string;
  effectiveOn: string;
  kind: PublicationItemKind;
  id: number;
  subjectKey: string | null;
  event: string;
  reason: string | null;
  payload: Record<string, unknown> | null;
}

/** An item public on a given day, with its public fields as they were shown that day. */
export interface PublicOn {
  kind: PublicationItemKind;
  id: number;
  legalPersonId: number | null;
  payload: Record<string, unknown>;
}

interface EventRow {
  id: bigint;
  occurred_at: Date;
  effective_on: Date;
  item_kind: PublicationItemKind;
  item_id: number;
  subject_key: string | null;
  event: string;
  reason: string | null;
  payload: Record<string, unknown> | null;
}

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Thrown when a writer holds the feed lock for longer than the feed waits (a large import committing). */
export class FeedBusyError extends Error {}

/**
 * Runs `read` once every event id drawn so far is committed (see FEED_LOCK), for the feed and for any other reader
 * that keeps a cursor (the watch scan). The lock is tried, never waited for: a waiting exclusive request would queue
 * writers behind it, and a writer that waits on another's row lock could then close a deadlock through the reader.
 * Tried for up to FEED_WAIT_MS, then FeedBusyError (the route's 503).
 */
export function settledRead<T>(db: Db, read: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return db.$transaction(
    async (tx) => {
      for (const started = Date.now(); ;) {
        const got = await tx.$queryRaw<{ ok: boolean }[]>`SELECT pg_try_advisory_xact_lock(${FEED_LOCK}::bigint) AS ok`;
        if (got[0]?.ok) break;
        if (Date.now() - started > FEED_WAIT_MS) throw new FeedBusyError('feed busy');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return read(tx);
    },
    { timeout: FEED_WAIT_MS + 3000 },
  );
}

/** Publication history (issue #17): the feed's reads and the as-of reads of publication_interval. */
export class PublicationRepository {
  constructor(private readonly db: Db) {}

  private settled<T>(read: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    return settledRead(this.db, read);
  }

  /** The feed's current cursor: a mirror that has applied every event up to it has the portal's public view. */
  async currentCursor(): Promise<string> {
    return this.settled(async (tx) => {
      const rows = await tx.$queryRaw<{ max: bigint | null }[]>`SELECT max(id) AS max FROM publication_event`;
      return String(rows[0]?.max ?? 0n);
    });
  }

  /** Up to `limit` events after cursor `since`, oldest first, and whether more follow. */
  async changes(since: bigint, limit: number): Promise<{ items: FeedEvent[]; next: string; hasMore: boolean }> {
    const rows = await this.settled(
      (tx) => tx.$queryRaw<EventRow[]>`
        SELECT id, occurred_at, effective_on, item_kind::text AS item_kind, item_id, subject_key, event, reason, payload
          FROM publication_event WHERE id > ${since} ORDER BY id LIMIT ${limit + 1}`,
    );
    const page = rows.slice(0, limit);
    const items = page.map((r) => ({
      cursor: String(r.id),
      occurredAt: r.occurred_at.toISOString(),
      effectiveOn: day(r.effective_on),
      kind: r.item_kind,
      id: r.item_id,
      subjectKey: r.subject_key,
      event: r.event,
      reason: r.reason,
      payload: r.payload,
    }));
    return { items, next: page.length ? String(page[page.length - 1]!.id) : String(since), hasMore: rows.length > limit };
  }

  /**
   * What was public on `onDay` (a Beijing day), from the stored intervals: an item counts when the day lies in one of
   * its intervals, with the fields that interval recorded. Nothing here depends on when the nightly jobs ran.
   */
  async publicOn(onDay: string, opts: { kinds: PublicationItemKind[]; legalPersonIds?: number[] }): Promise<PublicOn[]> {
    const who = opts.legalPersonIds ? Prisma.sql`AND legal_person_id = ANY(${opts.legalPersonIds}::int[])` : Prisma.empty;
    const rows = await this.db.$queryRaw<
      { item_kind: PublicationItemKind; item_id: number; legal_person_id: number | null; payload: Record<string, unknown> }[]
    >`
      SELECT item_kind::text AS item_kind, item_id, legal_person_id, payload FROM publication_interval
       WHERE item_kind::text = ANY(${opts.kinds}::text[]) ${who}
         AND public_from <= ${onDay}::date AND (public_until IS NULL OR public_until >= ${onDay}::date)
       ORDER BY item_kind, item_id`;
    return rows.map((r) => ({ kind: r.item_kind, id: r.item_id, legalPersonId: r.legal_person_id, payload: r.payload }));
  }

  /**
   * The public view at a known cursor, taken in one snapshot: every item whose current interval covers `today`, with
   * its fields, and the cursor a mirror continues the feed from.
   */
  async snapshot(today: string): Promise<{ cursor: string; items: PublicOn[] }> {
    return this.settled(async (tx) => {
      // one snapshot for both reads (REPEATABLE READ would need the isolation level before the lock's statement)
      const rows = await tx.$queryRaw<{ cursor: bigint | null; items: PublicOn[] | null }[]>`
        SELECT (SELECT max(id) FROM publication_event) AS cursor,
               (SELECT jsonb_agg(jsonb_build_object('kind', item_kind, 'id', item_id, 'legalPersonId', legal_person_id, 'payload', payload)
                                 ORDER BY item_kind, item_id)
                  FROM publication_interval
                 WHERE stop_reason IS NULL AND public_from <= ${today}::date AND (public_until IS NULL OR public_until >= ${today}::date)) AS items`;
      return { cursor: String(rows[0]?.cursor ?? 0n), items: rows[0]?.items ?? [] };
    });
  }

  /** The first day the history covers (the earliest day anything was public). */
  async historyStart(): Promise<string | null> {
    const rows = await this.db.$queryRaw<{ first: Date | null }[]>`SELECT min(public_from) AS first FROM publication_interval`;
    return rows[0]?.first ? day(rows[0].first) : null;
  }
}
