import type { Db } from '../../platform/database/client.js';
import { dateColumn, isoDay } from '../../domain/dates.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { settledRead } from '../publication/repository.js';
import type { RemovalReason } from './snapshot.js';

/** Where a change-driven scan stands: feed cursor, time watermark, Beijing day, catalogue fingerprint. */
export interface ScanMarks {
  cursor: bigint;
  watermark: Date;
  day: string;
  catalogueHash: string;
}

/** The owner of a watch list: a department (back office) or an API key (webhooks). */
export type WatchOwner = { departmentId: number } | { apiKeyId: number };

const TX_OPTIONS = { maxWait: 10_000, timeout: 60_000 };

const ownerWhere = (o: WatchOwner) => ('departmentId' in o ? { departmentId: o.departmentId } : { apiKeyId: o.apiKeyId });

export interface NoticeFilter {
  /** department scope: undefined = every department's lists (the credit office) */
  departmentId?: number;
  listId?: number;
  type?: string;
  unread?: boolean;
}

/** Watch lists, their snapshots, notices and webhook deliveries. */
export class WatchRepository {
  constructor(private readonly db: Db) {}

  lists(scope: { departmentId?: number }) {
    return this.db.watchList.findMany({
      where: { apiKeyId: null, ...(scope.departmentId !== undefined ? { departmentId: scope.departmentId } : {}) },
      orderBy: { id: 'desc' },
      select: {
        id: true,
        name: true,
        departmentId: true,
        createdAt: true,
        department: { select: { name: true } },
        _count: { select: { items: true, notices: { where: { readAt: null } } } },
      },
    });
  }

  list(id: number) {
    return this.db.watchList.findUnique({ where: { id }, select: { id: true, name: true, departmentId: true, apiKeyId: true, createdAt: true } });
  }

  listByName(owner: WatchOwner, name: string) {
    return this.db.watchList.findFirst({ where: { ...ownerWhere(owner), name }, select: { id: true, name: true } });
  }

  /** The list's codes with the subject's name (when the platform has it), in code order. */
  async items(listId: number, take: number, skip: number) {
    const [rows, total] = await Promise.all([
      this.db.watchListItem.findMany({ where: { listId }, orderBy: { uscc: 'asc' }, take, skip, select: { uscc: true, addedAt: true } }),
      this.db.watchListItem.count({ where: { listId } }),
    ]);
    const subjects = await this.db.legalPerson.findMany({ where: { uscc: { in: rows.map((r) => r.uscc) } }, select: { uscc: true, name: true } });
    const names = new Map(subjects.map((s) => [s.uscc, s.name]));
    const snaps = await this.db.watchSnapshot.findMany({ where: { uscc: { in: rows.map((r) => r.uscc) } }, select: { uscc: true, computedAt: true } });
    const since = new Map(snaps.map((s) => [s.uscc, s.computedAt]));
    return { total, rows: rows.map((r) => ({ ...r, name: names.get(r.uscc) ?? null, watchedSince: since.get(r.uscc) ?? null })) };
  }

  async codes(listId: number): Promise<string[]> {
    return (await this.db.watchListItem.findMany({ where: { listId }, orderBy: { uscc: 'asc' }, select: { uscc: true } })).map((r) => r.uscc);
  }

  countItems(listId: number): Promise<number> {
    return this.db.watchListItem.count({ where: { listId } });
  }

  /** Creates the list (or finds it by name) and adds the codes; `replace` makes the codes the whole list. One transaction. */
  async saveList(
    owner: WatchOwner,
    name: string,
    codes: string[],
    opts: { replace: boolean; createdById: number | null },
  ): Promise<{ id: number; created: boolean }> {
    return this.db.$transaction(async (tx) => {
      const found = await tx.watchList.findFirst({ where: { ...ownerWhere(owner), name }, select: { id: true } });
      const id = found?.id ?? (await tx.watchList.create({ data: { ...ownerWhere(owner), name, createdById: opts.createdById }, select: { id: true } })).id;
      if (opts.replace) await tx.watchListItem.deleteMany({ where: { listId: id, uscc: { notIn: codes } } });
      await tx.watchListItem.createMany({ data: codes.map((uscc) => ({ listId: id, uscc })), skipDuplicates: true });
      return { id, created: !found };
      // 10,000 codes on a busy machine can exceed Prisma's default 5 s for an interactive transaction.
    }, TX_OPTIONS);
  }

