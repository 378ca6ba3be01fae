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
