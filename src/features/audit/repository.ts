import type { Db } from '../../platform/database/client.js';
import { containing } from '../../platform/database/like.js';
import type { Prisma } from '../../generated/prisma/client.js';

export interface AuditFilter {
  user?: string;
  action?: string;
  from?: Date;
  /** inclusive calendar day: entries before the next midnight */
  toExclusive?: Date;
  departmentId?: number;
}

export class AuditRepository {
  constructor(private readonly db: Db) {}

  private where(f: AuditFilter): Prisma.AuditLogWhereInput {
    return {
      ...(f.user ? { username: { contains: containing(f.user) } } : {}),
      ...(f.action ? { action: f.action } : {}),
      ...(f.from || f.toExclusive ? { at: { ...(f.from ? { gte: f.from } : {}), ...(f.toExclusive ? { lt: f.toExclusive } : {}) } } : {}),
      ...(f.departmentId !== undefined ? { user: { departmentId: f.departmentId } } : {}),
    };
  }

  async page(f: AuditFilter, page: number, pageSize: number) {
    const where = this.where(f);
    const [rows, total] = await Promise.all([
      this.db.auditLog.findMany({
        where,
        orderBy: { id: 'desc' },
        skip: (page - 1) * pageSize,
        take: pageSize,
        select: { id: true, at: true, username: true, action: true, targetType: true, targetId: true, ip: true, detail: true },
      }),
      this.db.auditLog.count({ where }),
    ]);
    return { rows, total };
  }
}