  async removeCode(listId: number, uscc: string): Promise<boolean> {
    return (await this.db.watchListItem.deleteMany({ where: { listId, uscc } })).count > 0;
  }

  async deleteList(listId: number): Promise<void> {
    await this.db.$transaction([this.db.webhookDelivery.deleteMany({ where: { notice: { listId } } }), this.db.watchList.delete({ where: { id: listId } })]);
  }

  /** Every watched code, in code order, a page at a time (keyset). */
  async watchedCodes(after: string, take: number): Promise<string[]> {
    const rows = await this.db.watchListItem.findMany({
      where: { uscc: { gt: after } },
      distinct: ['uscc'],
      orderBy: { uscc: 'asc' },
      take,
      select: { uscc: true },
    });
    return rows.map((r) => r.uscc);
  }

  /** Where the last change-driven scan stopped; null before the first one (which then checks every watched code). */
  async scanState(): Promise<ScanMarks | null> {
    const s = await this.db.watchScanState.findUnique({ where: { id: 1 } });
    return s ? { cursor: s.eventCursor, watermark: s.changedSince, day: isoDay(s.day), catalogueHash: s.catalogueHash } : null;
  }

  /**
   * What this scan will be measured against, read under the feed lock (every event id up to `cursor` is committed):
   * the feed's cursor; the time watermark, the start of the oldest transaction still open (a row it has yet to commit
   * is stamped by the trigger with its start, so it cannot land before the mark); and the catalogue's fingerprint.
   */
  async scanMarks(): Promise<Omit<ScanMarks, 'day'>> {
    return settledRead(this.db, async (tx) => {
      const [row] = await tx.$queryRaw<{ cursor: bigint; watermark: Date; catalogue_hash: string }[]>`
        SELECT (SELECT coalesce(max(id), 0) FROM publication_event) AS cursor,
               LEAST(now(), (SELECT min(xact_start) FROM pg_stat_activity
                              WHERE datname = current_database() AND backend_type = 'client backend')) AS watermark,
               (SELECT md5(coalesce(string_agg(t, '|' ORDER BY t), ''))
                  FROM (SELECT ci::text AS t FROM catalogue_item ci UNION ALL SELECT cf::text FROM catalogue_field cf) c) AS catalogue_hash`;
      return { cursor: row!.cursor, watermark: row!.watermark, catalogueHash: row!.catalogue_hash };
    });
  }

