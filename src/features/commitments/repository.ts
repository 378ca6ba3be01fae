import type { Db } from '../../platform/database/client.js';
import { containing } from '../../platform/database/like.js';
import { departmentScope } from '../../platform/access.js';
import { dateColumn } from '../../domain/dates.js';
import { PUBLIC_COMMITMENT, publicCommitmentWhere } from '../../platform/database/commitment-disclosure.js';

/** What the public may see of commitments. */
export const PUBLIC = PUBLIC_COMMITMENT;

/** The public column's filters, already checked. */
export interface CommitmentFilter {
  type?: string;
  dept?: number;
  from?: string;
  to?: string;
  q: string;
  /** false when the catalogue keeps 承诺编码 off public pages: the keyword then matches the name only. */
  searchCode?: boolean;
}

/** The reads and the fulfilment update of 信用承诺 (the writes of new commitments go through CommitmentService). */
export class CommitmentRepository {
  constructor(private readonly db: Db) {}

  /** One page of public commitments matching the filter, latest first, with their department's name, and how many match. */
  async publicPage(f: CommitmentFilter, page: number, pageSize: number) {
    // AND, not a spread: both the public rule and the keyword are ORs.
    const where = {
      AND: [
        publicCommitmentWhere(),
        ...(f.q ? [{ OR: [{ promisorName: { contains: containing(f.q) } }, ...(f.searchCode === false ? [] : [{ code: f.q }])] }] : []),
      ],
      ...(f.type ? { commitmentType: f.type } : {}),
      ...(f.dept ? { departmentId: f.dept } : {}),
      ...(f.from || f.to ? { madeOn: { ...(f.from ? { gte: dateColumn(f.from) } : {}), ...(f.to ? { lte: dateColumn(f.to) } : {}) } } : {}),
    };
    const [rows, total] = await Promise.all([
      this.db.commitment.findMany({
        where,
        orderBy: [{ madeOn: 'desc' }, { id: 'desc' }],
        skip: (page - 1) * pageSize,
        take: pageSize,
        include: { department: { select: { name: true } } },
      }),
      this.db.commitment.count({ where }),
    ]);
    return { rows, total };
  }

  /** One public commitment with its department's name, or null. */
  publicOne(id: number) {
    return this.db.commitment.findFirst({ where: { id, ...publicCommitmentWhere() }, include: { department: { select: { name: true } } } });
  }

  /** The latest 200 commitments the user's department accepted (all for the credit office). */
  latestFor(user: Express.User) {
    return this.db.commitment.findMany({ where: departmentScope(user), orderBy: { id: 'desc' }, take: 200 });
  }

  /** The department that accepted a commitment, or null when there is no such commitment. */
  async departmentOf(id: number): Promise<{ departmentId: number } | null> {
    return this.db.commitment.findUnique({ where: { id }, select: { departmentId: true } });
  }

  /**
   * Records the fulfilment; a breach (部分履行 / 全部未履行) is established on `today` (Beijing), from which its 5 years
   * of disclosure run (条例 Art. 19). Recording it again keeps the first day.
   */
  async updateFulfilment(
    id: number,
    data: { fulfilment: string; unfulfilledContent: string | null; liabilityPursued: string | null },
    today: string,
  ): Promise<void> {
    const broken = data.fulfilment === '部分履行' || data.fulfilment === '全部未履行';
    await this.db.$transaction(async (tx) => {
      const before = await tx.commitment.findUnique({ where: { id }, select: { breachedOn: true } });
      await tx.commitment.update({ where: { id }, data: { ...data, breachedOn: broken ? (before?.breachedOn ?? dateColumn(today)) : null } });
    });
  }

  /** The region code of a department's county; null for a 市直 department (or none). */
  async departmentRegion(departmentId: number): Promise<string | null> {
    const dept = await this.db.department.findUnique({ where: { id: departmentId }, select: { county: { select: { code: true } } } });
    return dept?.county?.code ?? null;
  }
}
