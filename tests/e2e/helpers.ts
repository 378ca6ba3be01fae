import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

/** No serious or critical WCAG 2.1 A/AA violations on the current page. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

/** Signs in through the login form and waits for the dashboard. */
export async function signInAs(page: Page, username: string, password: string) {
  await page.goto('/admin/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('heading', { name: '控制台' })).toBeVisible();
}

/**
 * '' on a test's first run, 「第N次」 on its retries: a retry runs on the same database as the failed attempt, so what it
 * creates (文书号, names) must differ from what that attempt may already have stored, withdrawn or disputed.
 */
export function attempt(): string {
  const retry = test.info().retry;
  return retry === 0 ? '' : `第${retry + 1}次`;
}
