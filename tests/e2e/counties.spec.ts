/// <reference lib="dom" />
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './helpers.js';

/** How far the page scrolls sideways (0 when it fits). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('the county pages: from the footer to a county, its figures, 及时率, records and lists', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('contentinfo').getByRole('link', { name: '县市区信用' }).click();
  await expect(page).toHaveURL(/\/counties$/);
  await expect(page.getByRole('heading', { level: 1, name: '县市区信用' })).toBeVisible();
  // 12 counties and districts, 3 zones.
  await expect(page.getByTestId('county-list').getByRole('link')).toHaveCount(15);
  await expectAccessible(page);

  await page.getByRole('link', { name: '红旗区' }).click();
  await expect(page).toHaveURL(/\/counties\/410702$/);
  await expect(page.getByRole('heading', { level: 1, name: '红旗区' })).toBeVisible();
  // The demo data places records and subjects in every district.
  await expect(page.getByTestId('figure-reported')).not.toHaveText('0');
  await expect(page.getByTestId('figure-subjects')).not.toHaveText('0');
  await expect(page.getByTestId('county-timeliness')).toBeVisible();
  await expectAccessible(page);

  // A latest penalty opens its public page; "更多" leads to the 双公示 list filtered by the county.
  const first = page.getByTestId('county-penalties').getByRole('link').first();
  const name = (await first.textContent())!.trim();
  await first.click();
  await expect(page).toHaveURL(/\/publicity\/penalties\/\d+$/);
  await expect(page.getByText(name).first()).toBeVisible();
  await page.goBack();
  await page.getByRole('link', { name: /更多.*红旗区行政处罚/ }).click();
  await expect(page).toHaveURL(/\/publicity\/penalties\?county=\d+$/);

  const missing = await page.goto('/counties/410799');
  expect(missing!.status()).toBe(404);
  await expect(page.getByText('该县（市、区）不存在')).toBeVisible();
});

test('the county pages fit a 375-px phone, axe clean', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  for (const path of ['/counties', '/counties/410702', '/counties/410771']) {
    await page.goto(path);
    expect(await overflow(page), path).toBeLessThanOrEqual(0);
    await expectAccessible(page);
  }
});
