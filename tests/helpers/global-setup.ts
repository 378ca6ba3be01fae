import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './processes.js';
import type { TestProject } from 'vitest/node';
import { startEmbedded, type EmbeddedDatabase } from '../../src/platform/database/embedded.js';
import { applyMigrations } from '../../src/platform/database/migrate.js';
import { installQueueSchema } from '../../src/platform/queue.js';

/** One template per run (its process id in the name), so two runs against the same server never drop each other's. */
const TEMPLATE_DB = `xx_test_template_${process.pid}`;

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of a maintenance database on the test server; test files create their own databases through it. */
    adminUrl: string;
    /** The database every test file clones: all migrations applied. */
    templateDb: string;
  }
}

let embedded: EmbeddedDatabase | null = null;
let dataDir: string | null = null;

/**
 * Integration tests run on a real PostgreSQL: the one DATABASE_URL names (CI uses the machine's
 * PostgreSQL 15), else a throw-away embedded server. Migrations are applied once to a template database
 * that each test file clones, which takes milliseconds.
 */
export async function setup(project: TestProject): Promise<void> {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'xx-test-pg-'));
    // As root, initdb runs as a separate system user that must be able to enter this folder.
    chmodSync(dataDir, 0o755);
    const port = await freePort();
    embedded = await startEmbedded({ dir: path.join(dataDir, 'pg'), port, database: 'postgres' });
    adminUrl = embedded.url;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`);
    const { rows } = await admin.query<{ server_version: string }>('SHOW server_version');
    process.stderr.write(`integration tests on PostgreSQL ${rows[0]?.server_version} (${embedded ? 'embedded' : 'DATABASE_URL'})\n`);
  } finally {
    await admin.end();
  }
  await applyMigrations(withDatabase(adminUrl, TEMPLATE_DB));
  // pg-boss's schema and queues once, in the template: each cloned database has them without installing its own.
  await installQueueSchema(withDatabase(adminUrl, TEMPLATE_DB));
  project.provide('adminUrl', adminUrl);
  project.provide('templateDb', TEMPLATE_DB);
  templateAdminUrl = adminUrl;
}

let templateAdminUrl: string | null = null;

export async function teardown(): Promise<void> {
  if (templateAdminUrl && !embedded) {
    const admin = new pg.Client({ connectionString: templateAdminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`).finally(() => admin.end());
  }
  await embedded?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
