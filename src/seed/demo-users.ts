/** Demo accounts, published in the README; only demo databases get them. */
export type DemoRole = 'admin' | 'reviewer' | 'clerk';

export interface DemoUser {
  readonly username: string;
  /** Published in the README for the demo; the seed never resets a password that was changed. */
  readonly password: string;
  readonly displayName: string;
  readonly role: DemoRole;
  /** A shortName from DEPARTMENTS, or null for an account not tied to a department. */
  readonly department: string | null;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'admin', password: 'Admin12345!', displayName: '系统管理员', role: 'admin', department: null },
  { username: 'reviewer', password: 'Review12345!', displayName: '信用办审核员', role: 'reviewer', department: '市发改委' },
  { username: 'clerk', password: 'Clerk12345!', displayName: '市场监管局填报员', role: 'clerk', department: '市市场监管局' },
  { username: 'clerk2', password: 'Clerk12345!', displayName: '生态环境局填报员', role: 'clerk', department: '市生态环境局' },
];
