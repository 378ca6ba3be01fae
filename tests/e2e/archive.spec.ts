import { expect, test } from '@playwright/test';
import { expectAccessible, signInAs } from './helpers.js';
import { monthsFrom } from '../helpers/dates.js';
import { DEMO_SUBJECTS } from '../../src/seed/demo-subjects.js';

// 档案化申请 (条例 Art. 44) on the demo data (src/seed/disclosure.ts): the subject finds its penalty by 文书号 and code,
// the credit office approves the pending request, and the back office shows the penalty archived with its 失信 state.
test('档案化申请: lookup, the office archives, the record says so', async ({ browser }) => {
  const subject = await (await browser.newContext()).newPage();
  const documentNo = `新市监罚〔${monthsFrom(-24).slice(0, 4)}〕档2号`;
  await subject.goto('/objections');
  await subject.getByLabel('处罚决定书文号').fill(documentNo);
  await subject
    .locator('[data-qa="archive-lookup"]')
    .getByLabel(/行政相对人的统一社会信用代码/)
    .fill(DEMO_SUBJECTS[4]!.uscc!);
  await subject.getByRole('button', { name: '申请归档' }).click();
  await expect(subject.getByRole('heading', { name: '申请信用信息归档' })).toBeVisible();
  await expect(subject.locator('[data-qa="archive-record"]')).toContainText(documentNo);
  await expect(subject.locator('[data-qa="archive-record"]')).not.toContainText(DEMO_SUBJECTS[4]!.name);
  await expectAccessible(subject);

  const office = await (await browser.newContext()).newPage();
  await signInAs(office, 'reviewer', 'Review12345!');
  await office.goto('/admin/archive-requests');
  await expectAccessible(office);
  await office.locator('[data-qa="archive-requests"]').getByRole('link').first().click();
  const caseNo = (await office.locator('h1').innerText()).match(/GD\w+/)![0];
  await office.getByLabel('同意归档').check();
  await office.getByRole('button', { name: '提交' }).click();
  await expect(office.locator('body')).toContainText('已同意归档');

  await office.getByRole('link', { name: documentNo }).click();
  await expect(office.locator('[data-qa="archived"]')).toContainText('已归档');
  await expect(office.locator('[data-qa="dishonesty-state"]')).toContainText('已生效');
  await expect(office.locator('[data-qa="archive-state"]')).toContainText('信用主体申请归档');
  await expectAccessible(office);

  await subject.goto(`/archive-requests/${caseNo}`);
  await expect(subject.locator('[data-qa="case-status"]')).toHaveText('已归档');
  await expectAccessible(subject);
});

// 条例 Art. 20: the department records a 行政复议 against its penalty and its outcome; the page shows the 失信 state.
test('失信 state: a clerk records a 行政复议 and its outcome', async ({ page }) => {
  await signInAs(page, 'clerk', 'Clerk12345!');
  await page.goto('/admin/penalties?status=public');
  const links = page.locator('[data-qa="admin-records"] tbody tr a');
  // A record without a challenge yet (a retry, or the demo's own challenges, may have taken the first ones).
  for (let i = 0; ; i++) {
    await page.goto('/admin/penalties?status=public');
    await links.nth(i).click();
    if (await page.locator('[data-qa="challenge-form"]').count()) break;
  }
  await expectAccessible(page);
  const form = page.locator('[data-qa="challenge-form"]');
  await form.getByLabel('行政复议').check();
  // The decision date (the challenge is filed on it: never in the future, never before it).
  const decided = (
    await page
      .locator('[data-qa="record-fields"] .field-list__row')
      .filter({ has: page.locator('dt', { hasText: /^处罚决定日期/ }) })
      .locator('dd')
      .innerText()
  )
    .trim()
    .replace(/\//g, '-');
  await form.getByLabel('申请（起诉）日期').fill(decided);
  await form.getByRole('button', { name: '登记' }).click();
  await expect(page.locator('[data-qa="dishonesty-state"]')).toContainText('已申请复议');

  const outcome = page.locator('[data-qa="challenge-outcome-form"]');
  await outcome.getByLabel('维持').check();
  await outcome.getByLabel('结果日期').fill(decided);
  await outcome.getByRole('button', { name: '登记结果' }).click();
  await expect(page.locator('[data-qa="dishonesty-state"]')).toContainText('已维持');
  await expectAccessible(page);
});
