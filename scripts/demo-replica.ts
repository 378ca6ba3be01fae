/**
 * npm run demo:replica — the portal on a primary and a streaming standby, to try by hand (docs/deploy.md#replicas).
 *
 * Makes a throw-away primary with the demo data and a standby of it (pg_basebackup -R) with the PostgreSQL server
 * binaries (PG_BIN, default /usr/lib/postgresql/15/bin), starts the app on both (DEMO_PORT, default 3000) and
 * prints which server answers. Sign in as clerk / Clerk12345! and publish a record: the back office reads the
 * primary; the public page in a private window reads the standby. Keys: p pauses the standby's replay (the
 * page stays stale until the lag passes REPLICA_MAX_LAG_MS, then comes from the primary), r resumes it, s stops
 * the standby (pages still served, from the primary), q quits and removes both clusters.
 */
import { createApp } from '../src/app.js';
import { buildDeps } from '../src/deps.js';
import { applyMigrations } from '../src/platform/database/migrate.js';
import { createPrisma } from '../src/platform/database/client.js';
import { createHttpServer } from '../src/platform/http-server.js';
import pg from 'pg';
import { seedDemo } from '../src/seed/subjects.js';
import { seedDemoRecords } from '../src/seed/records.js';
import { PG_BIN, createReplicaPair, pgBinariesPresent } from './replica-cluster.js';

if (!pgBinariesPresent()) {
  console.error(`错误：未找到 PostgreSQL 服务器程序（${PG_BIN}），请安装 postgresql-15 或设置 PG_BIN。`);
  process.exit(1);
}

const port = Number(process.env.DEMO_PORT ?? 3000);
const maxLagMs = Number(process.env.REPLICA_MAX_LAG_MS ?? 5000);
const pair = await createReplicaPair({
  log: (l) => console.log(`[集群] ${l}`),
  prepare: async (url) => {
    await applyMigrations(url, { log: console.log });
    const db = createPrisma(url, { max: 2 });
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    try {
      await seedDemo(db, { log: console.log });
      await seedDemoRecords(db, pool, { log: console.log });
    } finally {
      await db.$disconnect();
      await pool.end();
    }
  },
});

const deps = buildDeps(pair.primaryUrl, { replicaUrls: [pair.standbyUrl], replicaMaxLagMs: maxLagMs });
await deps.holidays.load();
const app = createApp(deps, { env: 'development', sessionSecret: 'demo-replica-secret-demo-replica-secret' });
const server = createHttpServer(app);
await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));

const standby = new pg.Client({ connectionString: pair.standbyUrl });
await standby.connect();
standby.on('error', () => {});

let last = { replica: 0, primary: 0, retried: 0 };
const report = () => {
  const s = deps.replicas!.served;
  const state = deps.replicas!.state()[0]!;
  console.log(
    `副本 ${state.url}：${state.healthy ? '可用' : `不可用（${state.reason ?? ''}）`}，延迟 ${state.lagMs ?? '—'} ms；` +
      `上次以来语句：副本 ${s.replica - last.replica}、主库 ${s.primary - last.primary}、改由主库重试 ${s.retried - last.retried}`,
  );
  last = { ...s };
};

console.log(`
信用新乡（主库 + 流复制只读副本）：http://localhost:${port}
  主库 ${pair.primaryUrl}
  副本 ${pair.standbyUrl}
  以 clerk / Clerk12345! 登录后台报送一条行政处罚；后台和已登录用户读主库，
  在无痕窗口打开 http://localhost:${port}/publicity/penalties 的匿名访问读副本。
  按键：p 暂停副本回放，r 恢复，s 停止副本，q 退出并删除两个集群。
`);
const timer = setInterval(report, 5000);

let quitting = false;
const quit = async () => {
  if (quitting) return;
  quitting = true;
  clearInterval(timer);
  server.close();
  await standby.end().catch(() => {});
  await deps.close();
  await pair.cleanup();
  console.log('已关闭，临时集群已删除');
  process.exit(0);
};
process.on('SIGINT', () => void quit());
process.on('SIGTERM', () => void quit());

if (process.stdin.isTTY) process.stdin.setRawMode(true);
process.stdin.setEncoding('utf8');
process.stdin.on('data', (key: string) => {
  const k = key.trim().toLowerCase();
  const act = async () => {
    if (k === 'p') await standby.query('SELECT pg_wal_replay_pause()').then(() => console.log('副本回放已暂停'));
    else if (k === 'r') await standby.query('SELECT pg_wal_replay_resume()').then(() => console.log('副本回放已恢复'));
    else if (k === 's') await pair.stopStandby().then(() => console.log('副本已停止（pg_ctl stop -m immediate）'));
    else if (k === 'q' || key === '\u0003') await quit();
  };
  act().catch((err: unknown) => console.error(`操作失败：${(err as Error).message}`));
});