  /**
   * The watched codes whose public view may have changed since `from`, in one statement: codes without a snapshot
   * or added to a list since the watermark; subjects with publication events after the cursor (a tombstone has no
   * subject key, so events are tied to their owner through publication_interval); subjects whose base data or whose
   * records' objections (异议处理中) changed since the watermark; and, when the Beijing day moved, subjects with an
   * interval that began or ended in between (a penalty's 公示截止期, an entry's 有效期至 or its start after the 公示期,
   * a broken commitment's 5 years: the view changes by time alone, before any job writes the event).
   * `all`: every watched code (the first scan, or the catalogue's 共享属性 changed).
   */
  async changedCodes(from: ScanMarks, to: Omit<ScanMarks, 'day'> & { day: string }, all: boolean): Promise<string[]> {
    // Each branch starts from what changed (index ranges on the event id and the change times) and only then asks
    // whether the subject is watched, so its cost follows the changes, not the number of subjects or codes.
    // The events are read on their own (MATERIALIZED): planned inside the joins, a short id range at the end of the
    // table was estimated at hundreds of rows and read by a sequential scan.
    const rows = await this.db.$queryRaw<{ uscc: string }[]>`
      WITH ev AS MATERIALIZED (
        SELECT item_kind, item_id, subject_key FROM publication_event WHERE id > ${from.cursor} AND id <= ${to.cursor}
      )
      SELECT i.uscc FROM watch_list_item i WHERE ${all} OR i.added_at >= ${from.watermark}
      UNION
      SELECT i.uscc FROM watch_list_item i WHERE NOT EXISTS (SELECT 1 FROM watch_snapshot s WHERE s.uscc = i.uscc)
      UNION
      SELECT lp.uscc FROM legal_person lp
       WHERE lp.updated_at >= ${from.watermark} AND EXISTS (SELECT 1 FROM watch_list_item i WHERE i.uscc = lp.uscc)
      UNION
      SELECT lp.uscc FROM ev e
        JOIN publication_interval pi ON pi.item_kind = e.item_kind AND pi.item_id = e.item_id
        JOIN legal_person lp ON lp.id = pi.legal_person_id
       WHERE EXISTS (SELECT 1 FROM watch_list_item i WHERE i.uscc = lp.uscc)
      UNION
      SELECT e.subject_key FROM ev e WHERE EXISTS (SELECT 1 FROM watch_list_item i WHERE i.uscc = e.subject_key)
      UNION
      SELECT lp.uscc FROM objection o
        LEFT JOIN penalty p ON p.id = o.penalty_id
        LEFT JOIN permit pm ON pm.id = o.permit_id
        LEFT JOIN list_entry le ON le.id = o.list_entry_id
        LEFT JOIN commitment c ON c.id = o.commitment_id
        JOIN legal_person lp ON lp.id = coalesce(p.legal_person_id, pm.legal_person_id, le.legal_person_id, c.legal_person_id)
       WHERE o.updated_at >= ${from.watermark} AND EXISTS (SELECT 1 FROM watch_list_item i WHERE i.uscc = lp.uscc)
      UNION
      SELECT lp.uscc FROM (SELECT DISTINCT uscc FROM watch_list_item) w
        JOIN legal_person lp ON lp.uscc = w.uscc
        JOIN publication_interval pi ON pi.legal_person_id = lp.id
       WHERE ${from.day}::date < ${to.day}::date
         AND ((pi.public_from > ${from.day}::date AND pi.public_from <= ${to.day}::date)
           OR (pi.public_until >= ${from.day}::date AND pi.public_until < ${to.day}::date))
      ORDER BY 1`;
    return rows.map((r) => r.uscc);
  }

  async saveScanState(marks: ScanMarks, now: Date): Promise<void> {
    const data = { eventCursor: marks.cursor, changedSince: marks.watermark, day: dateColumn(marks.day), catalogueHash: marks.catalogueHash, scannedAt: now };
    await this.db.watchScanState.upsert({ where: { id: 1 }, create: { id: 1, ...data }, update: data });
  }

  snapshots(usccs: string[]) {
    return this.db.watchSnapshot.findMany({ where: { uscc: { in: usccs } }, select: { uscc: true, content: true, hash: true } });
  }

  snapshot(uscc: string) {
    return this.db.watchSnapshot.findUnique({ where: { uscc } });
  }

  /**
   * Baselines: one INSERT for the page (500 upserts in one transaction outran Prisma's 5 s transaction limit on a
   * loaded machine); a code that got its snapshot meanwhile keeps it.
   */
  async saveSnapshots(rows: { uscc: string; content: string; hash: string }[], now: Date): Promise<void> {
    if (!rows.length) return;
    await this.db.watchSnapshot.createMany({
      data: rows.map((r) => ({ uscc: r.uscc, content: r.content, hash: r.hash, computedAt: now, changedAt: now })),
      skipDuplicates: true,
    });
  }

  async touchSnapshots(usccs: string[], now: Date): Promise<void> {
    if (usccs.length) await this.db.watchSnapshot.updateMany({ where: { uscc: { in: usccs } }, data: { computedAt: now } });
  }

  /** The lists watching a code, with their owner (a department or an API key with its webhook). */
  watchersOf(uscc: string) {
    return this.db.watchList.findMany({
      where: { items: { some: { uscc } } },
      select: { id: true, name: true, departmentId: true, apiKeyId: true, apiKey: { select: { revokedAt: true, webhook: { select: { url: true } } } } },
    });
  }

