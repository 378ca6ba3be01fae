import { chmodSync, createWriteStream, mkdirSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import multer from 'multer';
import { randomUUID } from 'node:crypto';

/** Uploads waiting for (or being read by) a background job: inside UPLOAD_DIR, never the shared os.tmpdir(). */
export const incomingDir = (uploadDir: string): string => path.join(uploadDir, 'incoming');
/** Large exports written by a background job, downloadable by their owner for 24 hours. */
export const exportDir = (uploadDir: string): string => path.join(uploadDir, 'exports');

/** A file nobody removed (request cut, job interrupted, process killed) is deleted once it is this old. */
export const LEFTOVER_MAX_AGE_MS = 2 * 3_600_000;

/** Creates the folder (and its parents) readable by the app's user only; an existing one is tightened to 0700. */
export function ensurePrivateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

/**
 * multer storage into `dir` (0700), each file created 0600 under a random name, so another local user can neither
 * list nor read what a department uploaded. (multer's own disk storage creates files with the umask, usually 0644.)
 */
export function privateDiskStorage(dir: string): multer.StorageEngine {
  return {
    _handleFile(_req, file, cb) {
      let target: string;
      try {
        target = path.join(ensurePrivateDir(dir), randomUUID());
      } catch (err) {
        return cb(err as Error);
      }
      const out = createWriteStream(target, { mode: 0o600, flags: 'wx' });
      const fail = (err: Error) => {
        out.destroy();
        void rm(target, { force: true }).finally(() => cb(err));
      };
      out.on('error', fail);
      file.stream.on('error', fail);
      out.on('finish', () => cb(null, { destination: dir, filename: path.basename(target), path: target, size: out.bytesWritten }));
      file.stream.pipe(out);
    },
    _removeFile(_req, file, cb) {
      rm(file.path, { force: true }).then(() => cb(null), cb);
    },
  };
}

/** Deletes plain files in `dir` last modified more than `maxAgeMs` ago; returns how many went. Missing dir: 0. */
export async function sweepOldFiles(dir: string, maxAgeMs = LEFTOVER_MAX_AGE_MS, now = Date.now()): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  let removed = 0;
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      const s = await stat(file);
      if (!s.isFile() || now - s.mtimeMs <= maxAgeMs) continue;
      await rm(file, { force: true });
      removed++;
    } catch {
      // gone meanwhile
    }
  }
  return removed;
}
