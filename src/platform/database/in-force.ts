/**
 * What "in force" means for a red/black list entry (docs/domain.md "Lists" and "List procedures"): published in an
 * issue, not exited, not withdrawn, valid on the day asked about, and — for a red-list entry with a 公示期 (条例
 * Art. 28) — past its notice period without an objection still open (confirmed by the nightly job, or not yet
 * confirmed but already due: the pages are right even before the job runs). One definition, as a Prisma filter and
 * as SQL, for the lists, the search badges, the credit check, the API and objections.
 */
import { Prisma } from '../../generated/prisma/client.js';
import { beijingToday, dateColumn } from '../../domain/dates.js';
import { OPEN_OBJECTION_STATUSES, OPEN_OBJECTION_STATUSES_SQL } from '../../domain/objections.js';

export function inForceWhere(today = beijingToday()) {
  return {
    exitedAt: null,
    withdrawnAt: null,
    validUntil: { gte: dateColumn(today) },
    issue: { publishedAt: { not: null } },
    OR: [
      { noticeEndsOn: null },
      { confirmedAt: { not: null } },
      { noticeEndsOn: { lt: dateColumn(today) }, objections: { none: { status: { in: [...OPEN_OBJECTION_STATUSES] } } } },
    ],
  };
}

/**
 * Black-list entries in force on `today` of a subject (legal or natural person): the exception of 条例 Art. 19.
 * AND, not a spread: inForceWhere has an OR of its own (the notice period) that the subject's OR must not replace.
 * Null when the subject is in neither library (then it is on no list).
 */
export function blackListOfWhere(subject: { legalPersonId: number | null; naturalPersonId: number | null }, today = beijingToday()) {
  const who = [
    ...(subject.legalPersonId ? [{ legalPersonId: subject.legalPersonId }] : []),
    ...(subject.naturalPersonId ? [{ naturalPersonId: subject.naturalPersonId }] : []),
  ];
  return who.length ? { AND: [{ listType: 'black' as const, OR: who }, inForceWhere(today)] } : null;
}

/**
 * A red-list entry in its 公示期 on `today`: published, neither confirmed, withdrawn nor exited, and either inside
 * the period or past it with an objection still open (it is confirmed only once that objection is settled).
 */
export function inNoticeWhere(today = beijingToday()) {
  return {
    exitedAt: null,
    withdrawnAt: null,
    confirmedAt: null,
    noticeEndsOn: { not: null },
    issue: { publishedAt: { not: null } },
    OR: [{ noticeEndsOn: { gte: dateColumn(today) } }, { objections: { some: { status: { in: [...OPEN_OBJECTION_STATUSES] } } } }],
  };
}

/** inForceWhere for raw SQL, over a list_entry `e` joined to its list_issue `i`. */
export function inForceSql(today = beijingToday()): Prisma.Sql {
  return Prisma.sql`e.exited_at IS NULL AND e.withdrawn_at IS NULL AND e.valid_until >= ${today}::date AND i.published_at IS NOT NULL
    AND (e.notice_ends_on IS NULL OR e.confirmed_at IS NOT NULL OR (e.notice_ends_on < ${today}::date AND NOT EXISTS (
      SELECT 1 FROM objection o WHERE o.list_entry_id = e.id AND o.status IN ${Prisma.raw(OPEN_OBJECTION_STATUSES_SQL)})))`;
}

/** The same for a pg query text, `day` being the placeholder of the day asked about (e.g. `$2::date`). */
export function inForceSqlText(day: string): string {
  return `e.exited_at IS NULL AND e.withdrawn_at IS NULL AND e.valid_until >= ${day} AND i.published_at IS NOT NULL
    AND (e.notice_ends_on IS NULL OR e.confirmed_at IS NOT NULL OR (e.notice_ends_on < ${day} AND NOT EXISTS (
      SELECT 1 FROM objection o WHERE o.list_entry_id = e.id AND o.status IN ${OPEN_OBJECTION_STATUSES_SQL})))`;
}
