// `prisma generate` offline: Prisma 7's CLI wants a schema-engine binary it cannot download here,
// but generate never runs it, so any existing file satisfies the check.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schema = path.join(root, 'prisma/schema.prisma');
const out = path.join(root, 'src/generated/prisma');
const stamp = path.join(out, '.schema-sha256');
const hash = createHash('sha256').update(readFileSync(schema)).digest('hex');

// Skip when the client is already generated from this very schema: keeps `npm start` fast.
if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash && !process.argv.includes('--force')) process.exit(0);

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) env.PRISMA_SCHEMA_ENGINE_BINARY = schema;
const bin = path.join(root, 'node_modules/prisma/build/index.js');
const r = spawnSync(process.execPath, [bin, 'generate', '--no-hints'], { cwd: root, env, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
mkdirSync(out, { recursive: true });
writeFileSync(stamp, hash);
