import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { progressOf } from './progress.js';
import { estimateCsvRows } from './service.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'xx-progress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('import progress', () => {
  const startedAt = new Date('2026-12-03T06:00:00Z');
  it('rows read, estimated total, percent and time left at the rate so far', () => {
    const p = progressOf({ status: 'running', processedRows: 25_000, estimatedRows: 100_000, startedAt }, startedAt.getTime() + 10_000);
    expect(p).toEqual({ queued: false, read: 25_000, estimated: 100_000, percent: 25, secondsLeft: 30 });
  });

  it('no estimate (XLSX) or an estimate already passed: rows read only', () => {
    expect(progressOf({ status: 'running', processedRows: 5000, estimatedRows: null, startedAt }, startedAt.getTime() + 1000)).toMatchObject({
      estimated: null,
      secondsLeft: null,
    });
    expect(progressOf({ status: 'running', processedRows: 5000, estimatedRows: 4000, startedAt }, startedAt.getTime() + 1000)).toMatchObject({
      estimated: null,
      percent: null,
    });
  });

  it('queued and finished imports have no progress figures', () => {
    expect(progressOf({ status: 'queued', processedRows: 0, estimatedRows: null, startedAt })).toMatchObject({ queued: true, secondsLeft: null });
    expect(progressOf({ status: 'succeeded', processedRows: 10, estimatedRows: 10, startedAt })).toMatchObject({ queued: false, percent: null });
  });

  it('estimates a CSV’s data rows from its first megabyte', async () => {
    const line = '新乡市华兴食品有限公司,91410700174608534F,新市监罚〔2026〕1号\r\n';
    const whole = path.join(dir, 'small.csv');
    writeFileSync(whole, 'A,B,C\r\n' + line.repeat(100));
    expect(await estimateCsvRows(whole, 7 + Buffer.byteLength(line) * 100)).toBe(100);
    const big = path.join(dir, 'big.csv');
    const body = 'A,B,C\r\n' + line.repeat(40_000);
    writeFileSync(big, body);
    const estimate = (await estimateCsvRows(big, Buffer.byteLength(body)))!;
    expect(Math.abs(estimate - 40_000)).toBeLessThan(400);
  });
});
