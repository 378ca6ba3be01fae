import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signInAs } from './helpers.js';
import { day } from '../helpers/dates.js';

// A 1×1 PNG, as a scanned document would be attached.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f8b1b10000000049454e44ae426082',
  'hex',
);

/** Opens the newest public penalty of a legal person matching the filters; returns its URL and the subject's USCC. */
async function openPenalty(page: Page, query: string): Promise<{ url: string; uscc: string; documentNo: string }> {
  await page.goto(`/publicity/penalties?category=${encodeURIComponent('法人及非法人组织')}&${query}`);
  // A retry takes another record: the failed attempt may have left an objection or a repair on the first one.
  await page.locator('[data-qa="publicity-table"] tbody tr').nth(test.info().retry).getByRole('link').click();
  const value = (label: string) =>
    page
      .locator('.field-list__row')
      .filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) })
      .locator('dd');
  return { url: page.url(), uscc: (await value('统一社会信用代码').innerText()).trim(), documentNo: (await value('行政处罚决定书文号').innerText()).trim() };
}

// The objection journey, with its Art. 41 due dates, is objection-deadlines.spec.ts.

test('信用修复: a request before the minimum period is refused; after it, the department and the office approve and the penalty leaves the public columns', async ({
  browser,
}) => {
  const person = async () => (await browser.newContext()).newPage();
  const subject = await person();

  const apply = async (rec: { url: string; uscc: string }) => {
    await subject.goto(rec.url);
    await subject.getByRole('link', { name: '申请信用修复' }).click();
    await subject.getByLabel(/行政相对人的统一社会信用代码/).fill(rec.uscc);
    await subject.getByLabel('联系人').fill('王经理');
    await subject.getByLabel('联系电话').fill('0373-3030000');
    await subject.getByLabel('纠正失信行为情况').fill('已足额缴纳罚款，完成整改并通过复查');
    await subject.getByLabel(/已履行行政处罚决定规定的全部义务/).check();
    await subject.getByLabel(/履行全部义务的证明材料/).setInputFiles({ name: '缴款凭证.png', mimeType: 'image/png', buffer: PNG });
    await subject.getByLabel(/我已阅读并作出以上承诺/).check();
    await subject.getByRole('button', { name: '提交申请' }).click();
    return (await subject.locator('[data-qa="case-no"]').innerText()).trim();
  };

  // Decided within the last two months by market supervision (its published penalties are 一般 or 严重): before the minimum.
  await subject.goto('/publicity/penalties');
  const marketId = await subject.locator('#dept option', { hasText: '新乡市市场监督管理局' }).getAttribute('value');
  const early = await openPenalty(subject, `dept=${marketId}&from=${day(-60)}`);
  await subject.getByRole('link', { name: '申请信用修复' }).click();
  await expect(subject.locator('[data-qa="repair-warning"]')).toContainText('最短公示期未满');
  await expectAccessible(subject);
  await apply(early);
  await expect(subject.locator('[data-qa="case-status"]')).toHaveText('不予修复');
  await expect(subject.locator('[data-qa="refusal-reason"]')).toContainText('最短公示期未满');

  // More than a year old, from the environment bureau (clerk2's department).
  await subject.goto('/publicity/penalties');
  const deptId = await subject.locator('#dept option', { hasText: '新乡市生态环境局' }).getAttribute('value');
  const old = await openPenalty(subject, `dept=${deptId}&to=${day(-400)}`);
  const caseNo = await apply(old);
  await expect(subject.locator('[data-qa="case-status"]')).toHaveText('待数据来源单位审核');

  const clerk = await person();
  await signInAs(clerk, 'clerk2', 'Clerk12345!');
  await clerk.goto('/admin/repairs');
  await clerk.getByRole('link', { name: caseNo }).click();
  await clerk.getByLabel('同意，报信用办审核').check();
  await clerk.getByLabel('意见').fill('已核实缴款凭证和整改报告');
  await clerk.getByRole('button', { name: '提交' }).click();
  await expect(clerk.locator('[data-qa="repair-status"]')).toHaveText('待信用办审核');

  const office = await person();
  await signInAs(office, 'reviewer', 'Review12345!');
  await office.goto('/admin/repairs');
  await office.getByRole('link', { name: caseNo }).click();
  await expectAccessible(office);
  await office.getByLabel('批准修复，停止公示').check();
  await office.getByRole('button', { name: '提交' }).click();
  await expect(office.locator('[data-qa="repair-status"]')).toHaveText('已修复，停止公示');

  const gone = await subject.goto(old.url);
  expect(gone?.status()).toBe(404);
  await subject.goto(`/publicity/penalties?q=${encodeURIComponent(old.documentNo)}`);
  await expect(subject.locator('[data-qa="no-results"]')).toBeVisible();
  await subject.goto(`/repairs/${caseNo}`);
  await expect(subject.locator('[data-qa="case-status"]')).toHaveText('已修复，停止公示');
});
