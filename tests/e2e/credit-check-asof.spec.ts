import { expect, test } from '@playwright/test';
import { expectAccessible, signInAs } from './helpers.js';
import { day } from '../helpers/dates.js';
import { DEMO_SUBJECTS } from '../../src/seed/demo-subjects.js';

// Issue #17: a batch 信用核查 as of a day. A day before the publication history starts is a field error (with the
// day it starts); a valid day answers and the result says 「截至 …」.
test('信用核查 as of a day: refused before the history starts, then answered 截至 that day', async ({ page }) => {
  await signInAs(page, 'clerk', 'Clerk12345!');
  await page.goto('/admin/credit-check');
  await expectAccessible(page);
  await page.getByLabel('核查事由').fill('历史核查');
  await page.getByLabel('统一社会信用代码').fill(DEMO_SUBJECTS[0]!.uscc!);
  await page.getByLabel('核查日期（可选）').fill(day(-3650));
  await page.getByRole('button', { name: '开始核查' }).click();
  await expect(page).toHaveTitle(/^错误：/);
  await expect(page.getByTestId('error-summary')).toContainText('公示历史自');
  await expectAccessible(page);

  const asOf = day();
  await page.getByLabel('核查日期（可选）').fill(asOf);
  await page.getByRole('button', { name: '开始核查' }).click();
  await expect(page.getByRole('heading', { name: '信用核查结果' })).toBeVisible();
  await expect(page.getByTestId('check-as-of')).toContainText(`截至 ${asOf.slice(0, 4)}年${asOf.slice(5, 7)}月${asOf.slice(8, 10)}日`);
  await expect(page.getByTestId('check-rows')).toContainText(DEMO_SUBJECTS[0]!.uscc!);
  await expectAccessible(page);
});
