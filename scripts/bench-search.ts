// 信用查询 benchmark: code lookup and name search (1/2/4/8 characters) in the database and through HTTP,
// the profile page, the credit report PDF, and the profile page's throughput against a bare template page
// of the same server in the same run.
//
//   DATABASE_URL=… npm run seed:scale -- --legal 1000000      (once; add --penalties for records)
//   DATABASE_URL=… npm run bench:search [-- --n 200] [--seconds 3] [--rounds 5] [--seed S]
//
// --heavy N gives one subject N public penalties (copies of one of its own, under new 文书号; in a scratch database
// only) and times its profile page and report beside an ordinary subject's; --profiles-only skips the search cases.
//
// Prints p50/p95/p99/max per case (sequential requests after a warm-up) and the query plans of the name search.
// Name terms are cut at random places of sampled real names (1, 2, 3, 4 and 8 characters), drawn from a generator
// seeded by --seed (printed when not given), so a run can be repeated and cannot keep asking its own easy terms.
import type { AddressInfo } from 'node:net';
import { buildDeps } from '../src/deps.js';
import { tuneV8 } from '../src/platform/v8-tuning.js';
import { createApp } from '../src/app.js';
import { SEARCH_COUNT_CAP } from '../src/features/search/repository.js';
import { parseSubjectCode } from '../src/features/subjects/repository.js';
import { beijingToday } from '../src/domain/dates.js';
import { Rng } from '../src/seed/demo-subjects.js';
import { cliArgs } from './bench-kit.js';

