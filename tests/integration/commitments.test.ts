import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom, seedUsers, signIn, type TestApp } from '../helpers/app.js';
import { COMPANY_USCC } from '../helpers/records.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedUsers(t.deps);
});
afterAll(async () => t.close());

const base = {
  promisorName: '新乡市华兴食品有限公司',
  promisorCategory: '法人及非法人组织',
  promisorCode: COMPANY_USCC,
  commitmentType: '容缺受理型',
  matter: '食品经营许可容缺受理',
  content: '30 日内补齐材料',
  liability: '撤销许可并列入失信记录',
  madeOn: '2026-11-01',
  disclosure: '可向社会公开',
};

describe('信用承诺', () => {
  it('a clerk enters a commitment; it appears publicly and on the profile; a broken one is flagged', async () => {
    const clerk = await signIn(t.app, 't-clerk');
    const token = csrfFrom((await clerk.get('/admin/commitments/new')).text);
    const bad = await clerk
      .post('/admin/commitments')
      .type('form')
      .send({ ...base, promisorCode: '91410700174608534F', content: '', _csrf: token });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('第18位校验码应为 E');
    expect(bad.text).toContain('请填写承诺内容');
    const ok = await clerk
      .post('/admin/commitments')
      .type('form')
      .send({ ...base, _csrf: token });
    expect(ok.status).toBe(303);
    const hidden = await clerk
      .post('/admin/commitments')
      .type('form')
      .send({ ...base, matter: '不公开的承诺', disclosure: '不可公开', _csrf: token });
    expect(hidden.status).toBe(303);
    const c = await t.deps.db.commitment.findFirstOrThrow({ where: { matter: '食品经营许可容缺受理' } });
    expect(c.code).toMatch(/^410700\d{8}000001$/);

    const list = await request(t.app).get('/commitments');
    expect(list.text).toContain('食品经营许可容缺受理');
    expect(list.text).not.toContain('不公开的承诺');
    expect((await request(t.app).get(`/commitments/${c.id}`)).text).toContain('30 日内补齐材料');
    const profile = await request(t.app).get(`/subjects/${COMPANY_USCC}`);
    expect(profile.text).toMatch(/data-qa="section-commitments"[\s\S]*食品经营许可容缺受理/);
    expect(profile.text).not.toContain('存在违诺');

    const noDetail = await clerk.post(`/admin/commitments/${c.id}/fulfilment`).type('form').send({ fulfilment: '全部未履行', _csrf: token });
    // Refused: the list again with that form's problems in the summary and its values kept.
    expect(noDetail.status).toBe(400);
    expect(noDetail.text).toContain(`<a href="#u-${c.id}">`);
    expect(noDetail.text).toContain('<option value="全部未履行" selected>全部未履行</option>');
    expect((await t.deps.db.commitment.findUniqueOrThrow({ where: { id: c.id } })).fulfilment).toBeNull();
    await clerk
      .post(`/admin/commitments/${c.id}/fulfilment`)
      .type('form')
      .send({ fulfilment: '全部未履行', unfulfilledContent: '逾期未补齐材料', liabilityPursued: '已撤销许可', _csrf: token });
    expect((await request(t.app).get(`/subjects/${COMPANY_USCC}`)).text).toContain('存在违诺');
  });
});

describe('信用承诺 public column filters', () => {
  it('filters by type, accepting department and date as bookmarkable GET parameters; a malformed one is a 400 naming it', async () => {
    const clerk = await signIn(t.app, 't-clerk');
    const token = csrfFrom((await clerk.get('/admin/commitments/new')).text);
    await clerk
      .post('/admin/commitments')
      .type('form')
      .send({ ...base, matter: '十月的行业自律承诺', commitmentType: '行业自律型', madeOn: '2026-10-10', _csrf: token });
    const dept = (await t.deps.db.department.findFirstOrThrow({ where: { name: '新乡市市场监督管理局' } })).id;
    const other = (await t.deps.db.department.findFirstOrThrow({ where: { name: '新乡市生态环境局' } })).id;
    const get = (q: string) => request(t.app).get(`/commitments?${q}`);
    expect((await get(`dept=${dept}&from=2026-10-01&to=2026-10-31`)).text).toContain('十月的行业自律承诺');
    expect((await get(`dept=${dept}&from=2026-11-01`)).text).not.toContain('十月的行业自律承诺');
    expect((await get(`dept=${other}`)).text).not.toContain('十月的行业自律承诺');
    expect((await get(`type=${encodeURIComponent('行业自律型')}`)).text).toContain('十月的行业自律承诺');
    const bad = await get('from=2026-13-01&page=0');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('起始日期“2026-13-01”不是有效日期');
    expect(bad.text).toContain('页码应为正整数（“0”无效）');
  });
});
