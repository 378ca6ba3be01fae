import type { Db } from '../../platform/database/client.js';
import { AuthorityList } from '../../domain/publicity/authorities.js';

export interface AuthorityData {
  name: string;
  uscc: string;
  aliases: string[];
  permits: boolean;
  penalties: boolean;
}

const ADMIN_SELECT = { id: true, name: true, uscc: true, aliases: true, permits: true, penalties: true, active: true } as const;

/** The department → authorities mapping (table department_authority). */
export class AuthorityRepository {
  constructor(private readonly db: Db) {}

  /** What a department's records may name: its active authorities, its own first. */
  async reportable(departmentId: number): Promise<AuthorityList> {
    const rows = await this.db.departmentAuthority.findMany({
      where: { departmentId, active: true },
      orderBy: { id: 'asc' },
      select: { name: true, uscc: true, aliases: true, permits: true, penalties: true },
    });
    return new AuthorityList(rows);
  }

  department(id: number) {
    return this.db.department.findUnique({ where: { id }, select: { id: true, name: true, uscc: true, active: true } });
  }

  /** Every row, removed ones too (they explain records reported while they were on the list). */
  listForAdmin(departmentId: number) {
    return this.db.departmentAuthority.findMany({ where: { departmentId }, orderBy: [{ active: 'desc' }, { id: 'asc' }], select: ADMIN_SELECT });
  }

  /**
   * Adds the authority, or — when the department already has this code — changes its name, aliases and kinds and
   * puts it back on the list. Returns what was there before, for the audit log.
   */
  async save(departmentId: number, data: AuthorityData) {
    return this.db.$transaction(async (tx) => {
      const before = await tx.departmentAuthority.findUnique({ where: { departmentId_uscc: { departmentId, uscc: data.uscc } }, select: ADMIN_SELECT });
      const saved = await tx.departmentAuthority.upsert({
        where: { departmentId_uscc: { departmentId, uscc: data.uscc } },
        create: { departmentId, ...data },
        update: { ...data, active: true },
        select: ADMIN_SELECT,
      });
      return { before, saved };
    });
  }

  /** Takes the authority off the department's list; null when the department has no such row. */
  async remove(departmentId: number, id: number) {
    const found = await this.db.departmentAuthority.findFirst({ where: { id, departmentId }, select: ADMIN_SELECT });
    if (!found) return null;
    if (found.active) await this.db.departmentAuthority.update({ where: { id }, data: { active: false } });
    return found;
  }

  /** Active authorities per department, for the department list. */
  async countsByDepartment(): Promise<Map<number, number>> {
    const rows = await this.db.departmentAuthority.groupBy({ by: ['departmentId'], where: { active: true }, _count: { _all: true } });
    return new Map(rows.map((r) => [r.departmentId, r._count._all]));
  }
}