const USAGE = '用法：DATABASE_URL=… npm run bench:search -- [--n 200] [--seconds 3] [--rounds 5] [--seed 随机种子] [--heavy 记录数] [--profiles-only]';
const values = cliArgs(
  {
    options: {
      n: { type: 'string', default: '200' },
      seconds: { type: 'string', default: '3' },
      rounds: { type: 'string', default: '5' },
      seed: { type: 'string' },
      heavy: { type: 'string', default: '0' },
      'profiles-only': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  },
  USAGE,
);
const SEED = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
if (!Number.isSafeInteger(SEED) || SEED < 0) {
  console.error('错误：--seed 应为非负整数');
  process.exit(1);
}
/** mulberry32 (the demo generator's): the same seed draws the same terms. */
const seeded = new Rng(SEED);
const random = (): number => seeded.next();
const N = Number(values.n);
const ROUNDS = Math.max(1, Number(values.rounds));
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('错误：未设置环境变量 DATABASE_URL（应指向已用 seed:scale 装载数据的数据库）');
  process.exit(1);
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

async function timeEach<T>(items: T[], fn: (item: T) => Promise<unknown>): Promise<number[]> {
  for (const it of items.slice(0, Math.min(20, items.length))) await fn(it); // warm-up
  const out: number[] = [];
  for (let i = 0; i < N; i++) {
    const it = items[i % items.length]!;
    const t0 = performance.now();
    await fn(it);
    out.push(performance.now() - t0);
  }
  return out;
}

// The app runs under the server's V8 settings.
tuneV8();
const deps = buildDeps(url, { logLevel: 'warn' });
const rows = await deps.db.$queryRawUnsafe<{ uscc: string; name: string; org_code: string | null; reg_no: string | null }[]>(
  `SELECT uscc, name, org_code, reg_no FROM legal_person TABLESAMPLE BERNOULLI (1) REPEATABLE (${SEED}) WHERE uscc IS NOT NULL LIMIT 2000`,
);
console.log(`随机种子：${SEED}（用 --seed ${SEED} 重复本次运行）`);
const total = await deps.db.legalPerson.count();
const penalties = await deps.db.penalty.count();
console.log(`数据量：法人 ${total.toLocaleString()}，行政处罚 ${penalties.toLocaleString()}；每项 ${N} 次`);

const terms = (len: number) =>
  rows
    .map((r) => Array.from(r.name))
    .filter((cs) => cs.length >= len)
    .map((cs) => {
      const start = Math.floor(random() * (cs.length - len + 1));
      return cs.slice(start, start + len).join('');
    });

const report: string[] = [];
const line = (name: string, xs: number[], extra = '') => {
  const s = `${name.padEnd(28)} p50 ${fmt(pct(xs, 50)).padStart(10)}  p95 ${fmt(pct(xs, 95)).padStart(10)}  p99 ${fmt(pct(xs, 99)).padStart(10)}  max ${fmt(Math.max(...xs)).padStart(10)}${extra}`;
  report.push(s);
  console.log(s);
};

// In the database (through the repository, i.e. node-pg + PostgreSQL): the result page's rows with their
// record counts and list badges, as the page needs them, and for a name the capped count of matches.
const today = beijingToday();
const codes = rows.map((r) => r.uscc);
const searches = !values['profiles-only'];
if (searches) {
  line('DB 代码查询 (USCC)', await timeEach(codes, (c) => deps.search.byCode(parseSubjectCode(c) as never, today)));
  const legacy = rows.filter((r) => r.org_code).map((r) => r.org_code!);
  if (legacy.length) line('DB 代码查询 (组织机构代码)', await timeEach(legacy, (c) => deps.search.byCode(parseSubjectCode(c) as never, today)));
  for (const len of [1, 2, 3, 4, 8]) {
    const ts = terms(len);
    line(`DB 名称查询 ${len} 字`, await timeEach(ts, (t) => deps.search.byName(t, 1, 20, today)));
  }

  // Query plans of the name search's first statement (the capped collection of matches), with the grams it sends.
  for (const len of [1, 2, 4, 8]) {
    const term = terms(len)[0]!;
    const { grams, candidates } = await deps.search.gramPlan(term);
    const plan = await deps.db.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(
      `EXPLAIN (ANALYZE, BUFFERS) SELECT lp.id FROM legal_person lp
      WHERE lp.name_grams @> $1::text[] AND strpos(lower(lp.name), $2) > 0 LIMIT ${SEARCH_COUNT_CAP + 1}`,
      grams,
      term.toLowerCase(),
    );
    console.log(`\n-- grams {${grams.join(',')}}, ~${Math.round(candidates)} candidates by the statistics`);
    console.log(`\n-- plan for "${term}" (${len} 字)\n${plan.map((p) => p['QUERY PLAN']).join('\n')}`);
  }
}

// Through HTTP, same process.
// The report limiter guards the public site; the benchmark is one client asking on purpose.
const app = createApp(deps, { env: 'production', sessionSecret: 'b'.repeat(40), reportLimit: { windowMs: 60_000, limit: 1_000_000 } });
const server = app.listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
// Node's fetch keeps connections alive between requests.
const get = async (path: string) => {
  const res = await fetch(base + path);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${path} → ${res.status}`);
};
console.log('');
line('HTTP 模板页 /accessibility', await timeEach([0], () => get('/accessibility')));
if (searches) {
  line('HTTP 代码查询', await timeEach(codes, (c) => get(`/search?q=${c}`)));
  for (const len of [1, 2, 3, 4, 8]) line(`HTTP 名称查询 ${len} 字`, await timeEach(terms(len), (t) => get(`/search?q=${encodeURIComponent(t)}`)));
}
// A setup query that reads every penalty: past the app's statement timeout at tens of millions of records.
const [, busy] = await deps.db.$transaction(
  [
    deps.db.$executeRawUnsafe(`SET LOCAL statement_timeout = 0`),
    deps.db.$queryRawUnsafe<{ uscc: string }[]>(
      `SELECT lp.uscc FROM legal_person lp JOIN penalty p ON p.legal_person_id = lp.id WHERE lp.uscc IS NOT NULL GROUP BY lp.uscc ORDER BY count(*) DESC LIMIT 50`,
    ),
  ],
  { timeout: 600_000 },
);
const profileCodes = busy.length ? busy.map((b) => b.uscc) : codes;
line('HTTP 信用主体页', await timeEach(profileCodes, (c) => get(`/subjects/${c}`)));
if ((await fetch(`${base}/subjects/${profileCodes[0]}/report.pdf`).then(async (r) => (await r.arrayBuffer(), r.status))) === 200) {
  // The busiest subjects' reports (thousands of records) can pass the statement timeout: counted, not fatal.
  const failed: string[] = [];
  line('HTTP 信用报告 PDF', await timeEach(profileCodes, (c) => get(`/subjects/${c}/report.pdf`).catch((err: Error) => void failed.push(err.message))));
  if (failed.length > 0) console.log(`信用报告 PDF 失败 ${failed.length} 次（计入上面的时间）：${[...new Set(failed)].slice(0, 5).join('；')}`);
}

// A heavy subject (thousands of records) against an ordinary one: the profile lists a page of each section.
const heavy = Number(values.heavy);
if (heavy > 0) {
  const uscc = profileCodes[0]!;
  const [first] = await deps.db.$queryRawUnsafe<{ id: number; n: number }[]>(
    `SELECT min(p.id) AS id, count(*)::int AS n FROM penalty p JOIN legal_person lp ON lp.id = p.legal_person_id WHERE lp.uscc = $1`,
    uscc,
  );
  const { id, n } = first!;
  if (n < heavy) {
    const cols = (
      await deps.db.$queryRawUnsafe<{ column_name: string }[]>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'penalty'
            AND column_name <> 'id' AND is_generated = 'NEVER'`,
      )
    ).map((c) => c.column_name);
    const select = cols.map((c) => (c === 'document_no' ? `p.document_no || '-heavy-' || g` : `p."${c}"`)).join(', ');
    // Public and in their publicity period, so every copy counts on the page.
    await deps.db.$executeRawUnsafe(
      `INSERT INTO penalty (${cols.map((c) => `"${c}"`).join(', ')}) SELECT ${select} FROM penalty p, generate_series(1, ${heavy - n}) g WHERE p.id = ${id}`,
    );
    await deps.db.$executeRawUnsafe(
      `UPDATE penalty SET is_public = true, public_until = greatest(public_until, current_date + 365) WHERE legal_person_id = (SELECT id FROM legal_person WHERE uscc = $1)`,
      uscc,
    );
    await deps.db.$executeRawUnsafe('ANALYZE penalty');
  }
  const ordinary = await deps.db.$queryRawUnsafe<{ uscc: string }[]>(
    `SELECT lp.uscc FROM legal_person lp WHERE lp.uscc IS NOT NULL AND lp.uscc <> $1
        AND (SELECT count(*) FROM penalty p WHERE p.legal_person_id = lp.id) BETWEEN 1 AND 5 LIMIT 50`,
    uscc,
  );
  line(`HTTP 信用主体页（${heavy} 条处罚）`, await timeEach([uscc], (c) => get(`/subjects/${c}`)));
  line('HTTP 信用主体页（普通主体）', await timeEach(ordinary.length ? ordinary.map((o) => o.uscc) : codes, (c) => get(`/subjects/${c}`)));
  line(`HTTP 处罚分页第 2 页（${heavy} 条）`, await timeEach([uscc], (c) => get(`/subjects/${c}/penalties?page=2`)));
  const saved = N;
  const reportRuns = Math.min(N, 20);
  const times: number[] = [];
  for (let i = 0; i < reportRuns; i++) {
    const t0 = performance.now();
    await get(`/subjects/${uscc}/report.pdf`);
    times.push(performance.now() - t0);
  }
  line(`HTTP 信用报告 PDF（${heavy} 条，印 500 条）`, times, `  (${reportRuns} 次；N=${saved})`);
}

