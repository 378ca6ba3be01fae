import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { guardClient } from './pool.js';

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../../prisma/migrations');

// Any fixed number works; it only has to be the same for every process applying migrations to one database.
const LOCK_KEY = 720_631_001;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/**
 * Applies pending migrations the way `prisma migrate deploy` does, recording them in Prisma's own
 * `_prisma_migrations` table, so the Prisma CLI still agrees wherever its engine can be fetched.
 * Prisma 7's CLI needs a downloaded engine, which this offline build cannot have.
 */
export async function applyMigrations(databaseUrl: string, opts: { dir?: string; log?: (s: string) => void } = {}): Promise<string[]> {
  const log = opts.log ?? (() => {});
  const migrations = readMigrations(opts.dir);
  const client = guardClient(new pg.Client({ connectionString: databaseUrl }));
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
    );
    const done = new Map(rows.map((r) => [r.migration_name, r]));
    for (const m of migrations) {
      const prior = done.get(m.name);
      if (prior?.finished_at) {
        if (prior.checksum !== m.checksum) {
          // Prisma only warns here; we stop, because a silently edited migration means databases diverge.
          throw new Error(`迁移 ${m.name} 已执行过，但其文件已被修改（校验和不一致）。请新建迁移，而不是修改已发布的迁移。`);
        }
        continue;
      }
      if (prior) throw new Error(`迁移 ${m.name} 上次执行失败，需人工处理后再启动（见 _prisma_migrations 表）。`);
      const id = randomUUID();
      log(`应用数据库迁移 ${m.name}`);
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query(`INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ($1, $2, now(), $3, 1)`, [
          id,
          m.checksum,
          m.name,
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`迁移 ${m.name} 执行失败：${(err as Error).message}`);
      }
      applied.push(m.name);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => {});
    await client.end();
  }
  return applied;
}
