/**
 * The fast path of seed:scale: loading into tables that are still empty (a fresh database).
 *
 * A table's secondary indexes, its foreign keys and its triggers cost PostgreSQL more per row than the row itself
 * (docs/performance.md#loading-the-scale-data), and building an index once over the loaded table is far cheaper
 * than maintaining it row by row. So `prepare` records the tables' definitions from the catalogue, drops
 * everything but the primary keys and check constraints and disables the user triggers; each table is then
 * filled by one COPY; `restore` recreates exactly what was dropped, from the recorded definitions, and checks
 * that the catalogue now says what it said before. Nothing here decides an index or a constraint: the migrations
 * do, and this only puts their result back.
 *
 * COPY … FREEZE in the transaction that truncated the (empty) table writes the rows already frozen and visible to
 * all, so no VACUUM has to rewrite every page afterwards; on a server with wal_level = minimal the rows also skip
 * the WAL. TRUNCATE must name every table with a foreign key to it, so the truncated tables are the loaded one and
 * those referencing it, all checked empty first (otherwise the COPY runs without FREEZE).
 *
 * Not for a shared database with data in it: until `restore` has run the tables have no unique keys. seed:scale
 * takes this path only when its tables are all empty.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export interface TableShape {
  /** Secondary indexes not owned by a constraint: name → CREATE INDEX statement. */
  indexes: Map<string, string>;
  /** Unique, exclusion and foreign-key constraints: name → ALTER TABLE … ADD CONSTRAINT statement. */
  constraints: Map<string, string>;
  /** Every index definition of the tables, constraint-owned ones and primary keys included (for the check). */
  allIndexes: Map<string, string>;
  /** Every constraint: name → table, type, definition and whether it is validated (for the check). */
  allConstraints: Map<string, string>;
  /** Enabled state of each user trigger (for the check). */
  triggers: Map<string, string>;
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

export async function shapeOf(client: pg.Client, tables: readonly string[]): Promise<TableShape> {
  const shape: TableShape = { indexes: new Map(), constraints: new Map(), allIndexes: new Map(), allConstraints: new Map(), triggers: new Map() };
  const { rows: idx } = await client.query<{ table: string; name: string; def: string; owned: boolean }>(
    `SELECT t.relname AS table, i.relname AS name, pg_get_indexdef(x.indexrelid) AS def,
            EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid) AS owned
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
      WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1)`,
    [tables],
  );
  for (const r of idx) {
    shape.allIndexes.set(r.name, `${r.table}: ${r.def}`);
    if (!r.owned) shape.indexes.set(r.name, `${r.def}`);
  }
  const { rows: cons } = await client.query<{ table: string; name: string; type: string; def: string; validated: boolean }>(
    `SELECT t.relname AS table, c.conname AS name, c.contype AS type, pg_get_constraintdef(c.oid) AS def, c.convalidated AS validated
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
      WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1)`,
    [tables],
  );
  for (const c of cons) {
    shape.allConstraints.set(c.name, `${c.table} ${c.type} ${c.def}${c.validated ? '' : ' NOT VALID'}`);
    if (c.type === 'u' || c.type === 'x' || c.type === 'f')
      shape.constraints.set(c.name, `ALTER TABLE ${quote(c.table)} ADD CONSTRAINT ${quote(c.name)} ${c.def}`);
  }
  const { rows: trg } = await client.query<{ table: string; name: string; enabled: string }>(
    `SELECT t.relname AS table, g.tgname AS name, g.tgenabled AS enabled
       FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid
      WHERE NOT g.tgisinternal AND t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1)`,
    [tables],
  );
  for (const t of trg) shape.triggers.set(`${t.table}.${t.name}`, t.enabled);
  return shape;
}

/** What differs between two shapes, one line each (empty when the same). */
export function shapeDifferences(before: TableShape, after: TableShape): string[] {
  const out: string[] = [];
  for (const [what, a, b] of [
    ['索引', before.allIndexes, after.allIndexes],
    ['约束', before.allConstraints, after.allConstraints],
    ['触发器', before.triggers, after.triggers],
  ] as const) {
    for (const [name, def] of a) if (b.get(name) !== def) out.push(`${what} ${name}：应为 ${def}，实为 ${b.get(name) ?? '（缺失）'}`);
    for (const [name, def] of b) if (!a.has(name)) out.push(`${what} ${name}：多出 ${def}`);
  }
  return out;
}

/** Drops what `restore` will rebuild. Foreign keys first: a unique index may be what one of them relies on. */
export async function prepare(client: pg.Client, tables: readonly string[], shape: TableShape): Promise<void> {
  const constraints = [...shape.constraints].sort(([, a], [, b]) => Number(b.includes('FOREIGN KEY')) - Number(a.includes('FOREIGN KEY')));
  await client.query('BEGIN');
  for (const [name, def] of constraints) {
    const table = /^ALTER TABLE ("(?:[^"]|"")+")/.exec(def)![1]!;
    await client.query(`ALTER TABLE ${table} DROP CONSTRAINT ${quote(name)}`);
  }
  for (const name of shape.indexes.keys()) await client.query(`DROP INDEX ${quote(name)}`);
  for (const table of tables) await client.query(`ALTER TABLE ${quote(table)} DISABLE TRIGGER USER`);
  await client.query('COMMIT');
}