// Throughput: 8 concurrent clients for a few seconds (--seconds) each.
async function throughput(paths: string[]): Promise<number> {
  const seconds = Number(values.seconds);
  const end = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: 8 }, async (_, w) => {
      let i = w;
      while (performance.now() < end) {
        await get(paths[i++ % paths.length]!);
        done++;
      }
    }),
  );
  return done / seconds;
}
// Rounds alternate between the two pages, so a burst of other work on the machine lands on both alike; the ratio
// quoted is the median of the rounds'.
const rounds: { bare: number; profile: number; ratio: number }[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const bare = await throughput(['/accessibility']);
  const profile = await throughput(profileCodes.map((c) => `/subjects/${c}`));
  rounds.push({ bare, profile, ratio: profile / bare });
  console.log(`吞吐量第 ${r + 1} 轮：模板页 ${bare.toFixed(0)} 次/秒，信用主体页 ${profile.toFixed(0)} 次/秒，比值 ${(profile / bare).toFixed(2)}`);
}
const mid = [...rounds].sort((a, b) => a.ratio - b.ratio)[Math.floor(rounds.length / 2)]!;
const s = `吞吐量（${ROUNDS} 轮交替，取比值中位的一轮）：模板页 ${mid.bare.toFixed(0)} 次/秒，信用主体页 ${mid.profile.toFixed(0)} 次/秒，比值 ${mid.ratio.toFixed(2)}（各轮 ${rounds.map((x) => x.ratio.toFixed(2)).join(' / ')}；目标 ≥ 0.6）`;
report.push(s);
console.log(s);

console.log('\n== 汇总\n' + report.join('\n'));
server.close();
await deps.close();
