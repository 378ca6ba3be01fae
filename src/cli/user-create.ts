// Creates a back-office account from the command line (the first admin of a fresh production database).
//   DATABASE_URL=… npm run user:create -- --username admin --name 管理员 [--role admin] [--department 市发改委]
// The password is read from USER_PASSWORD or asked for on the terminal, never taken from argv (shell history).
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline/promises';
import { createPrisma } from '../platform/database/client.js';
import { applyMigrations } from '../platform/database/migrate.js';
import { hashPassword, passwordProblem } from '../platform/passwords.js';
import { ROLES, type Role } from '../platform/access.js';

function fail(msg: string): never {
  console.error(msg);
  process.exit(1);
}

const { values } = parseArgs({
  options: {
    username: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', default: 'admin' },
    department: { type: 'string' },
  },
});

const url = process.env.DATABASE_URL;
if (!url) fail('配置错误：环境变量 DATABASE_URL 未设置（应指向要创建用户的数据库）');
if (!values.username || !/^[a-z][a-z0-9_.-]{2,63}$/.test(values.username))
  fail('参数错误：--username 必填，3–64 位小写字母、数字、下划线、点或连字符，以字母开头');
if (!ROLES.includes(values.role as Role)) fail(`参数错误：--role 只能是 ${ROLES.join('、')}`);

let password = process.env.USER_PASSWORD;
if (!password) {
  if (!process.stdin.isTTY) fail('请通过环境变量 USER_PASSWORD 提供密码，或在终端中运行以交互输入');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  password = await rl.question('密码（至少 10 位，含字母和数字）：');
  rl.close();
}
const problem = passwordProblem(password);
if (problem) fail(`密码不符合要求：${problem}`);

await applyMigrations(url);
const db = createPrisma(url, { max: 1 });
try {
  let departmentId: number | null = null;
  if (values.department) {
    const d = await db.department.findFirst({ where: { OR: [{ name: values.department }, { shortName: values.department }] }, select: { id: true } });
    if (!d) fail(`参数错误：找不到部门“${values.department}”`);
    departmentId = d.id;
  }
  if (values.role === 'clerk' && departmentId === null) fail('参数错误：部门填报员（clerk）必须用 --department 指定部门');
  if (await db.user.findUnique({ where: { username: values.username } })) fail(`用户 ${values.username} 已存在`);
  const user = await db.user.create({
    data: {
      username: values.username,
      displayName: values.name ?? values.username,
      role: values.role as Role,
      departmentId,
      passwordHash: await hashPassword(password),
    },
  });
  await db.auditLog.create({
    data: {
      action: 'user.create',
      username: 'cli',
      targetType: 'user',
      targetId: String(user.id),
      detail: { username: user.username, role: user.role, via: 'user:create' },
    },
  });
  process.stdout.write(`已创建用户 ${user.username}（${user.role}）\n`);
} finally {
  await db.$disconnect();
}