/** Tables that TRUNCATE of `table` must name: it and every table referencing it, directly or not. */
async function truncateSet(client: pg.Client, table: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `WITH RECURSIVE r(oid) AS (
       SELECT $1::regclass::oid
       UNION SELECT c.conrelid FROM pg_constraint c JOIN r ON c.confrelid = r.oid WHERE c.contype = 'f')
     SELECT relname AS name FROM pg_class WHERE oid IN (SELECT oid FROM r)`,
    [table],
  );
  return rows.map((r) => r.name);
}

export interface Progress {
  label: string;
  total: number;
  /** Called with the rows done so far, at most every few seconds and at the end. */
  report: (line: string) => void;
}

const REPORT_EVERY_MS = 5000;
const fmt = (n: number): string => n.toLocaleString('en-US');

/**
 * COPY text of `rows`, 64 KiB a piece, counting rows for the progress lines. Synchronous generation would starve
 * the socket without a turn of the event loop between pieces, as in seed-scale's copyText.
 */
async function* pieces<T>(rows: Iterable<T>, line: (row: T) => string, progress: Progress, done: { rows: number }): AsyncGenerator<string> {
  const started = performance.now();
  let lastAt = started;
  let lastRows = 0;
  let buffer = '';
  for (const row of rows) {
    buffer += line(row);
    done.rows++;
    if (buffer.length > 64 * 1024) {
      yield buffer;
      buffer = '';
      await new Promise((resolve) => setImmediate(resolve));
      const now = performance.now();
      if (now - lastAt >= REPORT_EVERY_MS) {
        const recent = ((done.rows - lastRows) * 1000) / (now - lastAt);
        const overall = (done.rows * 1000) / (now - started);
        progress.report(
          `${progress.label}：${fmt(done.rows)} / ${fmt(progress.total)} 行，${((now - started) / 1000).toFixed(0)} 秒，` +
            `${fmt(Math.round(overall))} 行/秒（最近 ${fmt(Math.round(recent))} 行/秒）`,
        );
        lastAt = now;
        lastRows = done.rows;
      }
    }
  }
  if (buffer !== '') yield buffer;
}

/** One COPY of all `rows` into `table`, frozen when every table its TRUNCATE needs is empty. Returns the rows sent. */
export async function copyAll<T>(
  client: pg.Client,
  table: string,
  columns: readonly string[],
  rows: Iterable<T>,
  line: (row: T) => string,
  progress: Progress,
): Promise<number> {
  const done = { rows: 0 };
  await client.query('BEGIN');
  try {
    const set = await truncateSet(client, table);
    let empty = true;
    for (const t of set) if ((await client.query(`SELECT EXISTS (SELECT 1 FROM ${quote(t)}) AS x`)).rows[0].x) empty = false;
    if (empty) await client.query(`TRUNCATE ${set.map(quote).join(', ')}`);
    await pipeline(
      Readable.from(pieces(rows, line, progress, done)),
      client.query(copyFrom(`COPY ${quote(table)} (${columns.join(', ')}) FROM STDIN${empty ? ' (FREEZE)' : ''}`)),
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
  return done.rows;
}

/**
 * Rebuilds the dropped indexes and constraints from their recorded definitions. Indexes are built by all
 * `sessions` at once (building is CPU-bound and CREATE INDEX on one table does not block another on it); foreign
 * keys one after another, as adding one locks the referenced table against adding another.
 */
export async function restore(sessions: readonly pg.Client[], tables: readonly string[], shape: TableShape, log: (line: string) => void): Promise<void> {
  const constraints = [...shape.constraints.values()];
  const parallel = [...shape.indexes.values(), ...constraints.filter((c) => !c.includes('FOREIGN KEY'))];
  const queue = [...parallel];
  await Promise.all(
    sessions.map(async (client) => {
      for (let sql = queue.shift(); sql !== undefined; sql = queue.shift()) {
        const t = performance.now();
        await client.query(sql);
        log(`  ${sql.replace(/\s+/g, ' ').slice(0, 110)}：${((performance.now() - t) / 1000).toFixed(1)} 秒`);
      }
    }),
  );
  const [main] = sessions as [pg.Client];
  for (const sql of constraints.filter((c) => c.includes('FOREIGN KEY'))) {
    const t = performance.now();
    await main.query(sql);
    log(`  ${sql.replace(/\s+/g, ' ').slice(0, 110)}：${((performance.now() - t) / 1000).toFixed(1)} 秒`);
  }
  for (const table of tables) await main.query(`ALTER TABLE ${quote(table)} ENABLE TRIGGER USER`);
  // Rows loaded with explicit ids leave the sequences behind: the next subject would collide with them.
  for (const table of tables) {
    const { rows } = await main.query<{ seq: string | null }>(
      `SELECT pg_get_serial_sequence($1, 'id') AS seq FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = $1 AND column_name = 'id'`,
      [table],
    );
    const seq = rows[0]?.seq;
    if (seq) await main.query(`SELECT setval($1, GREATEST(max(id), 1), max(id) IS NOT NULL) FROM ${quote(table)}`, [seq]);
  }
}
