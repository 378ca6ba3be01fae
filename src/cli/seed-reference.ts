// Writes Xinxiang's reference data — the county-level areas, the reporting departments and the authorities each
// reports for — into a database, without any demo subject, record or account. A fresh production database needs it
// before the first clerk can be created (user:create --department …). Idempotent: a second run writes nothing.
//   DATABASE_URL=… npm run seed:reference        (production: node dist/cli/seed-reference.js)
import { createPrisma } from '../platform/database/client.js';
import { applyMigrations } from '../platform/database/migrate.js';
import { seedReference } from '../seed/subjects.js';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('配置错误：环境变量 DATABASE_URL 未设置（应指向要写入基础数据的数据库）');
  process.exit(1);
}
await applyMigrations(url);
const db = createPrisma(url, { max: 1 });
try {
  const r = await seedReference(db);
  process.stdout.write(
    `基础数据：新增县（市、区）${r.created.counties} 个、部门 ${r.created.departments} 个、可报送机关 ${r.created.authorities} 个、严重程度认定规则 ${r.created.tierRules} 条、信息目录项 ${r.created.catalogueItems} 个；` +
      `校正县（市、区）${r.updated.counties} 个、部门 ${r.updated.departments} 个\n`,
  );
} finally {
  await db.$disconnect();
}
