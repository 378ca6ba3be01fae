/// <reference lib="dom" />
import { expect, test } from '@playwright/test';
import { expectAccessible } from './helpers.js';

test('the home and login pages fit a 375-px phone without sideways scrolling', async ({ page }) => {
  for (const path of ['/', '/admin/login', '/about']) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
    await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
  }
});

test('on a phone the main navigation collapses behind an accessible menu button', async ({ page }) => {
  test.skip(test.info().project.name !== 'phone', 'the phone layout');
  await page.goto('/');
  const nav = page.getByRole('navigation', { name: '主导航' });
  const toggle = nav.getByRole('button', { name: '菜单' });
  const link = nav.getByRole('link', { name: '双公示' });
  await expect(toggle).toBeVisible();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(link).toBeHidden();
  // the seven links took 265 px of a 740-px screen; the closed menu is one row
  const closed = (await nav.boundingBox())!.height;
  expect(closed).toBeLessThanOrEqual(64);
  await expectAccessible(page);

  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(link).toBeVisible();
  expect((await nav.boundingBox())!.height).toBeGreaterThan(closed);
  await expectAccessible(page);

  await page.keyboard.press('Escape');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(toggle).toBeFocused();
  await expect(link).toBeHidden();

  await toggle.click();
  await link.click();
  await expect(page).toHaveURL(/\/publicity$/);
});

test('without script the phone navigation shows its links and no menu button', async ({ browser }) => {
  test.skip(test.info().project.name !== 'phone', 'the phone layout');
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 740 } });
  try {
    const page = await context.newPage();
    await page.goto(test.info().project.use.baseURL + '/');
    const nav = page.getByRole('navigation', { name: '主导航' });
    await expect(nav.getByRole('link', { name: '双公示' })).toBeVisible();
    await expect(nav.getByRole('button', { name: '菜单' })).toHaveCount(0);
  } finally {
    await context.close();
  }
});

test('on a phone the 双公示 results come before the filter form, with a link to it', async ({ page }) => {
  test.skip(test.info().project.name !== 'phone', 'the phone layout');
  await page.goto('/publicity/penalties');
  const results = page.getByTestId('publicity-results');
  const form = page.getByTestId('publicity-filter');
  const resultsTop = (await results.boundingBox())!.y;
  expect(resultsTop).toBeLessThan((await form.boundingBox())!.y);
  expect(resultsTop).toBeLessThan(500);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.getByRole('link', { name: '修改查询条件' }).click();
  await expect(page).toHaveURL(/#publicity-filter$/);
  await expectAccessible(page);
});
