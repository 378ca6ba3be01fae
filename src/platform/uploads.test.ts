import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { LEFTOVER_MAX_AGE_MS, ensurePrivateDir, incomingDir, privateDiskStorage, sweepOldFiles } from './uploads.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'xx-uploads-unit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const mode = (p: string) => statSync(p).mode & 0o777;

describe('upload folder', () => {
  it('is created 0700 (parents too), and an existing looser folder is tightened', () => {
    const dir = incomingDir(path.join(root, 'data', 'uploads'));
    ensurePrivateDir(dir);
    expect(mode(dir)).toBe(0o700);
    const loose = path.join(root, 'loose');
    mkdirSync(loose, { mode: 0o777 });
    ensurePrivateDir(loose);
    expect(mode(loose)).toBe(0o700);
  });

  it('multer storage writes each upload 0600 under a random name inside it, whatever the umask', async () => {
    const dir = path.join(root, 'store', 'incoming');
    const storage = privateDiskStorage(dir);
    const old = process.umask(0o000);
    try {
      const info = await new Promise<{ path?: string; size?: number }>((resolve, reject) =>
        storage._handleFile({} as never, { stream: Readable.from([Buffer.from('a,b\r\n1,2\r\n')]), originalname: '../../etc/passwd' } as never, (err, i) =>
          err ? reject(err) : resolve(i ?? {}),
        ),
      );
      expect(path.dirname(info.path!)).toBe(dir);
      expect(path.basename(info.path!)).toMatch(/^[0-9a-f-]{36}$/);
      expect(info.size).toBe(10);
      expect(readFileSync(info.path!, 'utf8')).toBe('a,b\r\n1,2\r\n');
      expect(mode(info.path!)).toBe(0o600);
      expect(mode(dir)).toBe(0o700);
      await new Promise<void>((resolve, reject) => storage._removeFile({} as never, info as never, (err) => (err ? reject(err) : resolve())));
      expect(existsSync(info.path!)).toBe(false);
    } finally {
      process.umask(old);
    }
  });

  it('the sweep removes files older than 2 hours and keeps newer ones and folders', async () => {
    const dir = ensurePrivateDir(path.join(root, 'sweep'));
    const now = Date.now();
    const old = path.join(dir, 'old');
    const fresh = path.join(dir, 'fresh');
    writeFileSync(old, 'x');
    writeFileSync(fresh, 'y');
    const past = (now - LEFTOVER_MAX_AGE_MS - 60_000) / 1000;
    utimesSync(old, past, past);
    // Both times from this process's clock, not the kernel's: they differ under scripts/test-at.sh.
    utimesSync(fresh, now / 1000, now / 1000);
    mkdirSync(path.join(dir, 'sub'));
    expect(await sweepOldFiles(dir, LEFTOVER_MAX_AGE_MS, now)).toBe(1);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(existsSync(path.join(dir, 'sub'))).toBe(true);
    expect(await sweepOldFiles(path.join(root, 'missing'))).toBe(0);
  });
});
