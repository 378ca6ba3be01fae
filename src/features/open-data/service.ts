import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { addDays, beijingToday } from '../../domain/dates.js';
import { csvLine } from '../../platform/csv-cell.js';
import type { PublicFields } from '../catalogue/service.js';
import {
  commitmentRow,
  datasetShape,
  DATASET_NAMES,
  listRow,
  publicListTypes,
  recordRow,
  type DatasetName,
  type DatasetShape,
  type PublicRow,
} from './datasets.js';
import type { OpenDataRepository } from './repository.js';
import { LICENCE } from './licence.js';

/** How many days of files are kept: today's and the 29 before it. */
export const RETENTION_DAYS = 30;

/** Where the daily files live: UPLOAD_DIR/open-data/<YYYY-MM-DD>/, outside public/ (served by the routes only). */
export const openDataDir = (uploadDir: string): string => path.join(uploadDir, 'open-data');

export const MANIFEST = 'manifest.json';
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

export type OpenDataFormat = 'csv' | 'jsonl';

export interface ManifestFile {
  name: string;
  dataset: DatasetName;
  format: OpenDataFormat;
  mediaType: string;
  rows: number;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  date: string;
  generatedAt: string;
  publisher: string;
  licence: typeof LICENCE;
  /**
   * Where the incremental changes feed (GET /api/v1/public/changes?since=) stood when the files were read: a consumer
   * loads the files, then follows the feed from this cursor. Null while the portal has no feed.
   */
  feedCursor: string | null;
  dateFormat: 'YYYY-MM-DD';
  files: ManifestFile[];
  datasets: DatasetShape[];
}

/**
 * The position of the incremental changes feed at the moment the files are read; the feed's owner supplies it (the
 * composition root wires it). Until the portal has that feed, NO_FEED_CURSOR answers null.
 */
export interface FeedCursorSource {
  currentCursor(): Promise<string | null>;
}

export const NO_FEED_CURSOR: FeedCursorSource = { currentCursor: () => Promise.resolve(null) };

const MEDIA_TYPES: Record<OpenDataFormat, string> = { csv: 'text/csv; charset=utf-8', jsonl: 'application/jsonl; charset=utf-8' };

/** A file being written: bytes and SHA-256 counted as they go out, with the stream's backpressure respected. */
class Sink {
  readonly hash = createHash('sha256');
  bytes = 0;
  rows = 0;
  private readonly out: WriteStream;
  private readonly failed: Promise<never>;

  constructor(readonly file: string) {
    this.out = createWriteStream(file, { mode: 0o644, flags: 'wx' });
    this.failed = new Promise((_, reject) => this.out.once('error', reject));
    this.failed.catch(() => {});
  }

  async write(text: string): Promise<void> {
    const buf = Buffer.from(text, 'utf8');
    this.hash.update(buf);
    this.bytes += buf.length;
    if (!this.out.write(buf)) await Promise.race([new Promise<void>((resolve) => this.out.once('drain', () => resolve())), this.failed]);
  }

  async close(): Promise<void> {
    await Promise.race([new Promise<void>((resolve) => this.out.end(resolve)), this.failed]);
  }

  destroy(): void {
    this.out.destroy();
  }
}

/**
 * The daily open-data files (issue #17): every public dataset as CSV (UTF-8 with BOM, for Excel and WPS) and JSON
 * Lines, with a manifest (counts, bytes, SHA-256, the schema with field codes and labels, the licence).
 *
 * A day is written into a hidden staging folder, the manifest last, and the folder is then renamed to the day: a
 * reader sees a whole day or none, and a job killed halfway leaves only a staging folder, which no page lists and the
 * next run removes. Running again on the same day keeps the published day (unless forced).
 */
export class OpenDataService {
  constructor(
    private readonly repo: OpenDataRepository,
    private readonly publicFields: () => Promise<PublicFields>,
    readonly dir: string,
    private readonly feed: FeedCursorSource = NO_FEED_CURSOR,
  ) {}

  /**
   * Writes today's files unless they exist (`force`: write them again), then removes the days past RETENTION_DAYS and
   * any staging folder left by an interrupted run. Returns the day and whether it was written now.
   */
  async publish(opts: { today?: string; force?: boolean; now?: Date } = {}): Promise<{ date: string; written: boolean; removed: string[] }> {
    const now = opts.now ?? new Date();
    const today = opts.today ?? beijingToday(now);
    await mkdir(this.dir, { recursive: true });
    let written = false;
    if (opts.force || !(await this.manifest(today))) {
      await this.write(today, now);
      written = true;
    }
    const removed = await this.sweep(today);
    return { date: today, written, removed };
  }

