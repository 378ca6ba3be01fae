import { createHash, randomBytes } from 'node:crypto';

/** A new API key: shown to the admin once; only its SHA-256 is stored. */
export function newApiKey(): { key: string; prefix: string; hash: string } {
  const key = `xxk_${randomBytes(32).toString('base64url')}`;
  return { key, prefix: key.slice(0, 12), hash: hashApiKey(key) };
}

// 256 random bits cannot be guessed, so a fast hash suffices (a slow one would only slow every API call).
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
