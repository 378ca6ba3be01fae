/**
 * npx tsx scripts/bench-loader.ts [--legal 200000] [--penalties 400000] [--permits 100000] [--kind penalty|permit|all]
 *
 * The row generator of seed:scale alone, without a database (issue #16): CPU microseconds per row of generating the
 * records, of turning them into the stored column values, and of the whole COPY line written to /dev/null, in the
 * order seed:scale's fast path does it. Departments, counties and tier rules are the reference data seed:reference
 * would load, with ids by position. Prints the process's CPU time per row (the figure to compare on a busy machine)
 * and the load average.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import os from 'node:os';
import v8 from 'node:v8';
import { parseArgs } from 'node:util';
import { beijingToday } from '../src/domain/dates.js';
import { DEFAULT_TIER_RULES } from '../src/domain/publicity/tiers.js';
import { WorkdayCalendar } from '../src/domain/workdays.js';
import { COUNTIES, DEPARTMENTS } from '../src/domain/xinxiang.js';
import { copyLine } from '../src/platform/database/copy.js';
import { generateDemoRecords, type DemoPerson, type DemoSubject } from '../src/seed/demo-records.js';
import { DEMO_SEED, SCALE_FIRST_INDEX, generateLegalPersons, generateNaturalPersons } from '../src/seed/demo-subjects.js';
import { recordValues, type RecordContext } from './scale-rows.js';

const { values: args } = parseArgs({
  options: {
    legal: { type: 'string', default: '200000' },
    penalties: { type: 'string', default: '400000' },
    permits: { type: 'string', default: '100000' },
    kind: { type: 'string', default: 'all' },
  },
});
const legalCount = Number(args.legal);
const counts = { penalty: Number(args.penalties), permit: Number(args.permits) };

// As seed-scale.ts sets it.
v8.setFlagsFromString('--max-semi-space-size=64');

const countyIds = new Map(COUNTIES.map((c, i) => [c.code, i + 1]));
const ctx: RecordContext = {
  departments: new Map(
    DEPARTMENTS.map((d, i) => [
      d.name,
      { id: i + 1, name: d.name, level: d.level, county_id: d.countyCode === null ? null : (countyIds.get(d.countyCode) ?? null) },
    ]),
  ),
  countyByRegion: countyIds,
  calendar: new WorkdayCalendar(),
  today: beijingToday(),
  tierRules: DEFAULT_TIER_RULES.map((r, i) => ({ ...r, id: i + 1, effectiveTo: null })),
};
const endDay = Math.floor(Date.parse(`${ctx.today}T00:00:00Z`) / 86_400_000) - 1;

const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const out = openSync('/dev/null', 'w');
const sink = (() => {
  let buffer = '';
  return {
    add(line: string) {
      buffer += line;
      if (buffer.length > 64 * 1024) {
        writeSync(out, buffer);
        buffer = '';
      }
    },
    flush() {
      writeSync(out, buffer);
      buffer = '';
    },
  };
})();

function measure(label: string, rows: number, run: () => void): void {
  const start = cpu();
  run();
  sink.flush();
  const ms = cpu() - start;
  console.log(`${label.padEnd(34)} ${rows.toLocaleString('en-US').padStart(9)} rows  ${((ms * 1000) / Math.max(rows, 1)).toFixed(2).padStart(7)} µs/row CPU`);
}

const subjects: DemoSubject[] = [];
measure('legal persons (subjects kept)', legalCount, () => {
  for (const p of generateLegalPersons(legalCount, DEMO_SEED, { firstIndex: SCALE_FIRST_INDEX })) {
    subjects.push({ name: p.name, uscc: p.uscc, legalRepresentative: p.legalRepresentative, subjectType: p.subjectType });
  }
});
const people: DemoPerson[] = [];
for (const p of generateNaturalPersons(Math.round(legalCount / 10), DEMO_SEED, { firstIndex: SCALE_FIRST_INDEX }))
  people.push({ name: p.name, docNumber: p.docNumber });

for (const kind of ['permit', 'penalty'] as const) {
  if (args.kind !== 'all' && args.kind !== kind) continue;
  const total = counts[kind];
  const generate = () =>
    generateDemoRecords(kind, total, {
      seed: DEMO_SEED + 10_000_000,
      subjects,
      people: kind === 'penalty' ? people : [],
      endDay,
      spanDays: 3 * 365,
      firstSerial: 10_000_000,
      skewed: true,
    });
  measure(`${kind}: generate only`, total, () => {
    for (const rec of generate()) if (rec.reportDelay < 0) throw new Error('unreachable');
  });
  const { valuesOf } = recordValues(kind, ctx);
  measure(`${kind}: generate + values`, total, () => {
    for (const rec of generate()) valuesOf(rec);
  });
  const { valuesOf: again } = recordValues(kind, ctx);
  measure(`${kind}: generate + values + COPY line`, total, () => {
    for (const rec of generate()) sink.add(copyLine(again(rec).values));
  });
}
closeSync(out);
console.log(
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}, ${os.cpus().length} cores`,
);