  /**
   * A detected change, in one transaction: the new snapshot, its evidence (kept once by hash), one notice per
   * watching list and, for an API key with a webhook, one pending delivery per notice (its body built by `body`).
   */
  async recordChange(input: {
    uscc: string;
    subjectName: string | null;
    content: string;
    hash: string;
    previousHash: string | null;
    types: string[];
    changes: Prisma.InputJsonValue;
    now: Date;
    deliveryBody: (notice: { id: number; listName: string }) => { id: string; body: string };
  }): Promise<number> {
    const watchers = await this.watchersOf(input.uscc);
    return this.db.$transaction(async (tx) => {
      await tx.watchSnapshot.upsert({
        where: { uscc: input.uscc },
        create: { uscc: input.uscc, content: input.content, hash: input.hash, computedAt: input.now, changedAt: input.now },
        update: { content: input.content, hash: input.hash, computedAt: input.now, changedAt: input.now },
      });
      await tx.watchEvidence.upsert({ where: { hash: input.hash }, create: { hash: input.hash, content: input.content }, update: {} });
      for (const w of watchers) {
        const notice = await tx.watchNotice.create({
          data: {
            listId: w.id,
            uscc: input.uscc,
            subjectName: input.subjectName,
            types: input.types,
            changes: input.changes,
            evidenceHash: input.hash,
            previousHash: input.previousHash,
            detectedAt: input.now,
          },
          select: { id: true },
        });
        const url = w.apiKey && !w.apiKey.revokedAt ? w.apiKey.webhook?.url : undefined;
        if (w.apiKeyId && url) {
          const d = input.deliveryBody({ id: notice.id, listName: w.name });
          await tx.webhookDelivery.create({
            data: { id: d.id, apiKeyId: w.apiKeyId, noticeId: notice.id, url, body: d.body, nextAttemptAt: input.now },
          });
        }
      }
      return watchers.length;
    }, TX_OPTIONS);
  }

  /** Why published penalties and permits left public view (only asked for records a snapshot lost). */
  async removalReasons(penaltyIds: number[], permitIds: number[]): Promise<Map<string, RemovalReason>> {
    const out = new Map<string, RemovalReason>();
    const why = (r: { repairedAt?: Date | null; revokedOn: Date | null; withdrawnAt: Date | null; leftPublicationAt?: Date | null }): RemovalReason =>
      r.repairedAt ? 'repaired' : r.revokedOn ? 'revoked' : r.withdrawnAt ? 'withdrawn' : r.leftPublicationAt ? 'expired' : 'other';
    if (penaltyIds.length) {
      const rows = await this.db.penalty.findMany({
        where: { id: { in: penaltyIds } },
        select: { id: true, repairedAt: true, revokedOn: true, withdrawnAt: true, leftPublicationAt: true },
      });
      for (const r of rows) out.set(`penalty:${r.id}`, why(r));
    }
    if (permitIds.length) {
      const rows = await this.db.permit.findMany({ where: { id: { in: permitIds } }, select: { id: true, revokedOn: true, withdrawnAt: true } });
      for (const r of rows) out.set(`permit:${r.id}`, why(r));
    }
    return out;
  }

  private noticeWhere(f: NoticeFilter): Prisma.WatchNoticeWhereInput {
    return {
      list: { apiKeyId: null, ...(f.departmentId !== undefined ? { departmentId: f.departmentId } : {}) },
      ...(f.listId ? { listId: f.listId } : {}),
      ...(f.type ? { types: { has: f.type } } : {}),
      ...(f.unread ? { readAt: null } : {}),
    };
  }

  async notices(f: NoticeFilter, take: number, skip: number) {
    const where = this.noticeWhere(f);
    const [rows, total] = await Promise.all([
      this.db.watchNotice.findMany({
        where,
        orderBy: [{ detectedAt: 'desc' }, { id: 'desc' }],
        take,
        skip,
        select: {
          id: true,
          uscc: true,
          subjectName: true,
          types: true,
          changes: true,
          evidenceHash: true,
          detectedAt: true,
          readAt: true,
          list: { select: { id: true, name: true, departmentId: true } },
        },
      }),
      this.db.watchNotice.count({ where }),
    ]);
    return { rows, total };
  }

