import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { expectAccessible } from './helpers.js';
import { DEMO_NATURAL_PERSONS } from '../../src/seed/demo-subjects.js';

test('search by a two-character fragment, open the profile', async ({ page }) => {
  await page.goto('/');
  await page.locator('[data-qa="search-box"] input[name="q"]').first().fill('华兴');
  await page.locator('[data-qa="search-box"] button').first().click();
  await expect(page).toHaveURL(/\/search\?q=/);
  const result = page.getByRole('link', { name: '新乡市华兴食品有限公司' });
  await expect(result).toBeVisible();
  await expectAccessible(page);
  await result.click();
  await expect(page.locator('[data-qa="subject-name"]')).toHaveText('新乡市华兴食品有限公司');
  await expect(page.locator('[data-qa="subject-uscc"]')).toHaveText('91410700174608534E');
  for (const key of ['basic', 'permits', 'penalties', 'red', 'black', 'commitments', 'other'])
    await expect(page.locator(`[data-qa="section-${key}"]`)).toBeVisible();
  await expect(page.locator('[data-qa="section-permits"] tbody tr').first()).toBeVisible();
  await expectAccessible(page);

  // Download the credit report, open the address its QR code carries, and verify the file there.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-qa="download-report"]').click()]);
  const reportNo = /(XXCR[0-9A-Z]+)/.exec(download.suggestedFilename())?.[1];
  expect(reportNo).toBeTruthy();
  const pdf = await readFile((await download.path())!);
  expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
  await page.goto(`/reports/${reportNo}`);
  await expect(page.locator('main')).toContainText('新乡市华兴食品有限公司');
  await expectAccessible(page);
  await page.getByLabel('报告文件（PDF）').setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: pdf });
  await page.locator('[data-qa="verify-submit"]').click();
  await expect(page.locator('main')).toContainText('核验通过');
  const tampered = Buffer.from(pdf);
  const middle = Math.floor(tampered.length / 2);
  tampered[middle] = tampered[middle]! ^ 0x01;
  await page.getByLabel('报告文件（PDF）').setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: tampered });
  await page.locator('[data-qa="verify-submit"]').click();
  await expect(page.locator('main')).toContainText('核验未通过');
});

test('a broken code gets the reason, not "no results"', async ({ page }) => {
  const res = await page.goto('/search?q=91410700174608534F');
  expect(res?.status()).toBe(400);
  await expect(page.locator('[data-qa="search-error"]')).toContainText('第18位校验码应为 E');
});

test('natural-person lookup: a wrong number finds nothing, the right pair shows the masked record', async ({ page }) => {
  const p = DEMO_NATURAL_PERSONS[0]!;
  await page.goto('/search/person');
  await page.getByLabel('姓名').fill(p.name);
  await page.getByLabel('证件号码').fill('410782199207080029');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.locator('[data-qa="person-none"]')).toBeVisible();
  await page.getByLabel('证件号码').fill(p.docNumber);
  await page.getByRole('button', { name: '查询' }).click();
  const result = page.locator('[data-qa="person-result"]');
  await expect(result).toContainText(`${p.docNumber.slice(0, 6)}********${p.docNumber.slice(-4)}`);
  await expect(result.locator('tbody tr').first()).toBeVisible();
  expect(await page.content()).not.toContain(p.docNumber);
  await expectAccessible(page);
});
