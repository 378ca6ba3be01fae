import { hash, verify } from '@node-rs/argon2';

// Algorithm.Argon2id; the enum is a `const enum`, which isolatedModules cannot import.
const ARGON2ID = 2;

// argon2id with OWASP's second recommended profile (19 MiB, t=2): milliseconds per sign-in, cheap for users, costly for
// guessers (docs/performance.md#process-settings).
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verifying against this when the user does not exist keeps the response time the same, so timing does not reveal names.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('no-such-user-' + Math.random());
  return dummyHash;
}

/** 至少 10 位，且含字母和数字 — the portal's minimum for back-office accounts. */
export function passwordProblem(password: string): string | null {
  if (password.length < 10) return '密码至少 10 位';
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return '密码须同时包含字母和数字';
  return null;
}
