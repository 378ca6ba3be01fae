import type { Db } from '../../platform/database/client.js';

export interface KeyRow {
  keyId: string;
  publicKey: string;
  status: 'active' | 'retired' | 'revoked';
  notBefore: Date;
  notAfter: Date;
}

const PUBLIC = { keyId: true, publicKey: true, status: true, notBefore: true, notAfter: true } as const;

/** The report signing keys. Only privateKeyOf reads a private key; every list returns public parts only. */
export class SigningKeyRepository {
  constructor(private readonly db: Db) {}

  list(): Promise<KeyRow[]> {
    return this.db.reportSigningKey.findMany({ select: PUBLIC, orderBy: { notBefore: 'asc' } });
  }

  async privateKeyOf(keyId: string): Promise<string | null> {
    return (await this.db.reportSigningKey.findUnique({ where: { keyId }, select: { privateKey: true } }))?.privateKey ?? null;
  }

  /**
   * Retires the active key(s) at `at` and stores the new one, in one transaction under an advisory lock so two
   * processes rotating at once leave one active key. `unless` skips the rotation when an active key valid at `at`
   * already exists (the lazy rotation of an expired key), returning null.
   */
  async rotate(next: KeyRow & { privateKey: string }, at: Date, opts: { unless?: 'valid-active' } = {}): Promise<KeyRow | null> {
    return this.db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('report_signing_key'))`;
      if (opts.unless === 'valid-active') {
        const valid = await tx.reportSigningKey.findFirst({
          where: { status: 'active', notBefore: { lte: at }, notAfter: { gt: at } },
          select: { keyId: true },
        });
        if (valid) return null;
      }
      // A retired key keeps its validity period: a process that has not yet seen the rotation may still sign with it
      // for a minute (ReportKeys' cache). Only revocation stops a key's signatures from verifying.
      await tx.reportSigningKey.updateMany({ where: { status: 'active' }, data: { status: 'retired' } });
      await tx.reportSigningKey.create({ data: next });
      return { keyId: next.keyId, publicKey: next.publicKey, status: next.status, notBefore: next.notBefore, notAfter: next.notAfter };
    });
  }

  async revoke(keyId: string): Promise<boolean> {
    const r = await this.db.reportSigningKey.updateMany({ where: { keyId }, data: { status: 'revoked' } });
    return r.count > 0;
  }
}
