import type { Db } from '../../platform/database/client.js';

const SESSION_USER_SELECT = {
  id: true,
  username: true,
  displayName: true,
  role: true,
  departmentId: true,
  disabled: true,
  sessionEpoch: true,
  department: { select: { name: true } },
} as const;

export class UserRepository {
  constructor(private readonly db: Db) {}

  findForLogin(username: string) {
    return this.db.user.findUnique({
      where: { username },
      select: { ...SESSION_USER_SELECT, passwordHash: true, failedLogins: true, lockedUntil: true },
    });
  }

  findForSession(id: number) {
    return this.db.user.findUnique({ where: { id }, select: SESSION_USER_SELECT });
  }

  /** Counts a failure atomically; returns the new count so concurrent attempts cannot both slip under the limit. */
  async recordFailure(id: number, maxAttempts: number, lockMs: number): Promise<{ failedLogins: number; locked: boolean }> {
    const user = await this.db.user.update({ where: { id }, data: { failedLogins: { increment: 1 } }, select: { failedLogins: true } });
    if (user.failedLogins >= maxAttempts) {
      await this.db.user.update({ where: { id }, data: { lockedUntil: new Date(Date.now() + lockMs), failedLogins: 0 } });
      return { failedLogins: user.failedLogins, locked: true };
    }
    return { failedLogins: user.failedLogins, locked: false };
  }

  recordSuccess(id: number) {
    return this.db.user.update({ where: { id }, data: { failedLogins: 0, lockedUntil: null, lastLoginAt: new Date() } });
  }
}
