import { expect, test } from '@playwright/test';
import { expectAccessible, signInAs } from './helpers.js';

// The demo data of src/seed/columns.ts (issue #15): what a newcomer sees in every column after `npm start`.

test('the article columns have content, and an attachment downloads as a PDF', async ({ page }) => {
  for (const [category, title] of [
    ['policy', '河南省社会信用条例'],
    ['news', '红旗区开展“信用进社区”宣传周活动'],
    ['notice', '关于做好年度信用承诺履约核查工作的通知'],
  ] as const) {
    await page.goto(`/policies?category=${category}`);
    await expect(page.getByTestId('no-articles')).toHaveCount(0);
    await expect(page.getByTestId('articles')).toContainText(title);
  }
  await page.goto('/policies?category=policy');
  await page.getByRole('link', { name: '关于推行信用承诺制的实施意见' }).click();
  await expect(page.locator('[data-qa="article"] table')).toContainText('审批替代型');
  const link = page.getByTestId('article-attachments').getByRole('link', { name: '信用承诺书（通用模板）.pdf' });
  const pdf = await page.request.get((await link.getAttribute('href')) ?? '');
  expect(pdf.headers()['content-type']).toContain('application/pdf');
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
  await expectAccessible(page);
});

test('the commitments column and the earlier list issue with its exit notice', async ({ page }) => {
  await page.goto('/commitments');
  await expect(page.getByText('原阳县金穗水稻种植专业合作社').first()).toBeVisible();
  await expectAccessible(page);
  await page.goto('/lists');
  // 总第1期 is the issue of six years ago whose entries are archived (条例 Art. 19); 总第2期 is the earlier demo quarter.
  await page.getByRole('link', { name: /总第2期/ }).click();
  await expect(page.locator('[data-qa="issue-red"] tbody tr, [data-qa="issue-red"] li')).not.toHaveCount(0);
  await expect(page.getByTestId('notices')).toContainText('退出公告');
  await expectAccessible(page);
});

test('an implementing department sees the tasks it answered', async ({ page }) => {
  await signInAs(page, 'clerk2', 'Clerk12345!');
  await page.goto('/admin/tasks?status=implemented');
  await expect(page.getByTestId('tasks')).toContainText('列为重点监管对象，提高现场检查频次');
  await expectAccessible(page);
});
