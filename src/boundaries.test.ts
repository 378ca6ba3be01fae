import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The rules of .dependency-cruiser.cjs hold for the code, and each of them fails on a deliberate violation.
const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'node_modules/.bin/depcruise');

function violations(targets: string[]): { rule: string; from: string; to: string }[] {
  const r = spawnSync(bin, [...targets, '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (!r.stdout) throw new Error(`depcruise failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
  return out.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

const eslintBin = path.join(root, 'node_modules/.bin/eslint');

/** The no-restricted-syntax messages ESLint gives for these files. */
function eslintRestrictions(files: string[]): { file: string; message: string }[] {
  const r = spawnSync(eslintBin, ['--format', 'json', '--no-warn-ignored', ...files], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (!r.stdout) throw new Error(`eslint failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { filePath: string; messages: { ruleId: string | null; message: string }[] }[];
  return out.flatMap((f) =>
    f.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => ({ file: path.relative(root, f.filePath), message: m.message })),
  );
}

const probes: string[] = [];
function probe(file: string, text: string): string {
  const full = path.join(root, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
  probes.push(full);
  return file;
}
afterAll(() => {
  for (const f of probes) rmSync(f, { force: true });
  for (const d of ['src/features/zz-probe-a', 'src/features/zz-probe-b']) rmSync(path.join(root, d), { recursive: true, force: true });
});

describe('code boundaries (dependency-cruiser)', () => {
  it('the code keeps every rule', () => {
    expect(violations(['src'])).toEqual([]);
  });

  it('each rule fails on a deliberate violation', () => {
    probe('src/domain/zz-probe.ts', "import { homeRoutes } from '../features/home/routes.js';\nimport pg from 'pg';\nexport const x = [homeRoutes, pg];\n");
    probe('src/platform/zz-probe.ts', "import { seedDemo } from '../seed/subjects.js';\nexport const y = seedDemo;\n");
    probe('src/features/home/zz-probe-routes.ts', "import { createPrisma } from '../../platform/database/client.js';\nexport const z = createPrisma;\n");
    probe('src/features/zz-probe-a/a.ts', "import { b } from '../zz-probe-b/b.js';\nexport const a = () => b;\n");
    probe('src/features/zz-probe-b/b.ts', "import { a } from '../zz-probe-a/a.js';\nexport const b = () => a;\n");
    const found = violations(['src']);
    const rules = (from: string) => found.filter((v) => v.from.startsWith(from)).map((v) => v.rule);
    expect(rules('src/domain/zz-probe.ts')).toEqual(expect.arrayContaining(['platform-and-domain-below-features', 'domain-is-pure']));
    expect(rules('src/platform/zz-probe.ts')).toEqual(expect.arrayContaining(['platform-and-domain-below-features', 'app-does-not-load-seeds']));
    expect(rules('src/features/home/zz-probe-routes.ts')).toContain('routes-do-not-query');
    expect(found.map((v) => v.rule)).toEqual(expect.arrayContaining(['no-feature-folder-cycles', 'no-module-cycles']));
  });

  it('only repositories and the bulk writers touch the database: a service may not, even by a type', () => {
    const service = probe(
      'src/features/home/zz-probe-service.ts',
      "import type pg from 'pg';\nimport type { Db } from '../../platform/database/client.js';\n" +
        'export class ProbeService {\n  constructor(private readonly db: Db, private readonly pool: pg.Pool) {}\n' +
        '  count() {\n    return this.db.user.count();\n  }\n  raw() {\n    return this.pool.query("SELECT 1");\n  }\n}\n' +
        'export const viaDeps = (deps: { db: Db }) => deps.db.user.count();\n',
    );
    const repository = probe(
      'src/features/home/zz-probe-repository.ts',
      "import type { Db } from '../../platform/database/client.js';\nexport class ProbeRepository {\n  constructor(private readonly db: Db) {}\n  count() {\n    return this.db.user.count();\n  }\n}\n",
    );
    const found = violations(['src']);
    const rules = (from: string) => found.filter((v) => v.from === from).map((v) => `${v.rule} → ${v.to}`);
    expect(rules(service)).toEqual(
      expect.arrayContaining([
        'only-repositories-query → src/platform/database/client.ts',
        expect.stringMatching(/^only-repositories-query → node_modules\/pg\//),
      ]),
    );
    expect(rules(repository)).toEqual([]);
    const lint = eslintRestrictions([service, repository]);
    expect(lint.filter((m) => m.file === service)).toHaveLength(3);
    expect(lint.filter((m) => m.file === repository)).toEqual([]);
  });
});
