import { expect, test } from '@playwright/test';
import { attempt, expectAccessible, signInAs } from './helpers.js';

// A demo company (the commitments journey uses it too).
const CODE = '91410700569821479Q';

test('a clerk watches a company by typing its code; a new commitment of it appears in 「关注动态」', async ({ page }) => {
  // Two background scans (the baseline, then the change) on top of the journey's pages and five axe runs.
  test.setTimeout(240_000);
  const a = attempt();
  await signInAs(page, 'clerk', 'Clerk12345!');
  await page.getByRole('link', { name: '关注名单' }).click();
  await expect(page.getByRole('heading', { name: '关注名单', level: 1 })).toBeVisible();
  await expectAccessible(page);

  // A bad check digit: the error names the line, nothing is saved.
  await page.getByLabel('名单名称（如：重点监管企业）').fill(`招投标重点企业${a}`);
  await page.getByLabel('统一社会信用代码', { exact: true }).fill(`${CODE}\n91410700569821479A`);
  await page.getByRole('button', { name: '创建名单' }).click();
  await expect(page.getByTestId('error-summary')).toContainText('第 2 行');
  await expect(page).toHaveTitle(/^错误：/);
  await expectAccessible(page);

  await page.getByLabel('统一社会信用代码', { exact: true }).fill(CODE);
  await page.getByRole('button', { name: '创建名单' }).click();
  await expect(page.getByTestId('flash')).toContainText('已创建关注名单');
  await expect(page.getByTestId('watch-items')).toContainText(CODE);
  // The baseline is taken by the scan the save queued: wait for it before changing anything.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('watch-items')).toContainText('已建立', { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expectAccessible(page);

  // Something public changes for the subject: a new commitment.
  await page.goto('/admin/commitments/new');
  await page.getByLabel('承诺人名称').fill('新乡市鑫达商贸有限公司');
  await page.getByLabel('承诺人代码').fill(CODE);
  await page.getByLabel('承诺类型').selectOption('证明事项型');
  await page.getByLabel('承诺事由').fill(`关注名单测试承诺${a}`);
  await page.getByLabel('承诺内容', { exact: true }).fill('本单位按期提交证明材料');
  await page.getByLabel('违诺责任').fill('承担相应法律责任');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText(/已录入信用承诺/)).toBeVisible();

  await page.goto('/admin/watch-notices');
  await page.getByTestId('watch-scan').click();
  await expect(async () => {
    await page.goto('/admin/watch-notices?unread=1');
    await expect(page.getByTestId('watch-notices')).toContainText(`关注名单测试承诺${a}`, { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByRole('link', { name: /关注动态（\d+ 条未读）/ })).toBeVisible();
  await expectAccessible(page);

  await page.getByTestId('watch-notice-link').first().click();
  await expect(page.getByTestId('evidence-hash')).toHaveText(/^[0-9a-f]{64}$/);
  await expect(page.getByTestId('evidence-content')).toContainText(CODE);
  await expectAccessible(page);
});