  private async write(today: string, now: Date): Promise<void> {
    const staging = path.join(this.dir, `.staging-${today}-${randomUUID()}`);
    await mkdir(staging);
    const open: Sink[] = [];
    try {
      // The cursor is taken before the first read, so following the feed from it repeats changes rather than missing one.
      const feedCursor = await this.feed.currentCursor();
      const shown = await this.publicFields();
      const files: ManifestFile[] = [];
      const datasets: DatasetShape[] = [];
      for (const name of DATASET_NAMES) {
        const shape = datasetShape(name, shown);
        if (!shape) continue;
        datasets.push(shape);
        const csv = new Sink(path.join(staging, `${name}.csv`));
        const jsonl = new Sink(path.join(staging, `${name}.jsonl`));
        open.push(csv, jsonl);
        await csv.write('\uFEFF' + csvLine(shape.columns.map((c) => c.code)));
        for await (const row of this.rows(name, shown, today)) {
          await csv.write(csvLine(shape.columns.map((c) => row[c.key] ?? '')));
          const obj: Record<string, string> = {};
          for (const c of shape.columns) obj[c.code] = row[c.key] ?? '';
          await jsonl.write(JSON.stringify(obj) + '\n');
          csv.rows++;
          jsonl.rows++;
        }
        for (const [sink, format] of [
          [csv, 'csv'],
          [jsonl, 'jsonl'],
        ] as const) {
          await sink.close();
          files.push({
            name: path.basename(sink.file),
            dataset: name,
            format,
            mediaType: MEDIA_TYPES[format],
            rows: sink.rows,
            bytes: sink.bytes,
            sha256: sink.hash.digest('hex'),
          });
        }
        open.length = 0;
      }
      const manifest: Manifest = {
        date: today,
        generatedAt: now.toISOString(),
        publisher: '信用新乡（新乡市社会信用体系建设领导小组办公室）',
        licence: LICENCE,
        feedCursor,
        dateFormat: 'YYYY-MM-DD',
        files,
        datasets,
      };
      // The manifest last: a folder without one was never published.
      await writeFile(path.join(staging, MANIFEST), JSON.stringify(manifest, null, 2), { mode: 0o644 });
      const target = path.join(this.dir, today);
      const old = path.join(this.dir, `.replaced-${today}-${randomUUID()}`);
      const replaced = await rename(target, old).then(
        () => true,
        (err: NodeJS.ErrnoException) => {
          if (err.code === 'ENOENT') return false;
          throw err;
        },
      );
      await rename(staging, target);
      if (replaced) await rm(old, { recursive: true, force: true });
    } catch (err) {
      for (const s of open) s.destroy();
      await rm(staging, { recursive: true, force: true });
      throw err;
    }
  }

  /** One dataset's public rows, in id order. */
  private async *rows(name: DatasetName, shown: PublicFields, today: string): AsyncGenerator<PublicRow> {
    switch (name) {
      case 'permits':
        for await (const r of this.repo.records('permit', today)) yield recordRow('permit', r);
        return;
      case 'penalties':
        for await (const r of this.repo.records('penalty', today)) yield recordRow('penalty', r);
        return;
      case 'list-entries':
        for await (const e of this.repo.listEntries(publicListTypes(shown), today)) yield listRow(e);
        return;
      case 'list-exits':
        for await (const e of this.repo.listExits(publicListTypes(shown))) yield listRow(e);
        return;
      case 'commitments':
        for await (const c of this.repo.commitments(today)) yield commitmentRow(c);
        return;
    }
  }

  /** Removes the days before the retention window and every staging folder of another day or older than an hour. */
  async sweep(today: string, now = Date.now()): Promise<string[]> {
    const oldest = addDays(today, -(RETENTION_DAYS - 1));
    const removed: string[] = [];
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    for (const name of names) {
      const full = path.join(this.dir, name);
      if (DAY_RE.test(name)) {
        if (name < oldest) {
          await rm(full, { recursive: true, force: true });
          removed.push(name);
        }
        continue;
      }
      // A staging or replaced folder: left by a run that died; one of a run still going is younger than an hour.
      if (name.startsWith('.staging-') || name.startsWith('.replaced-')) {
        const s = await stat(full).catch(() => null);
        if (s && now - s.mtimeMs > 3_600_000) await rm(full, { recursive: true, force: true });
      }
    }
    return removed;
  }

  /** A published day's manifest, or null (no such day, or a day that was never completed). */
  async manifest(date: string): Promise<Manifest | null> {
    if (!DAY_RE.test(date)) return null;
    try {
      return JSON.parse(await readFile(path.join(this.dir, date, MANIFEST), 'utf8')) as Manifest;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  /** Every published day's manifest, newest first. */
  async days(): Promise<Manifest[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const days = names.filter((n) => DAY_RE.test(n)).sort((a, b) => b.localeCompare(a));
    const manifests = await Promise.all(days.map((d) => this.manifest(d)));
    return manifests.filter((m): m is Manifest => m !== null);
  }

  /**
   * A published file by day and name: only a name the day's manifest lists resolves, so no path a visitor types can
   * reach anything else. Null when there is no such file.
   */
  async file(date: string, name: string): Promise<{ path: string; entry: ManifestFile } | null> {
    const manifest = await this.manifest(date);
    const entry = manifest?.files.find((f) => f.name === name);
    return entry ? { path: path.join(this.dir, date, entry.name), entry } : null;
  }

  /** The manifest file's own path of a published day, or null. */
  async manifestPath(date: string): Promise<string | null> {
    return (await this.manifest(date)) ? path.join(this.dir, date, MANIFEST) : null;
  }
}
