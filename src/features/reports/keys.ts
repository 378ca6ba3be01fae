import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { beijingToday, compactDay } from '../../domain/dates.js';
import type { SigningKeyRepository } from './key-repository.js';
import { newKeyPair, type PublicKeyInfo, type SigningKey } from './signing.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** A key signs for two years unless rotated earlier; its reports verify for ever after (docs/report-signing.md). */
export const DEFAULT_KEY_VALIDITY_DAYS = 730;
/** How long a process trusts its copy of the public keys before reading them again (a rotation by the CLI elsewhere). */
const KEY_CACHE_MS = 60_000;

export class SigningKeyError extends Error {}

export function newKeyId(now: Date): string {
  let tail = '';
  for (const b of randomBytes(4)) tail += ALPHABET[b & 31];
  return `K${compactDay(beijingToday(now))}${tail}`;
}

function aesKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'credit-xinxiang', 'report-signing-key', 32));
}

/** The stored form of a private key: AES-256-GCM under REPORT_KEY_SECRET, or plain where none is set (development). */
export function sealPrivateKey(privateKey: string, secret: string | undefined): string {
  if (!secret) return `plain:${privateKey}`;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', aesKey(secret), iv);
  const ct = Buffer.concat([cipher.update(privateKey, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), ct.toString('base64')].join(':');
}

export function openPrivateKey(stored: string, secret: string | undefined): string {
  if (stored.startsWith('plain:')) return stored.slice(6);
  const [v, iv, tag, ct] = stored.split(':');
  if (v !== 'v1' || !iv || !tag || !ct) throw new SigningKeyError('报告签名私钥的存储格式无法识别');
  if (!secret) throw new SigningKeyError('报告签名私钥已加密存储，但未设置环境变量 REPORT_KEY_SECRET');
  try {
    const decipher = createDecipheriv('aes-256-gcm', aesKey(secret), Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new SigningKeyError('无法解密报告签名私钥：环境变量 REPORT_KEY_SECRET 与加密时的不一致');
  }
}

/**
 * The platform's SM2 keys: the active one signs, every one not revoked verifies. The first report issued on an
 * empty database creates a key; an expired active key is replaced the same way, so signing never stops.
 */
export class ReportKeys {
  private cache: { at: number; keys: PublicKeyInfo[] } | null = null;
  private signer: { key: SigningKey; notAfter: Date; at: number } | null = null;

  constructor(
    private readonly repo: SigningKeyRepository,
    private readonly opts: { secret?: string | undefined; validityDays?: number } = {},
  ) {}

  /** The published keys, from a per-process copy at most a minute old (no database read per verification). */
  async publicKeys(opts: { fresh?: boolean } = {}): Promise<PublicKeyInfo[]> {
    if (!opts.fresh && this.cache && Date.now() - this.cache.at < KEY_CACHE_MS) return this.cache.keys;
    const keys = await this.repo.list();
    this.cache = { at: Date.now(), keys };
    return keys;
  }

  /** The key to sign with at `now`, creating one when no active key is valid then. */
  async signingKey(now: Date = new Date()): Promise<SigningKey> {
    if (this.signer && now < this.signer.notAfter && Date.now() - this.signer.at < KEY_CACHE_MS) return this.signer.key;
    let active = (await this.publicKeys({ fresh: true })).find((k) => k.status === 'active' && k.notBefore <= now && now < k.notAfter);
    if (!active) {
      await this.rotate(now, { unless: 'valid-active' });
      active = (await this.publicKeys({ fresh: true })).find((k) => k.status === 'active' && k.notBefore <= now && now < k.notAfter);
      if (!active) throw new SigningKeyError('没有可用的报告签名密钥');
    }
    const stored = await this.repo.privateKeyOf(active.keyId);
    if (!stored) throw new SigningKeyError(`报告签名密钥 ${active.keyId} 缺少私钥`);
    const key = { keyId: active.keyId, publicKey: active.publicKey, privateKey: openPrivateKey(stored, this.opts.secret) };
    this.signer = { key, notAfter: active.notAfter, at: Date.now() };
    return key;
  }

  /** A new active key from `now`; the previous one becomes verify-only (npm run keys:rotate). */
  async rotate(at: Date = new Date(), opts: { unless?: 'valid-active' } = {}): Promise<PublicKeyInfo | null> {
    // whole seconds, as the QR code states issue times: a report issued in the key's first second is within it
    const now = new Date(Math.floor(at.getTime() / 1000) * 1000);
    const pair = newKeyPair();
    const days = this.opts.validityDays ?? DEFAULT_KEY_VALIDITY_DAYS;
    const created = await this.repo.rotate(
      {
        keyId: newKeyId(now),
        publicKey: pair.publicKey,
        privateKey: sealPrivateKey(pair.privateKey, this.opts.secret),
        status: 'active',
        notBefore: now,
        notAfter: new Date(now.getTime() + days * 86_400_000),
      },
      now,
      opts,
    );
    this.signer = null;
    this.cache = null;
    return created;
  }

  async revoke(keyId: string): Promise<boolean> {
    const done = await this.repo.revoke(keyId);
    this.signer = null;
    this.cache = null;
    return done;
  }
}
