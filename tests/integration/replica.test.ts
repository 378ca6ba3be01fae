import request from 'supertest';
import type { Express } from 'express';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { buildDeps, type AppDeps } from '../../src/deps.js';
import { applyMigrations } from '../../src/platform/database/migrate.js';
import { recordSchema } from '../../src/domain/publicity/schemas.js';
import { PG_BIN, createReplicaPair, pgBinariesPresent, type ReplicaPair } from '../../scripts/replica-cluster.js';
import { seedUsers, sessionUser, signIn } from '../helpers/app.js';
import { rawRecord } from '../helpers/records.js';

/**
 * Public pages read from a real streaming standby (pg_basebackup -R of a throw-away primary), fall back to the
 * primary when it lags past REPLICA_MAX_LAG_MS or is gone, and a signed-in user always reads the primary.
 */
const present = pgBinariesPresent();
if (!present) process.stderr.write(`replica test skipped: PostgreSQL server binaries not found in ${PG_BIN} (set PG_BIN)\n`);

const MAX_LAG_MS = 1500;
let pair: ReplicaPair | undefined;
let deps: AppDeps;
let app: Express;
let clerk: Express.User;
let standby: pg.Client;

beforeAll(async () => {
  if (!present) return;
  const made = await createReplicaPair({
    track: (p) => (pair = p),
    prepare: async (url) => void (await applyMigrations(url)),
  });
  deps = buildDeps(made.primaryUrl, {
    logLevel: 'silent',
    poolMax: 3,
    replicaUrls: [made.standbyUrl],
    replicaMaxLagMs: MAX_LAG_MS,
    // The test runs each health check itself, so what it sees does not depend on the machine's speed.
    replicaCheckMs: 3_600_000,
  });
  clerk = sessionUser(await seedUsers(deps));
  app = createApp(deps, { env: 'test', sessionSecret: 'replica-test-secret-replica-test-secret-01' });
  standby = new pg.Client({ connectionString: made.standbyUrl });
  await standby.connect();
}, 180_000);

afterAll(async () => {
  await standby?.end().catch(() => {});
  await deps?.close();
  await pair?.cleanup();
});

async function publish(name: string, documentNo: string): Promise<void> {
  const saved = await deps.publicity.saveOne('penalty', recordSchema('penalty').parse(rawRecord('penalty', { subjectName: name, documentNo })), clerk, null);
  expect(saved.ok).toBe(true);
  // The public counts are cached per process; a clerk's save clears them the same way.
  deps.publicityRepo.forgetCounts();
}

const listUrl = (q: string) => `/publicity/penalties?q=${encodeURIComponent(q)}`;

/** The standby's state after a health check run now. */
async function checked() {
  await deps.replicas!.check();
  return deps.replicas!.state()[0]!;
}

async function eventually(what: string, fn: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out: ${what} (replicas: ${JSON.stringify(deps.replicas?.state())})`);
}

describe.skipIf(!present)('public reads from a streaming replica', () => {
  it('a record published on the primary shows on the public page read from the standby', async () => {
    await eventually('the standby is found healthy', async () => (await checked()).healthy);
    await publish('新乡市副本一号有限公司', '副本罚〔2026〕1号');
    const before = deps.replicas!.served.replica;
    await eventually('the record reaches the public page', async () => (await request(app).get(listUrl('副本一号'))).text.includes('新乡市副本一号有限公司'));
    expect(deps.replicas!.served.replica).toBeGreaterThan(before);
  });

  it('while the standby lags, anonymous pages show its older state until the lag passes the bound; a clerk reads the primary', async () => {
    await standby.query('SELECT pg_wal_replay_pause()');
    await publish('新乡市副本二号有限公司', '副本罚〔2026〕2号');
    // The check samples the primary's WAL position past the record: the standby is behind it, but only just.
    expect(await checked()).toMatchObject({ healthy: true, lagMs: expect.any(Number) });
    const signedIn = await signIn(app, 't-clerk');
    // A signed-in user reads their own write at once, from the primary, on the same public page.
    expect((await signedIn.get(listUrl('副本二号'))).text).toContain('新乡市副本二号有限公司');
    // An anonymous visitor is served by the paused standby, which has not replayed the record: the marker that the
    // read came from it.
    const stale = await request(app).get(listUrl('副本二号'));
    expect(stale.status).toBe(200);
    expect(stale.text).not.toContain('新乡市副本二号有限公司');
    // Past the bound the standby is set aside and the page comes from the primary.
    await new Promise((r) => setTimeout(r, MAX_LAG_MS + 100));
    const lagging = await checked();
    expect(lagging.healthy).toBe(false);
    expect(lagging.lagMs).toBeGreaterThan(MAX_LAG_MS);
    expect(lagging.reason).toContain('超过上限');
    expect((await request(app).get(listUrl('副本二号'))).text).toContain('新乡市副本二号有限公司');
    await standby.query('SELECT pg_wal_replay_resume()');
    await eventually('the standby is used again once it caught up', async () => (await checked()).healthy);
  });

  it('with the standby stopped, the public pages are still served, from the primary', async () => {
    await standby.end();
    expect((await checked()).healthy).toBe(true);
    await pair!.stopStandby();
    // Still believed healthy until the next check: the first statement fails on it and is run again on the primary.
    const retried = deps.replicas!.served.retried;
    for (const url of [listUrl('副本'), '/search?q=' + encodeURIComponent('副本'), '/publicity', '/']) {
      const res = await request(app).get(url);
      expect(res.status, url).toBe(200);
    }
    expect((await request(app).get(listUrl('副本'))).text).toContain('新乡市副本二号有限公司');
    expect(deps.replicas!.served.retried).toBeGreaterThan(retried);
    expect(deps.replicas!.state()[0]!.healthy).toBe(false);
    expect((await checked()).reason).toContain('无法连接');
  });
});
