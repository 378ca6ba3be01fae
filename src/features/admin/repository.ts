import type { Db } from '../../platform/database/client.js';
import type { Role } from '../../generated/prisma/enums.js';

export class AdminRepository {
  constructor(private readonly db: Db) {}

  listUsers() {
    return this.db.user.findMany({
      orderBy: [{ role: 'asc' }, { username: 'asc' }],
      select: {
        id: true,
        username: true,
        displayName: true,
        role: true,
        disabled: true,
        lockedUntil: true,
        lastLoginAt: true,
        department: { select: { name: true } },
      },
    });
  }

  usernameTaken(username: string) {
    return this.db.user.count({ where: { username } }).then((n) => n > 0);
  }

  createUser(data: { username: string; displayName: string; role: Role; departmentId: number | null; passwordHash: string }) {
    return this.db.user.create({ data, select: { id: true, username: true } });
  }

  /** Returns null when no such user exists, so the caller can answer 404. */
  async updateUser(
    id: number,
    data: { disabled?: boolean; lockedUntil?: null; failedLogins?: number; sessionEpoch?: { increment: number } },
  ): Promise<{ username: string } | null> {
    const found = await this.db.user.findUnique({ where: { id }, select: { id: true } });
    if (!found) return null;
    return this.db.user.update({ where: { id }, data, select: { username: true } });
  }

  passwordHashOf(id: number) {
    return this.db.user.findUnique({ where: { id }, select: { passwordHash: true } }).then((u) => u?.passwordHash ?? null);
  }

  /**
   * Sets a new password and raises the session epoch, which ends every session signed in with the old one; a reset
   * by an administrator also lifts a lock. Returns the new epoch.
   */
  async setPasswordHash(id: number, passwordHash: string, opts: { unlock?: boolean } = {}): Promise<number> {
    const unlock = opts.unlock ? { failedLogins: 0, lockedUntil: null } : {};
    const u = await this.db.user.update({ where: { id }, data: { passwordHash, sessionEpoch: { increment: 1 }, ...unlock }, select: { sessionEpoch: true } });
    return u.sessionEpoch;
  }

  userSummary(id: number) {
    return this.db.user.findUnique({ where: { id }, select: { id: true, username: true, displayName: true } });
  }

  departmentOptions() {
    return this.db.department.findMany({ where: { active: true }, orderBy: [{ level: 'asc' }, { id: 'asc' }], select: { id: true, name: true } });
  }

  departmentExists(id: number) {
    return this.db.department.count({ where: { id, active: true } }).then((n) => n > 0);
  }

  listDepartments() {
    return this.db.department.findMany({
      orderBy: [{ level: 'asc' }, { id: 'asc' }],
      select: {
        id: true,
        name: true,
        shortName: true,
        uscc: true,
        level: true,
        active: true,
        county: { select: { name: true } },
        _count: { select: { users: true } },
      },
    });
  }
}
