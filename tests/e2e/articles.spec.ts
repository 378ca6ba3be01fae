/// <reference lib="dom" />
import { expect, test } from '@playwright/test';
import { expectAccessible, signInAs } from './helpers.js';

test('an article with a <script> in its body is published harmlessly', async ({ page }) => {
  await signInAs(page, 'reviewer', 'Review12345!');
  await page.goto('/admin/articles/new');
  await page.getByLabel('栏目').selectOption('news');
  await page.getByLabel('标题', { exact: true }).fill('新乡市发布第四季度红黑榜');
  await page.getByLabel(/^正文/).fill('<p>本季度共有<strong>12</strong>家企业列入红名单。</p><script>window.__pwned = true</script><img src=x onerror="window.__pwned = true">');
  await page.getByLabel('立即发布').check();
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('文章已发布')).toBeVisible();
  await page.goto('/policies?category=news');
  await page.getByRole('link', { name: '新乡市发布第四季度红黑榜' }).click();
  await expect(page.locator('[data-qa="article"] strong')).toHaveText('12');
  expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
  expect(await page.content()).not.toContain('__pwned');
  await expectAccessible(page);
});
