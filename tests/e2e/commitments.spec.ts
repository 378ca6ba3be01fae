import { expect, test } from '@playwright/test';
import { attempt, expectAccessible, signInAs } from './helpers.js';
import { commitmentCsv } from '../helpers/imports.js';
import { COMPANY_USCC } from '../helpers/records.js';
import { slashDay } from '../helpers/dates.js';

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

test('a clerk uploads a commitments CSV: a bad file lists its bad rows and writes nothing; a good one lands on /commitments', async ({ page }) => {
  const a = attempt();
  const row = (name: string, over: Record<string, string> = {}) => ({
    promisorName: name,
    promisorCategory: '法人及非法人组织',
    promisorCode: COMPANY_USCC,
    commitmentType: '审批替代型',
    matter: `${name}以承诺替代审批`,
    content: '按承诺条件开展经营',
    liability: '撤销审批并记入信用记录',
    madeOn: slashDay(-30),
    disclosure: '可向社会公开',
    ...over,
  });
  const upload = async (name: string, csv: string) => {
    await page.goto('/admin/commitments');
    await page.getByTestId('commitment-batch').click();
    await expect(page.getByLabel('数据类别')).toHaveValue('commitment');
    await page.getByLabel('文件（.csv 或 .xlsx）').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: '开始导入' }).click();
    await expect(page.getByTestId('import-status')).not.toContainText('正在导入', { timeout: 20_000 });
  };
  await signInAs(page, 'clerk', 'Clerk12345!');

  await upload(
    '有错误的承诺.csv',
    commitmentCsv([
      row(`新乡市端到端承诺甲${a}有限公司`),
      row(`新乡市端到端承诺乙${a}有限公司`, { promisorCode: '91410700174608534F' }),
      row(`新乡市端到端承诺丙${a}有限公司`, { liability: '' }),
    ]),
  );
  await expect(page.getByTestId('import-status')).toContainText('未写入任何数据');
  await expect(page.locator('[data-qa="import-errors"] tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('import-errors')).toContainText('第 3 行');
  await expect(page.getByTestId('import-errors')).toContainText('第 4 行');
  await expectAccessible(page);
  await page.goto('/commitments?q=端到端承诺');
  await expect(page.getByRole('link', { name: `新乡市端到端承诺甲${a}有限公司` })).toHaveCount(0);

  await upload('承诺.csv', commitmentCsv([row(`新乡市端到端承诺甲${a}有限公司`), row(`新乡市端到端承诺丁${a}有限公司`)]));
  await expect(page.getByTestId('import-status')).toContainText('导入成功');
  await page.goto('/commitments?q=端到端承诺');
  await expect(page.getByRole('link', { name: `新乡市端到端承诺甲${a}有限公司` })).toBeVisible();
  await expect(page.getByRole('link', { name: `新乡市端到端承诺丁${a}有限公司` })).toBeVisible();

  const letter = await page.request.get((await page.getByRole('link', { name: /信用修复承诺书/ }).getAttribute('href')) ?? '');
  expect(letter.headers()['content-type']).toBe('application/pdf');
});
