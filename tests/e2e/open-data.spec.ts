import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { expectAccessible } from './helpers.js';

test('a visitor finds the open data in the footer, downloads the penalties CSV and checks it against the manifest', async ({ page, request }) => {
  await page.goto('/');
  await page.getByRole('contentinfo').getByRole('link', { name: '开放数据' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '开放数据' })).toBeVisible();
  await expect(page.getByTestId('open-data-licence')).toContainText('1 个工作日');
  await expectAccessible(page);

  // The demo start publishes the day's files (server.ts), so the newest day is listed.
  const link = page.getByTestId('open-data-file-penalties.csv').first();
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toMatch(/^信用新乡开放数据_penalties_\d{4}-\d{2}-\d{2}\.csv$/);
  const file = await readFile((await download.path())!);
  expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const header = file.subarray(3).toString('utf8').split('\r\n', 1)[0]!.split(',');
  expect(header.slice(0, 3)).toEqual(['ID', 'CF_XDR_MC', 'CF_XDR_LB']);
  expect(header).not.toContain('CF_FR_ZJHM');

  const date = /\/open-data\/(\d{4}-\d{2}-\d{2})\//.exec((await link.getAttribute('href'))!)![1]!;
  const manifest = (await (await request.get(`/open-data/${date}/manifest.json`)).json()) as { files: { name: string; sha256: string; bytes: number }[] };
  const entry = manifest.files.find((f) => f.name === 'penalties.csv')!;
  expect(entry.bytes).toBe(file.length);
  expect(entry.sha256).toBe(createHash('sha256').update(file).digest('hex'));
  // The page prints the same checksum beside the link.
  await expect(page.getByRole('row', { name: /行政处罚信息\s+CSV/ }).first()).toContainText(entry.sha256);
});
