import { dummyPasswordHash, verifyPassword } from '../../platform/passwords.js';
import type { AuditLog } from '../../platform/audit.js';
import type { UserRepository } from './repository.js';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

export type LoginOutcome = { ok: true; user: Express.User } | { ok: false };

export class AuthService {
  constructor(
    private readonly users: UserRepository,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Every failure — unknown name, wrong password, disabled or locked account — looks the same to the
   * caller, so the sign-in page cannot be used to find out which accounts exist.
   */
  async login(usernameInput: string, password: string, ip: string | null): Promise<LoginOutcome> {
    const username = usernameInput.trim();
    const user = await this.users.findForLogin(username);
    if (!user) {
      await verifyPassword(await dummyPasswordHash(), password);
      await this.audit.record({ action: 'login.failure', username: username.slice(0, 64), ip, detail: { reason: 'unknown-user' } });
      return { ok: false };
    }
    if (user.lockedUntil && user.lockedUntil > new Date()) {
      await this.audit.record({ action: 'login.failure', userId: user.id, username, ip, detail: { reason: 'locked' } });
      return { ok: false };
    }
    const passwordOk = await verifyPassword(user.passwordHash, password);
    if (!passwordOk) {
      const { locked, failedLogins } = await this.users.recordFailure(user.id, MAX_FAILED_LOGINS, LOCK_MINUTES * 60_000);
      await this.audit.record({ action: 'login.failure', userId: user.id, username, ip, detail: { reason: 'bad-password', failedLogins } });
      if (locked) await this.audit.record({ action: 'login.locked', userId: user.id, username, ip, detail: { minutes: LOCK_MINUTES } });
      return { ok: false };
    }
    if (user.disabled) {
      await this.audit.record({ action: 'login.failure', userId: user.id, username, ip, detail: { reason: 'disabled' } });
      return { ok: false };
    }
    await this.users.recordSuccess(user.id);
    await this.audit.record({ action: 'login.success', userId: user.id, username, ip });
    return { ok: true, user: toSessionUser(user) };
  }

  async userForSession(id: number): Promise<Express.User | null> {
    const user = await this.users.findForSession(id);
    if (!user || user.disabled) return null;
    return toSessionUser(user);
  }
}

function toSessionUser(u: {
  id: number;
  username: string;
  displayName: string;
  role: Express.User['role'];
  departmentId: number | null;
  department: { name: string } | null;
}): Express.User {
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, departmentId: u.departmentId, departmentName: u.department?.name ?? null };
}
