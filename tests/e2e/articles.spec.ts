/// <reference lib="dom" />
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signInAs } from './helpers.js';

/** The credit office writes an article and publishes it at once. */
async function publishArticle(page: Page, category: string, title: string, body: string) {
  await page.goto('/admin/articles/new');
  await page.getByLabel('栏目').selectOption(category);
  await page.getByLabel('标题', { exact: true }).fill(title);
  await page.getByLabel(/^正文/).fill(body);
  await page.getByLabel('立即发布').check();
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('文章已发布')).toBeVisible();
}

test('an article with a <script> in its body is published harmlessly', async ({ page }) => {
  await signInAs(page, 'reviewer', 'Review12345!');
  await publishArticle(
    page,
    'news',
    '新乡市发布第四季度红黑榜',
    '<p>本季度共有<strong>12</strong>家企业列入红名单。</p><script>window.__pwned = true</script><img src=x onerror="window.__pwned = true">',
  );
  await page.goto('/policies?category=news');
  await page.getByRole('link', { name: '新乡市发布第四季度红黑榜' }).click();
  await expect(page.locator('[data-qa="article"] strong')).toHaveText('12');
  expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
  expect(await page.content()).not.toContain('__pwned');
  await expectAccessible(page);
});

test('the credit office attaches a file to an article; the public page offers it for download; a renamed file is refused', async ({ page }) => {
  await signInAs(page, 'reviewer', 'Review12345!');
  await publishArticle(page, 'notice', '关于报送信用承诺履行情况的通知', '<p>请各部门按附件格式报送。</p>');
  await page
    .getByRole('row', { name: /关于报送信用承诺履行情况的通知/ })
    .getByRole('link', { name: '修改' })
    .first()
    .click();

  const input = page.getByLabel(/^上传附件/);
  await input.setInputFiles({ name: '伪装的表格.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from('not a workbook') });
  await page.getByRole('button', { name: '上传附件', exact: true }).click();
  await expect(page).toHaveTitle(/^错误：/);
  await expect(page.locator('.error-summary')).toContainText('内容不是Excel 表格');
  await expectAccessible(page);

  await page.getByLabel(/^上传附件/).setInputFiles({ name: '报送格式（2026）.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  await page.getByRole('button', { name: '上传附件', exact: true }).click();
  await expect(page.getByText('已上传 1 个附件')).toBeVisible();
  await expect(page.getByTestId('attachments-admin')).toContainText('报送格式（2026）.pdf');
  await expectAccessible(page);

  await page.goto('/policies?category=notice');
  await page.getByRole('link', { name: '关于报送信用承诺履行情况的通知' }).click();
  const link = page.getByTestId('article-attachments').getByRole('link', { name: '报送格式（2026）.pdf' });
  await expect(link).toBeVisible();
  const download = await page.request.get((await link.getAttribute('href')) ?? '');
  expect(download.headers()['content-disposition']).toContain("filename*=UTF-8''");
  await expectAccessible(page);
});
