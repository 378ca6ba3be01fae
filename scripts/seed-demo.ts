/**
 * npm run seed:demo — prepares a database for a demo: migrations, Xinxiang's counties and
 * departments, the demo accounts and a few thousand subjects. Safe to run again: it only adds what
 * is missing and never resets a password.
 */
import { applyMigrations } from '../src/platform/database/migrate.js';
import { createPrisma } from '../src/platform/database/client.js';
import pg from 'pg';
import { seedDemo } from '../src/seed/subjects.js';
import { seedDemoRecords } from '../src/seed/records.js';
import { seedDemoDeadlines } from '../src/seed/deadlines.js';
import { seedDemoLists } from '../src/seed/lists.js';
import { seedDemoColumns } from '../src/seed/columns.js';
import path from 'node:path';
import { seedDemoFeedback } from '../src/seed/feedback.js';
import { DEMO_USERS } from '../src/seed/demo-users.js';
import { buildDeps } from '../src/deps.js';

const url = process.env.DATABASE_URL?.trim();
if (!url) {
  console.error('错误：未设置环境变量 DATABASE_URL（应形如 postgresql://user:password@host:5432/dbname）');
  process.exit(1);
}

// Demo accounts have published passwords: a production database must never get them by accident.
if (process.env.NODE_ENV === 'production' && !process.argv.includes('--i-know-this-is-production')) {
  console.error('错误：NODE_ENV=production 时拒绝写入演示数据（演示账号的密码是公开的）。');
  process.exit(1);
}

const started = performance.now();
try {
  await applyMigrations(url, { log: console.log });
  const db = createPrisma(url, { max: 2 });
  try {
    const { created, updated } = await seedDemo(db, { log: console.log });
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    try {
      await seedDemoRecords(db, pool, { log: console.log });
      await seedDemoDeadlines(db, { log: console.log });
      await seedDemoLists(db, { log: console.log });
      // Article attachments go where the app reads them: UPLOAD_DIR, with the app's default.
      await seedDemoColumns(db, pool, { uploadDir: path.resolve(process.env.UPLOAD_DIR?.trim() || 'data/uploads'), log: console.log });
      await seedDemoFeedback(db, { log: console.log });
    } finally {
      await pool.end();
    }
    // The open-data job once, so /open-data lists a day of files before the first scheduled run (into UPLOAD_DIR too).
    const deps = buildDeps(url, { logLevel: 'warn', uploadDir: path.resolve(process.env.UPLOAD_DIR?.trim() || 'data/uploads') });
    try {
      const { date, written } = await deps.openData.publish();
      console.log(written ? `开放数据文件已生成（${date}）` : `开放数据文件已存在（${date}）`);
    } finally {
      await deps.close();
    }
    const total = Object.values(created).reduce((a, b) => a + b, 0);
    console.log(
      `完成（${((performance.now() - started) / 1000).toFixed(1)} 秒）：新增县（市、区）${created.counties}、部门 ${created.departments}、账号 ${created.users}、` +
        `法人 ${created.legalPersons}、自然人 ${created.naturalPersons}；更正县（市、区）${updated.counties}、部门 ${updated.departments}` +
        (total === 0 ? '。数据已是最新，未做改动。' : '。'),
    );
    if (created.users > 0) {
      // The passwords are documented in README.md's demo section, and nowhere else.
      console.log(`演示账号：${DEMO_USERS.map((u) => u.username).join('、')}（密码见 README.md“Demo accounts”；仅用于演示环境）`);
    }
  } finally {
    await db.$disconnect();
  }
} catch (err) {
  console.error(`填充演示数据失败：${(err as Error).message}`);
  process.exitCode = 1;
}
