/**
 * DATABASE_URL=… npx tsx scripts/bench-watch.ts [--codes 10000] [--rounds 2] [--changes 10]
 *
 * The cost of the watch-list scan (src/features/watch-lists): a list of `codes` subjects that have public records
 * (the first legal persons by id that have a penalty or permit, as seed:scale makes them) is scanned once to take
 * the baselines, then `rounds` more times with nothing changed, the steady state the 5-minute schedule runs in. Prints
 * wall time, the process's CPU time and the SQL statements sent per scan, and the size of the snapshots. Then
 * `changes` watched subjects change (half a new address, half a penalty withdrawn: both stay changed, so use a scratch
 * database) and one more scan is timed. Cleans up its list and snapshots and the scan state.
 */
import { parseArgs } from 'node:util';
import os from 'node:os';
import pg from 'pg';
import { buildDeps } from '../src/deps.js';

// Every statement any pool of this process sends (Prisma's adapter included) goes through pg.Client#query.
let statements = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements++;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

const { values } = parseArgs({
  options: { codes: { type: 'string', default: '10000' }, rounds: { type: 'string', default: '2' }, changes: { type: 'string', default: '10' } },
});
const changes = Number(values.changes);
const n = Number(values.codes);
const rounds = Number(values.rounds);
const url = process.env.DATABASE_URL;
if (!url || !Number.isInteger(n) || n < 1 || !Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(changes) || changes < 0 || changes > n) {
  console.error('用法：DATABASE_URL=… npx tsx scripts/bench-watch.ts [--codes 10000] [--rounds 2] [--changes 10]');
  process.exit(1);
}

const deps = buildDeps(url, { logLevel: 'warn' });
const { rows: codes } = await deps.bulkPool.query<{ uscc: string }>(
  `SELECT lp.uscc FROM legal_person lp
    WHERE lp.uscc IS NOT NULL AND (EXISTS (SELECT 1 FROM penalty p WHERE p.legal_person_id = lp.id) OR EXISTS (SELECT 1 FROM permit p WHERE p.legal_person_id = lp.id))
    ORDER BY lp.id LIMIT $1`,
  [n],
);
const dept = await deps.bulkPool.query<{ id: number }>('SELECT id FROM department ORDER BY id LIMIT 1');
if (!dept.rows[0]) throw new Error('no department: run seed:scale first');
const name = `bench-${process.pid}`;
const existing = await deps.bulkPool.query<{ n: string }>('SELECT count(*) n FROM watch_snapshot');
if (Number(existing.rows[0]!.n) > 0) throw new Error("watch_snapshot is not empty: the bench would measure others' snapshots too");
const { rows: recs } = await deps.bulkPool.query<{ records: string }>(
  `SELECT (SELECT count(*) FROM penalty p JOIN legal_person lp ON lp.id = p.legal_person_id WHERE lp.uscc = ANY($1) AND p.is_public)
        + (SELECT count(*) FROM permit p JOIN legal_person lp ON lp.id = p.legal_person_id WHERE lp.uscc = ANY($1) AND p.is_public) AS records`,
  [codes.map((c) => c.uscc)],
);
const list = await deps.watchRepo.saveList(
  { departmentId: dept.rows[0].id },
  name,
  codes.map((c) => c.uscc),
  { replace: false, createdById: null },
);

const time = async (label: string) => {
  const c = process.cpuUsage();
  const before = statements;
  const t = performance.now();
  const r = await deps.watch.scan();
  const wall = performance.now() - t;
  const d = process.cpuUsage(c);
  const cpu = (d.user + d.system) / 1000;
  console.log(
    `${label}: ${r.checked} codes checked, ${r.baselines} baselines, ${r.changed} changed, ${statements - before} SQL statements — wall ${(wall / 1000).toFixed(2)} s, node CPU ${(cpu / 1000).toFixed(2)} s`,
  );
};

try {
  console.log(
    `${codes.length} codes with ${recs[0]!.records} public records in all; load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  await time('scan 1 (baselines)');
  for (let i = 0; i < rounds; i++) await time(`scan ${i + 2} (no change)`);
  if (changes > 0) {
    const picked = codes.slice(0, changes).map((c) => c.uscc);
    const half = picked.slice(0, Math.ceil(changes / 2));
    await deps.bulkPool.query(`UPDATE legal_person SET address = coalesce(address, '') || '（变更）' WHERE uscc = ANY($1)`, [half]);
    const withdrawn = await deps.bulkPool.query(
      `UPDATE penalty SET is_public = false, withdrawn_at = now()
        WHERE id IN (SELECT DISTINCT ON (lp.id) p.id FROM penalty p JOIN legal_person lp ON lp.id = p.legal_person_id
                      WHERE lp.uscc = ANY($1) AND p.is_public AND p.public_until >= current_date ORDER BY lp.id, p.id)`,
      [picked.slice(half.length)],
    );
    console.log(`changed: ${half.length} addresses, ${withdrawn.rowCount} penalties withdrawn`);
    await time(`scan ${rounds + 2} (${changes} subjects changed)`);
    await time(`scan ${rounds + 3} (no change)`);
  }
  const size = await deps.bulkPool.query<{ bytes: string; avg: string }>(
    'SELECT sum(octet_length(content)) bytes, avg(octet_length(content))::int avg FROM watch_snapshot',
  );
  console.log(
    `snapshots: ${size.rows[0]!.bytes} bytes of canonical JSON (${size.rows[0]!.avg} per code); load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
} finally {
  await deps.bulkPool.query('DELETE FROM watch_list WHERE id = $1', [list.id]);
  await deps.bulkPool.query('DELETE FROM watch_snapshot WHERE uscc = ANY($1)', [codes.map((c) => c.uscc)]);
  await deps.bulkPool.query('DELETE FROM watch_scan_state');
  await deps.close();
}
