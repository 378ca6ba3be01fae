import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signInAs } from './helpers.js';

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

test('the public catalogue is linked from the footer and lists every item with its fields (desktop)', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('contentinfo').getByRole('link', { name: '信息目录' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '公共信用信息目录' })).toBeVisible();
  await expect(page.locator('[data-qa="catalogue-item"]')).toHaveCount(8);
  await expect(page.getByRole('heading', { level: 2, name: '行政处罚信息' })).toBeVisible();
  await expect(page.getByRole('region', { name: '行政处罚信息的信息项' }).getByRole('row', { name: /CF_FR_ZJHM/ })).toContainText('政务共享');
  await expectAccessible(page);
});

test('the public catalogue fits a 375-px phone without sideways scrolling and stays accessible', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto('/catalogue');
  await expect(page.getByRole('heading', { level: 1, name: '公共信用信息目录' })).toBeVisible();
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await expectAccessible(page);
});

test('the credit office switches a field to 政务共享 and back; the public catalogue and the record page follow', async ({ page }) => {
  await signInAs(page, 'reviewer', 'Review12345!');
  await page.goto('/admin/catalogue');
  await expectAccessible(page);
  await page.getByRole('link', { name: /^编辑\s*行政处罚信息$/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: /编辑目录项：行政处罚信息/ })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('违法事实').selectOption('government');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('已保存目录项“行政处罚信息”')).toBeVisible();

  await page.goto('/catalogue');
  await expect(page.getByRole('region', { name: '行政处罚信息的信息项' }).getByRole('row', { name: /CF_SY/ })).toContainText('政务共享');
  await page.goto('/publicity/penalties');
  await page.locator('table a[href^="/publicity/penalties/"]').first().click();
  await expect(page.locator('[data-qa="record-fields"]')).toBeVisible();
  await expect(page.locator('[data-qa="record-fields"] dt', { hasText: /^违法事实$/ })).toHaveCount(0);

  await page.goto('/admin/catalogue');
  await page.getByRole('link', { name: /^编辑\s*行政处罚信息$/ }).click();
  await page.getByLabel('违法事实').selectOption('public');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('已保存目录项“行政处罚信息”')).toBeVisible();
  await page.goto('/publicity/penalties');
  await page.locator('table a[href^="/publicity/penalties/"]').first().click();
  await expect(page.locator('[data-qa="record-fields"] dt', { hasText: /^违法事实$/ })).toHaveCount(1);
});
