import { describe, expect, it } from 'vitest';
import { AuthorityList, nameKey } from './authorities.js';
import { DEPARTMENTS, authoritiesOf, institutionUscc } from '../xinxiang.js';
import { validateUscc } from '../identifiers.js';

const SAMR = { name: '新乡市市场监督管理局', uscc: '114107000052410574', aliases: ['新乡市市场监管局'], permits: true, penalties: true };
const HUOJIA = { name: '获嘉县市场监督管理局', uscc: institutionUscc('410724', '获嘉县市场监督管理局'), aliases: [], permits: true, penalties: true };
const BRANCH = { name: '新乡市生态环境局辉县分局', uscc: institutionUscc('410782', '新乡市生态环境局辉县分局'), aliases: [], permits: false, penalties: true };
const ECOLOGY_CODE = institutionUscc('410700', '新乡市生态环境局');

describe('AuthorityList.check', () => {
  const list = new AuthorityList([SAMR, HUOJIA, BRANCH]);

  it('accepts the department’s own authority and a county bureau it reports for', () => {
    expect(list.check('penalty', { authority: SAMR.name, authorityCode: SAMR.uscc })).toEqual([]);
    expect(list.check('permit', { authority: HUOJIA.name, authorityCode: HUOJIA.uscc })).toEqual([]);
  });

  it('refuses another department’s code on the code field, whatever the name, and lists what is allowed', () => {
    const issues = list.check('penalty', { authority: '新乡市生态环境局', authorityCode: ECOLOGY_CODE });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.key).toBe('authorityCode');
    expect(issues[0]!.message).toContain(`处罚机关统一社会信用代码 ${ECOLOGY_CODE} 不在本部门可报送的处罚机关之内`);
    expect(issues[0]!.message).toContain('新乡市市场监督管理局（114107000052410574）');
    // A known name does not let a foreign code through.
    expect(list.check('penalty', { authority: SAMR.name, authorityCode: ECOLOGY_CODE })[0]!.key).toBe('authorityCode');
  });

  it('names the registered name when the name does not match the code', () => {
    const [issue] = list.check('permit', { authority: '获嘉县市场监管局', authorityCode: HUOJIA.uscc });
    expect(issue).toEqual({ key: 'authority', message: expect.stringContaining(`对应的许可机关是「获嘉县市场监督管理局」，不是「获嘉县市场监管局」`) });
    // The name of another authority on the list is still the wrong name for this code.
    expect(list.check('permit', { authority: SAMR.name, authorityCode: HUOJIA.uscc })[0]!.key).toBe('authority');
  });

  it('accepts an alias and the same name written with other widths and spaces', () => {
    expect(list.check('penalty', { authority: '新乡市市场监管局', authorityCode: SAMR.uscc })).toEqual([]);
    expect(list.check('penalty', { authority: ' 新乡市 市场监督管理局 ', authorityCode: SAMR.uscc })).toEqual([]);
    expect(nameKey('新乡市（测试）局')).toBe(nameKey('新乡市(测试)局'));
  });

  it('keeps an authority to the kinds it is listed for', () => {
    expect(list.check('penalty', { authority: BRANCH.name, authorityCode: BRANCH.uscc })).toEqual([]);
    const [issue] = list.check('permit', { authority: BRANCH.name, authorityCode: BRANCH.uscc });
    expect(issue!.message).toContain('只在本部门的行政处罚报送范围内，不能报送行政许可');
  });

  it('says so when the department has no authority at all', () => {
    expect(new AuthorityList([]).check('penalty', { authority: SAMR.name, authorityCode: SAMR.uscc })[0]!.message).toContain('本部门尚未设置可报送的处罚机关');
  });

  it('lists the first few allowed authorities and counts the rest', () => {
    const many = Array.from({ length: 8 }, (_, i) => ({ ...HUOJIA, name: `机关${i}`, uscc: institutionUscc('410724', `机关${i}`) }));
    const [issue] = new AuthorityList(many).check('penalty', { authority: 'x', authorityCode: ECOLOGY_CODE });
    expect(issue!.message).toContain('等 8 个');
    expect(issue!.message).not.toContain('机关5');
  });
});

describe('demo authorities', () => {
  it('every department reports for itself, codes are valid and no department lists a code twice', () => {
    for (const d of DEPARTMENTS) {
      const list = authoritiesOf(d);
      expect(list[0]).toMatchObject({ name: d.name, uscc: d.uscc });
      expect(new Set(list.map((a) => a.uscc)).size).toBe(list.length);
      for (const a of list) expect(validateUscc(a.uscc).ok, a.name).toBe(true);
    }
    expect(DEPARTMENTS.filter((d) => authoritiesOf(d).length > 1).length).toBeGreaterThan(0);
  });
});

describe('AuthorityList.checkSource (数据来源单位 of an imported row)', () => {
  const list = new AuthorityList([SAMR, HUOJIA]);

  it('accepts the department or an authority it reports for, by registered name or alias', () => {
    expect(list.checkSource({ sourceName: SAMR.name, sourceCode: SAMR.uscc })).toEqual([]);
    expect(list.checkSource({ sourceName: '新乡市市场监管局', sourceCode: SAMR.uscc })).toEqual([]);
    expect(list.checkSource({ sourceName: HUOJIA.name, sourceCode: HUOJIA.uscc })).toEqual([]);
  });

  it('refuses another unit’s code, and a name that is not the code’s', () => {
    const [foreign] = list.checkSource({ sourceName: '新乡市生态环境局', sourceCode: ECOLOGY_CODE });
    expect(foreign!.key).toBe('sourceCode');
    expect(foreign!.message).toContain(`数据来源单位统一社会信用代码 ${ECOLOGY_CODE} 不是本部门或其报送的机关的代码`);
    expect(foreign!.message).toContain('新乡市市场监督管理局（114107000052410574）');
    const [misnamed] = list.checkSource({ sourceName: '新乡市生态环境局', sourceCode: SAMR.uscc });
    expect(misnamed).toEqual({ key: 'sourceName', message: expect.stringContaining('对应的是「新乡市市场监督管理局」，不是「新乡市生态环境局」') });
  });
});
