/// <reference lib="dom" />
import { expect, test } from '@playwright/test';

test('the home and login pages fit a 375-px phone without sideways scrolling', async ({ page }) => {
  for (const path of ['/', '/admin/login', '/about']) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
    await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
  }
});
