import { expect, test } from '@playwright/test';
import { expectAccessible, signInAs } from './helpers.js';

test('a clerk enters a commitment; it appears publicly and on the profile', async ({ page }) => {
  await signInAs(page, 'clerk', 'Clerk12345!');
  await page.goto('/admin/commitments/new');
  await page.getByLabel('承诺人名称').fill('新乡市鑫达商贸有限公司');
  await page.getByLabel('承诺人代码').fill('91410700569821479Q');
  await page.getByLabel('承诺类型').selectOption('证明事项型');
  await page.getByLabel('承诺事由').fill('以告知承诺替代无违法记录证明');
  await page.getByLabel('承诺内容', { exact: true }).fill('本单位近三年无重大违法记录');
  await page.getByLabel('违诺责任').fill('承担相应法律责任');
  await expectAccessible(page);
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText(/已录入信用承诺/)).toBeVisible();
  await page.goto('/commitments');
  await page.getByRole('link', { name: '新乡市鑫达商贸有限公司' }).first().click();
  await expect(page.locator('[data-qa="commitment"]')).toContainText('本单位近三年无重大违法记录');
  await expectAccessible(page);
  await page.goto('/subjects/91410700569821479Q');
  await expect(page.locator('[data-qa="section-commitments"]')).toContainText('以告知承诺替代无违法记录证明');
});
