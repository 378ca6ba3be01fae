import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, appendFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations, MIGRATIONS_DIR, readMigrations } from '../../src/platform/database/migrate.js';
import { createEmptyDatabase, type TestDatabase } from '../helpers/db.js';

const root = path.resolve(import.meta.dirname, '../..');
const made: TestDatabase[] = [];
afterAll(async () => {
  await Promise.all(made.map((d) => d.drop()));
});

async function emptyDb(): Promise<TestDatabase> {
  const d = await createEmptyDatabase();
  made.push(d);
  return d;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

/**
 * Everything about the public schema that a migration can change, as sorted text lines, so two
 * databases built different ways can be compared (names included: Prisma relies on them).
 */
async function fingerprint(url: string): Promise<string[]> {
  const rows = await query<{ line: string }>(
    url,
    `
    SELECT format('column %s.%s %s null=%s default=%s', c.table_name, c.column_name,
                  format_type(a.atttypid, a.atttypmod), c.is_nullable, coalesce(c.column_default, '-')) AS line
      FROM information_schema.columns c
      JOIN pg_attribute a ON a.attrelid = format('%I.%I', c.table_schema, c.table_name)::regclass AND a.attname = c.column_name
     WHERE c.table_schema = 'public' AND c.table_name <> '_prisma_migrations'
    UNION ALL
    SELECT format('index %s', indexdef) FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'
    UNION ALL
    SELECT format('constraint %s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
      FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid <> 0 AND conrelid::regclass::text <> '_prisma_migrations'
    UNION ALL
    SELECT format('enum %s %s', t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder))
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid WHERE t.typnamespace = 'public'::regnamespace GROUP BY t.typname`,
  );
  return rows.map((r) => r.line).sort();
}

/**
 * Objects the migrations add by hand because Prisma's schema language cannot express them (e.g. generated
 * columns, expression indexes). Each entry says why; anything else that differs is drift.
 */
const HAND_WRITTEN: RegExp[] = [
  // Name search: single characters and bigrams of every legal person's name (20261127040711_search_and_reports).
  // Since …_name_grams_from_writers a plain column, sent by bulk writers or filled by a trigger.
  /^column legal_person\.name_grams /,
  /^index CREATE INDEX legal_person_name_grams_idx /,
  // Partial covering indexes of the public columns (…_public_list_indexes).
  /^index CREATE INDEX (penalty|permit)_public_(recent|dept|county)_idx /,
  // The natural-person link, indexed only where set (…_fewer_record_indexes).
  /^index CREATE INDEX (penalty|permit)_natural_person_idx /,
  // Partial indexes of the nightly expiry and archive scans (…_archive_dishonesty_access).
  /^index CREATE INDEX penalty_(expiry|archive)_due_idx /,
  // At most one open publication interval per item (…_publication_history).
  /^index CREATE UNIQUE INDEX publication_interval_open_key /,
  // Partial covering indexes of the name-first public lists (…_name_first_lists).
  /^index CREATE INDEX (penalty|permit)_public_name_idx /,
];

describe('migrations', () => {
  it('apply to an empty database once, recorded in Prisma’s own table with sha256 checksums', async () => {
    const db = await emptyDb();
    const first = await applyMigrations(db.url);
    expect(first).toEqual(readMigrations().map((m) => m.name));
    expect(first.length).toBeGreaterThan(0);
    expect(await applyMigrations(db.url)).toEqual([]);
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      db.url,
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(first);
    for (const r of rows) expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(rows.every((r) => r.finished_at)).toBe(true);
  });

  it('two processes applying at once do not both run a migration', async () => {
    const db = await emptyDb();
    const [a, b] = await Promise.all([applyMigrations(db.url), applyMigrations(db.url)]);
    expect([...a, ...b].sort()).toEqual(
      readMigrations()
        .map((m) => m.name)
        .sort(),
    );
  });

  it('refuse to start when an applied migration file was edited afterwards', async () => {
    const db = await emptyDb();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xx-mig-'));
    try {
      cpSync(MIGRATIONS_DIR, dir, { recursive: true });
      await applyMigrations(db.url, { dir });
      const first = readMigrations(dir)[0]!;
      appendFileSync(path.join(dir, first.name, 'migration.sql'), '\n-- edited\n');
      await expect(applyMigrations(db.url, { dir })).rejects.toThrow(/已被修改/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a broken migration is rolled back and named in the error', async () => {
    const db = await emptyDb();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xx-mig-'));
    try {
      cpSync(MIGRATIONS_DIR, dir, { recursive: true });
      cpSync(path.join(MIGRATIONS_DIR, readMigrations()[0]!.name), path.join(dir, '99990101000000_broken'), { recursive: true });
      appendFileSync(path.join(dir, '99990101000000_broken', 'migration.sql'), '\nSELECT no_such_function();\n');
      await expect(applyMigrations(db.url, { dir })).rejects.toThrow(/99990101000000_broken/);
      const rows = await query<{ n: string }>(db.url, `SELECT count(*) AS n FROM "_prisma_migrations" WHERE migration_name = '99990101000000_broken'`);
      expect(rows[0]!.n).toBe('0');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prisma/schema.prisma and the migrations describe the same database (drift check)', async () => {
    const viaMigrations = await emptyDb();
    await applyMigrations(viaMigrations.url);
    const viaSchema = await emptyDb();
    // Prisma 6's wasm engine renders the whole schema as SQL; it needs a reachable server even for this.
    const r = spawnSync(process.execPath, [path.join(root, 'scripts/migration-diff.mjs'), '--print-full'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: viaSchema.url },
    });
    expect(r.status, r.stderr).toBe(0);
    await query(viaSchema.url, r.stdout);
    const fromSchema = await fingerprint(viaSchema.url);
    const fromMigrations = (await fingerprint(viaMigrations.url)).filter((l) => !HAND_WRITTEN.some((re) => re.test(l)));
    const onlyInMigrations = fromMigrations.filter((l) => !fromSchema.includes(l));
    const onlyInSchema = fromSchema.filter((l) => !fromMigrations.includes(l));
    expect(
      { onlyInMigrations, onlyInSchema },
      'schema.prisma and prisma/migrations disagree: run `node scripts/migration-diff.mjs <name>` (README "Changing the schema")',
    ).toEqual({ onlyInMigrations: [], onlyInSchema: [] });
    expect(fromMigrations).toEqual(fromSchema);
    expect(fromSchema.some((l) => l.startsWith('index CREATE INDEX legal_person_org_code_idx'))).toBe(true);
  }, 60_000);

  it('the migration lock names PostgreSQL', () => {
    expect(readFileSync(path.join(MIGRATIONS_DIR, 'migration_lock.toml'), 'utf8')).toMatch(/provider = "postgresql"/);
  });
});
