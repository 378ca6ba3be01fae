/**
 * What "in force" means for a red/black list entry (docs/domain.md "Lists"): published in an issue, not exited, and
 * valid on the day asked about. One definition, as a Prisma filter and as SQL, for the lists, the search badges, the
 * credit check, the API and objections.
 */
import { Prisma } from '../../generated/prisma/client.js';
import { beijingToday, dateColumn } from '../../domain/dates.js';

export function inForceWhere(today = beijingToday()) {
  return { exitedAt: null, validUntil: { gte: dateColumn(today) }, issue: { publishedAt: { not: null } } };
}

/** inForceWhere for raw SQL, over a list_entry `e` joined to its list_issue `i`. */
export function inForceSql(today = beijingToday()): Prisma.Sql {
  return Prisma.sql`e.exited_at IS NULL AND e.valid_until >= ${today}::date AND i.published_at IS NOT NULL`;
}
