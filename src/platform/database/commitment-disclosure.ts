/**
 * Which 信用承诺 the public may see (docs/domain.md "Lists, commitments, reports"): those the promisor allowed to be
 * public (可向社会公开), except a broken one (部分履行 / 全部未履行) once 5 years have passed since its breach was
 * established (条例 Art. 19: adverse information is disclosed for at most 5 years). Its fulfilment is what the
 * record says, so it leaves the public surfaces whole rather than showing as if it were kept or still running.
 * One definition, as a Prisma filter and as SQL, for the public column and page, the profile, the report and objections.
 */
import { beijingToday, dateColumn } from '../../domain/dates.js';
import { archiveScanBound } from '../../domain/publicity/disclosure.js';

export const PUBLIC_COMMITMENT = '可向社会公开';

export function publicCommitmentWhere(today = beijingToday()) {
  // archiveScanBound(today) is the last day whose 5 years have ended by `today` (month ends handled).
  return { disclosure: PUBLIC_COMMITMENT, OR: [{ breachedOn: null }, { breachedOn: { gt: dateColumn(archiveScanBound(today)) } }] };
}

/** publicCommitmentWhere for raw SQL over a commitment `c`; `today` is a SQL date expression such as `$2::date`. */
export function publicCommitmentSql(today: string, alias = 'c'): string {
  return `${alias}.disclosure = '${PUBLIC_COMMITMENT}' AND (${alias}.breached_on IS NULL OR (${alias}.breached_on + interval '60 months')::date >= ${today})`;
}
