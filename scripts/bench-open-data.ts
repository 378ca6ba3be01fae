/**
 * DATABASE_URL=… npm run bench:open-data [-- --runs 3]
 *
 * Runs the open-data job (OpenDataService.publish, forced) on the database's public records into a temporary folder,
 * `runs` times, and prints per run the wall time, the process's CPU time, rows and bytes per file, and the process's
 * peak resident memory (maxRSS) against its memory before the first run: the job reads in keyset pages, so the peak
 * must not grow with the number of records (docs/performance.md#open-data). The folder is removed afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildDeps } from '../src/deps.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Number(values.runs);
const url = process.env.DATABASE_URL?.trim();
if (!url || !Number.isInteger(runs) || runs < 1) {
  console.error('用法：DATABASE_URL=… npx tsx scripts/bench-open-data.ts [--runs 3]');
  process.exit(1);
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'xx-open-data-bench-'));
const deps = buildDeps(url, { logLevel: 'warn', uploadDir: dir });
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
try {
  const rssBefore = process.memoryUsage().rss;
  for (let i = 1; i <= runs; i++) {
    const cpu = process.cpuUsage();
    const t = performance.now();
    const { date } = await deps.openData.publish({ force: true });
    const wall = (performance.now() - t) / 1000;
    const used = process.cpuUsage(cpu);
    const m = (await deps.openData.manifest(date))!;
    console.log(
      `run ${i}: ${wall.toFixed(1)} s wall, ${((used.user + used.system) / 1e6).toFixed(1)} s CPU; ` +
        m.files.map((f) => `${f.name} ${f.rows} rows ${mb(f.bytes)} MB`).join(', '),
    );
  }
  // maxRSS is in kilobytes.
  console.log(
    `RSS before ${mb(rssBefore)} MB, peak ${mb(process.resourceUsage().maxRSS * 1024)} MB; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
} finally {
  await deps.close();
  rmSync(dir, { recursive: true, force: true });
}