  unreadCount(scope: { departmentId?: number }): Promise<number> {
    return this.db.watchNotice.count({ where: this.noticeWhere({ ...scope, unread: true }) });
  }

  notice(id: number) {
    return this.db.watchNotice.findUnique({
      where: { id },
      include: { list: { select: { id: true, name: true, departmentId: true, apiKeyId: true } }, evidence: true },
    });
  }

  /** Marks notices read; only those in scope (a clerk's own department) are touched. Returns how many. */
  async markRead(ids: number[], scope: { departmentId?: number }, now: Date): Promise<number> {
    return (await this.db.watchNotice.updateMany({ where: { id: { in: ids }, readAt: null, ...this.noticeWhere(scope) }, data: { readAt: now } })).count;
  }

  async markAllRead(f: NoticeFilter, now: Date): Promise<number> {
    return (await this.db.watchNotice.updateMany({ where: { ...this.noticeWhere(f), readAt: null }, data: { readAt: now } })).count;
  }

  // --- API keys: webhooks and deliveries ---

  apiKey(id: number) {
    return this.db.apiKey.findUnique({
      where: { id },
      select: { id: true, name: true, prefix: true, revokedAt: true, department: { select: { name: true } } },
    });
  }

  webhook(apiKeyId: number) {
    return this.db.apiWebhook.findUnique({ where: { apiKeyId }, select: { url: true, createdAt: true, updatedAt: true } });
  }

  async setWebhook(apiKeyId: number, url: string, secret: string): Promise<void> {
    await this.db.apiWebhook.upsert({ where: { apiKeyId }, create: { apiKeyId, url, secret }, update: { url, secret } });
  }

  async removeWebhook(apiKeyId: number): Promise<boolean> {
    return (await this.db.apiWebhook.deleteMany({ where: { apiKeyId } })).count > 0;
  }

  /** Deliveries whose next attempt is due, oldest first, with the secret that signs them. */
  dueDeliveries(now: Date, take: number) {
    return this.db.webhookDelivery.findMany({
      where: { status: 'pending', nextAttemptAt: { lte: now } },
      orderBy: { nextAttemptAt: 'asc' },
      take,
      select: { id: true, url: true, body: true, attempts: true, apiKey: { select: { revokedAt: true, webhook: { select: { secret: true } } } } },
    });
  }

  async recordAttempt(
    id: number | string,
    data: {
      status: string;
      attempts: number;
      nextAttemptAt: Date | null;
      lastAttemptAt: Date;
      lastStatusCode: number | null;
      lastError: string | null;
      responseExcerpt: string | null;
      deliveredAt: Date | null;
    },
  ): Promise<void> {
    await this.db.webhookDelivery.update({ where: { id: String(id) }, data });
  }

  async deliveries(apiKeyId: number, take: number, skip: number) {
    const [rows, total] = await Promise.all([
      this.db.webhookDelivery.findMany({
        where: { apiKeyId },
        orderBy: { createdAt: 'desc' },
        take,
        skip,
        select: {
          id: true,
          url: true,
          status: true,
          attempts: true,
          nextAttemptAt: true,
          lastAttemptAt: true,
          lastStatusCode: true,
          lastError: true,
          responseExcerpt: true,
          createdAt: true,
          deliveredAt: true,
          notice: { select: { uscc: true, subjectName: true, types: true } },
        },
      }),
      this.db.webhookDelivery.count({ where: { apiKeyId } }),
    ]);
    return { rows, total };
  }

  /** The notices of an API key's lists, newest first (the API's polling alternative to the webhook). */
  apiNotices(apiKeyId: number, take: number) {
    return this.db.watchNotice.findMany({
      where: { list: { apiKeyId } },
      orderBy: [{ detectedAt: 'desc' }, { id: 'desc' }],
      take,
      select: { id: true, uscc: true, subjectName: true, types: true, changes: true, evidenceHash: true, detectedAt: true, list: { select: { name: true } } },
    });
  }
}
