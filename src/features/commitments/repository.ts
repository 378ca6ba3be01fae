import type { Db } from '../../platform/database/client.js';
import { containing } from '../../platform/database/like.js';
import { departmentScope } from '../../platform/access.js';
import { dateColumn } from '../../domain/dates.js';

/** What the public may see of commitments. */
export const PUBLIC = '可向社会公开';

/** The public column's filters, already checked. */
export interface CommitmentFilter {
  type?: string;
  dept?: number;
  from?: string;
  to?: string;
  q: string;
}

/** The reads and the fulfilment update of 信用承诺 (the writes of new commitments go through CommitmentService). */
export class CommitmentRepository {
  constructor(private readonly db: Db) {}

  /** One page of public commitments matching the filter, latest first, with their department's name, and how many match. */
  async publicPage(f: CommitmentFilter, page: number, pageSize: number) {
    const where = {
      disclosure: PUBLIC,
      ...(f.type ? { commitmentType: f.type } : {}),
      ...(f.dept ? { departmentId: f.dept } : {}),
      ...(f.from || f.to ? { madeOn: { ...(f.from ? { gte: dateColumn(f.from) } : {}), ...(f.to ? { lte: dateColumn(f.to) } : {}) } } : {}),
      ...(f.q ? { OR: [{ promisorName: { contains: containing(f.q) } }, { code: f.q }] } : {}),
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
    return this.db.commitment.findFirst({ where: { id, disclosure: PUBLIC }, include: { department: { select: { name: true } } } });
  }

  /** The latest 200 commitments the user's department accepted (all for the credit office). */
  latestFor(user: Express.User) {
    return this.db.commitment.findMany({ where: departmentScope(user), orderBy: { id: 'desc' }, take: 200 });
  }

  /** The department that accepted a commitment, or null when there is no such commitment. */
  async departmentOf(id: number): Promise<{ departmentId: number } | null> {
    return this.db.commitment.findUnique({ where: { id }, select: { departmentId: true } });
  }

  async updateFulfilment(id: number, data: { fulfilment: string; unfulfilledContent: string | null; liabilityPursued: string | null }): Promise<void> {
    await this.db.commitment.update({ where: { id }, data });
  }

  /** The region code of a department's county; null for a 市直 department (or none). */
  async departmentRegion(departmentId: number): Promise<string | null> {
    const dept = await this.db.department.findUnique({ where: { id: departmentId }, select: { county: { select: { code: true } } } });
    return dept?.county?.code ?? null;
  }
}
