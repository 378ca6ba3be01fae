/**
 * npx tsx scripts/bench-report.ts [--records 200] [--runs 50]
 *
 * Times renderReport (the 公共信用信息报告 PDF) for a subject with the given number of records (half permits, half
 * penalties; no database): the first render (which loads and parses the font), a warm-up, then `runs` renders,
 * printing p50/p95 of wall time and of the process's CPU time. CPU time is the figure to compare on a shared or
 * busy machine: wall time there also counts the time other processes held the cores. Target: p95 < 200 ms.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { renderReport } from '../src/features/reports/pdf.js';
import { profileFixture } from '../src/features/reports/fixture.js';

const { values } = parseArgs({ options: { records: { type: 'string', default: '200' }, runs: { type: 'string', default: '50' } } });
const records = Number(values.records);
const runs = Number(values.runs);
if (!Number.isInteger(records) || records < 0 || !Number.isInteger(runs) || runs < 1) {
  console.error('用法：npx tsx scripts/bench-report.ts [--records 200] [--runs 50]');
  process.exit(1);
}

const profile = profileFixture({ permits: Math.floor(records / 2), penalties: Math.ceil(records / 2) });
const meta = { reportNo: 'XXCR20261127K7M2Q9TA', issuedAt: new Date(), verifyUrl: 'https://credit.xinxiang.gov.cn/reports/XXCR20261127K7M2Q9TA' };

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

let t = performance.now();
const first = await renderReport(profile, meta);
const firstMs = performance.now() - t;
for (let i = 0; i < 5; i++) await renderReport(profile, meta);

const wall: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < runs; i++) {
  const c = process.cpuUsage();
  t = performance.now();
  await renderReport(profile, meta);
  wall.push(performance.now() - t);
  const d = process.cpuUsage(c);
  cpu.push((d.user + d.system) / 1000);
}
wall.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);

const pages = (first.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
const f = (n: number) => n.toFixed(1).padStart(7);
console.log(
  `renderReport: ${records} records, ${pages} pages, ${(first.length / 1024).toFixed(0)} KB; node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(2)}`,
);
console.log(`first render (font load included): ${firstMs.toFixed(1)} ms`);
console.log(`${runs} runs after warm-up      p50      p95      max`);
console.log(`wall time (ms)         ${f(percentile(wall, 50))}  ${f(percentile(wall, 95))}  ${f(wall[wall.length - 1]!)}`);
console.log(`CPU time (ms)          ${f(percentile(cpu, 50))}  ${f(percentile(cpu, 95))}  ${f(cpu[cpu.length - 1]!)}`);
