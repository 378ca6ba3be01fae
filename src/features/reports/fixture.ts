import type { ProfileRecord, SubjectProfile } from '../subjects/profile.js';

/**
 * A subject's profile with many records, shaped like ProfileService's output, for the PDF's unit test and
 * scripts/bench-report.ts (no database needed). Not used by the app itself.
 */
export function profileFixture(opts: { permits?: number; penalties?: number } = {}): SubjectProfile {
  const permitCount = opts.permits ?? 100;
  const penaltyCount = opts.penalties ?? 100;
  const name = '新乡市华兴食品有限公司';
  const uscc = '91410700174608534E';
  const day = (i: number) => {
    const d = new Date(Date.UTC(2026, 10, 2) - i * 86_400_000);
    return d.toISOString().slice(0, 10);
  };
  const subjectFields = [
    { label: '行政相对人名称', value: name },
    { label: '行政相对人类别', value: '法人及非法人组织' },
    { label: '统一社会信用代码', value: uscc },
    { label: '法定代表人', value: '王建国' },
  ];
  const permits: ProfileRecord[] = Array.from({ length: permitCount }, (_, i) => ({
    kind: 'permit',
    id: i + 1,
    href: `/publicity/permits/${i + 1}`,
    title: '食品经营许可证',
    documentNo: `新市监许〔2026〕${i + 1}号`,
    decisionDate: day(i),
    authority: '新乡市市场监督管理局',
    summary: '普通 · 预包装食品销售',
    fields: [
      ...subjectFields,
      { label: '行政许可决定文书名称', value: '食品经营许可证' },
      { label: '行政许可决定文书号', value: `新市监许〔2026〕${i + 1}号` },
      { label: '许可类别', value: '普通' },
      { label: '许可证书名称', value: '食品经营许可证' },
      { label: '许可编号', value: `JY1410700${String(100000 + i)}` },
      { label: '许可决定日期', value: day(i) },
      { label: '有效期自', value: day(i) },
      { label: '有效期至', value: '2031-11-01' },
      { label: '许可内容', value: '预包装食品（含冷藏冷冻食品）销售，散装食品（含冷藏冷冻食品）销售，特殊食品销售（保健食品、婴幼儿配方乳粉）' },
      { label: '许可机关', value: '新乡市市场监督管理局' },
      { label: '许可机关统一社会信用代码', value: '114107000052410574' },
      { label: '当前状态', value: '有效' },
      { label: '数据来源单位', value: '新乡市市场监督管理局' },
      { label: '数据来源单位统一社会信用代码', value: '114107000052410574' },
    ],
  }));
  const penalties: ProfileRecord[] = Array.from({ length: penaltyCount }, (_, i) => ({
    kind: 'penalty',
    id: 10_000 + i,
    href: `/publicity/penalties/${10_000 + i}`,
    title: '销售过期食品',
    documentNo: `新市监罚〔2026〕${i + 1}号`,
    decisionDate: day(i),
    authority: '新乡市市场监督管理局',
    summary: '警告、罚款 · 罚款 0.2 万元',
    fields: [
      ...subjectFields,
      { label: '行政处罚决定书文号', value: `新市监罚〔2026〕${i + 1}号` },
      { label: '违法行为类型', value: '销售超过保质期的食品' },
      {
        label: '违法事实',
        value:
          '经查，当事人于 2026 年 9 月 12 日至 2026 年 10 月 8 日期间，在其经营场所销售超过保质期的预包装食品“纯牛奶”（规格 250ml/盒）共计 48 盒，货值金额 192 元，违法所得 96 元。上述事实有现场检查笔录、询问笔录、进货票据等证据证实。',
      },
      { label: '处罚依据', value: '《中华人民共和国食品安全法》第三十四条第（十）项、第一百二十四条第一款第（五）项' },
      { label: '处罚类别', value: '警告；罚款；没收违法所得、没收非法财物' },
      { label: '处罚内容', value: '1. 警告；2. 没收违法所得 96 元；3. 罚款人民币 2000 元。' },
      { label: '罚款金额（万元）', value: '0.2' },
      { label: '没收违法所得、没收非法财物的金额（万元）', value: '0.0096' },
      { label: '处罚决定日期', value: day(i) },
      { label: '处罚有效期', value: '2027-11-01' },
      { label: '公示截止期', value: '2029-11-01' },
      { label: '处罚机关', value: '新乡市市场监督管理局' },
      { label: '处罚机关统一社会信用代码', value: '114107000052410574' },
      { label: '数据来源单位', value: '新乡市市场监督管理局' },
      { label: '数据来源单位统一社会信用代码', value: '114107000052410574' },
    ],
  }));
  return {
    subject: {
      id: 1,
      uscc,
      name,
      legalRepresentative: '王建国',
      subjectType: '法人及非法人组织',
      status: '存续',
      address: '河南省新乡市红旗区平原路 188 号',
      establishedOn: '2008-05-16',
      county: '红旗区',
      orgCode: '174608534',
      regNo: null,
    },
    tags: ['存续'],
    counts: { permits: permitCount, penalties: penaltyCount, red: 0, black: 0, commitments: 0 },
    sections: [
      { key: 'basic', title: '一、基础信息', records: [], total: 0 },
      { key: 'permits', title: '二、行政许可信息', records: permits, total: permits.length },
      { key: 'penalties', title: '三、行政处罚信息', records: penalties, total: penalties.length },
      { key: 'red', title: '四、守信激励信息（红名单）', records: [], total: 0 },
      { key: 'black', title: '五、失信惩戒信息（黑名单）', records: [], total: 0 },
      { key: 'commitments', title: '六、信用承诺信息', records: [], total: 0 },
      { key: 'other', title: '七、其他信息', records: [], total: 0 },
    ],
    asOf: '2026-11-27',
  };
}
