// Report signing keys (docs/report-signing.md):
//   DATABASE_URL=… [REPORT_KEY_SECRET=…] npm run keys:rotate                 a new signing key; the active one becomes verify-only
//   DATABASE_URL=… [REPORT_KEY_SECRET=…] npm run keys:rotate -- --list       the keys and their state
//   DATABASE_URL=… npm run keys:rotate -- --revoke K20261203ABCD             a compromised key: its signatures stop verifying
// Production: node dist/cli/keys-rotate.js …  Web processes see a rotation within a minute (their key cache).
import { parseArgs } from 'node:util';
import { createPrisma } from '../platform/database/client.js';
import { applyMigrations } from '../platform/database/migrate.js';
import { AuditLog } from '../platform/audit.js';
import { SigningKeyRepository } from '../features/reports/key-repository.js';
import { DEFAULT_KEY_VALIDITY_DAYS, ReportKeys } from '../features/reports/keys.js';

const { values } = parseArgs({
  options: { list: { type: 'boolean' }, revoke: { type: 'string' }, days: { type: 'string' } },
  allowPositionals: false,
});
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('配置错误：环境变量 DATABASE_URL 未设置（应指向平台的数据库）');
  process.exit(1);
}
const secret = process.env.REPORT_KEY_SECRET || undefined;
if (secret !== undefined && secret.length < 32) {
  console.error('配置错误：环境变量 REPORT_KEY_SECRET 至少 32 个字符');
  process.exit(1);
}
if (process.env.NODE_ENV === 'production' && !secret) {
  console.error('配置错误：环境变量 REPORT_KEY_SECRET 生产环境必须设置（用于加密报告签名私钥）');
  process.exit(1);
}
const days = values.days === undefined ? DEFAULT_KEY_VALIDITY_DAYS : Number(values.days);
if (!Number.isInteger(days) || days < 1 || days > 3660) {
  console.error('参数错误：--days 应为 1–3660 之间的整数（密钥有效天数）');
  process.exit(1);
}

await applyMigrations(url);
const db = createPrisma(url, { max: 1 });
const repo = new SigningKeyRepository(db);
const keys = new ReportKeys(repo, { secret, validityDays: days });
const audit = new AuditLog(db);
const label = { active: '签发中', retired: '仅用于核验', revoked: '已吊销' } as const;
try {
  if (values.revoke) {
    const done = await keys.revoke(values.revoke);
    if (!done) {
      console.error(`没有编号为 ${values.revoke} 的报告签名密钥`);
      process.exitCode = 1;
    } else {
      await audit.record({ action: 'signing-key.revoke', username: 'cli', targetType: 'signing-key', targetId: values.revoke });
      process.stdout.write(`已吊销报告签名密钥 ${values.revoke}：其签名的报告不再能通过核验\n`);
    }
  } else if (!values.list) {
    const created = await keys.rotate();
    await audit.record({ action: 'signing-key.rotate', username: 'cli', targetType: 'signing-key', targetId: created!.keyId, detail: { days } });
    process.stdout.write(`新的报告签名密钥 ${created!.keyId}，有效期至 ${created!.notAfter.toISOString()}；此前的密钥改为仅用于核验\n`);
  }
  for (const k of await repo.list()) {
    process.stdout.write(`${k.keyId}\t${label[k.status]}\t${k.notBefore.toISOString()} — ${k.notAfter.toISOString()}\t${k.publicKey}\n`);
  }
} finally {
  await db.$disconnect();
}
