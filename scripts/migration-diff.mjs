// Writes the SQL that takes the database from one schema to another, offline, with Prisma 6's wasm
// engine (tools/prisma6). Usage:
//   node scripts/migration-diff.mjs <name>            new migration from the committed schema (git HEAD) to the working one
//   node scripts/migration-diff.mjs --print-full       SQL for the whole current schema (used by the drift test)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tools = path.join(root, 'tools/prisma6');
const cli = path.join(tools, 'node_modules/prisma/build/index.js');

function ensureTools() {
  if (existsSync(cli)) return;
  const r = spawnSync('npm', ['ci', '--prefix', tools, '--no-audit', '--no-fund', '--loglevel=error'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('installing tools/prisma6 failed');
}

// Prisma 6 still wants a url in the datasource block, and knows nothing of Prisma 7's generator options.
function asPrisma6(schemaText, dir, name) {
  const text = schemaText
    .replace(/generator client \{[\s\S]*?\n\}/, 'generator client {\n  provider = "prisma-client-js"\n}')
    .replace(/datasource db \{[\s\S]*?\n\}/, 'datasource db {\n  provider = "postgresql"\n  url = env("PRISMA6_DUMMY_URL")\n}');
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

export function diff(fromSchemaText, toSchemaText) {
  ensureTools();
  const dir = mkdtempSync(path.join(tmpdir(), 'prisma6-'));
  const dummy = path.join(dir, 'dummy');
  writeFileSync(dummy, '');
  const args = [cli, 'migrate', 'diff', '--script', '--config', path.join(tools, 'prisma.config.mjs')];
  if (fromSchemaText === null) args.push('--from-empty');
  else args.push('--from-schema-datamodel', asPrisma6(fromSchemaText, dir, 'from.prisma'));
  args.push('--to-schema-datamodel', asPrisma6(toSchemaText, dir, 'to.prisma'));
  const r = spawnSync(process.execPath, args, {
    cwd: tools,
    encoding: 'utf8',
    env: {
      ...process.env,
      PRISMA6_DUMMY_URL: 'postgresql://localhost/unused',
      PRISMA_QUERY_ENGINE_LIBRARY: dummy,
      PRISMA_SCHEMA_ENGINE_BINARY: dummy,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
    },
  });
  if (r.status !== 0) throw new Error(`prisma migrate diff failed:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const current = readFileSync(path.join(root, 'prisma/schema.prisma'), 'utf8');
  const arg = process.argv[2];
  if (arg === '--print-full') {
    process.stdout.write(diff(null, current));
  } else if (arg && /^[a-z0-9_]+$/.test(arg)) {
    const head = spawnSync('git', ['show', 'HEAD:prisma/schema.prisma'], { cwd: root, encoding: 'utf8' });
    const from = head.status === 0 ? head.stdout : null;
    const sql = diff(from, current);
    if (!sql.trim() || /This is an empty migration/.test(sql)) {
      console.log('schema.prisma matches HEAD: no migration needed');
      process.exit(0);
    }
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = path.join(root, 'prisma/migrations', `${stamp}_${arg}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'migration.sql'), sql);
    console.log(`wrote ${path.relative(root, dir)}/migration.sql — review it, add any hand-written SQL, commit`);
  } else {
    console.error('usage: node scripts/migration-diff.mjs <snake_case_name> | --print-full');
    process.exit(2);
  }
}
