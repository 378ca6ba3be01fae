/// <reference lib="dom" />
import { expect, test } from '@playwright/test';
import { expectAccessible } from './helpers.js';

// The public 信用统计 page: charts drawn on the server, each with its table and CSV, readable at desktop and phone widths.
for (const width of [1280, 375]) {
  test(`信用统计 at ${width} px: charts with their tables, accessible, no sideways scrolling`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto('/statistics');
    await expect(page.getByRole('heading', { level: 1, name: '信用统计' })).toBeVisible();
    // Every chart is an image with a name, and its figures are in a table below it.
    const charts = page.locator('svg[role="img"]');
    expect(await charts.count()).toBeGreaterThanOrEqual(4);
    const monthly = page.locator('[data-qa="stat-monthly"]');
    await expect(monthly.locator('table tbody tr')).toHaveCount(12);
    // The demo data fills the counties' table, linked to the county pages.
    await expect(page.locator('[data-qa="stat-counties"] table tbody tr').first()).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(page);
    const download = page.waitForEvent('download');
    await monthly.getByRole('link', { name: /下载 CSV/ }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.csv$/);
  });
}

test('the home page shows the statistics panel and the red/black list summary', async ({ page }) => {
  await page.goto('/');
  const panel = page.locator('[data-qa="home-statistics"]');
  await expect(panel.locator('svg[role="img"]')).toBeVisible();
  await expect(panel.locator('[data-qa="home-lists"]')).toContainText(/现行有效的守信红名单 \d+ 户/);
  await expectAccessible(page);
});
