import { describe, expect, it } from 'vitest';
import { canonicalText, diffViews, sha256, type PublicView, type ViewRecord } from './snapshot.js';
import { checkCodes, codesFromText, problemMessages } from './codes.js';
import { sign, urlProblem, verify } from './webhook.js';

const rec = (kind: ViewRecord['kind'], id: number, over: Partial<ViewRecord> = {}): ViewRecord => ({
  kind,
  id,
  title: `记录${id}`,
  documentNo: `文号${id}`,
  decisionDate: '2026-11-01',
  authority: '新乡市市场监督管理局',
  summary: '',
  disputed: false,
  ...over,
});

const view = (records: ViewRecord[], over: Partial<PublicView> = {}): PublicView => ({
  uscc: '91410700174608534E',
  subject: { name: '新乡市华兴食品有限公司', legalRepresentative: null, status: '存续', address: null, county: null },
  tags: ['存续'],
  records,
  ...over,
});

describe('canonical text', () => {
  it('does not depend on key order, and its hash is the SHA-256 of its UTF-8 bytes', () => {
    const a = view([rec('penalty', 1)]);
    const b = JSON.parse(JSON.stringify({ records: a.records, tags: a.tags, subject: a.subject, uscc: a.uscc })) as PublicView;
    expect(canonicalText(a)).toBe(canonicalText(b));
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('diffViews', () => {
  it('types each change', () => {
    const before = view([rec('penalty', 1), rec('penalty', 2), rec('permit', 3), rec('black', 4), rec('permit', 5)]);
    const after = view([rec('penalty', 1, { disputed: true }), rec('penalty', 6), rec('permit', 7), rec('red', 8)]);
    const why = (r: ViewRecord) => (r.id === 2 ? 'repaired' : r.id === 3 ? 'withdrawn' : r.id === 5 ? 'revoked' : 'other');
    const types = diffViews(before, after, why).map((c) => `${c.type}:${c.label}`);
    expect(types).toEqual([
      '异议标注:行政处罚被标注「异议处理中」',
      '新增处罚:新增处罚',
      '新增许可:新增许可',
      '列入名单:列入名单',
      '信用修复:行政处罚经信用修复停止公示',
      '撤销或撤回:行政许可已撤回',
      '移出名单:移出黑名单',
      '撤销或撤回:行政许可已撤销',
    ]);
  });

  it('the 异议处理中 mark going is 异议标注 too, and a correction made with it is also 其他变更', () => {
    const disputed = view([rec('penalty', 1, { disputed: true }), rec('black', 2, { disputed: true })]);
    const settled = view([rec('penalty', 1), rec('black', 2, { summary: '更正后的事由' })]);
    expect(diffViews(disputed, settled).map((c) => `${c.type}:${c.label}`)).toEqual([
      '异议标注:行政处罚的「异议处理中」标注已撤除',
      '异议标注:黑名单的「异议处理中」标注已撤除',
      '其他变更:黑名单内容变更',
    ]);
  });

  it('an expired penalty and a changed base datum are 其他变更; no change, no entry', () => {
    const before = view([rec('penalty', 1)]);
    expect(diffViews(before, before)).toEqual([]);
    const after = view([], { subject: { ...before.subject!, status: '注销' } });
    const changes = diffViews(before, after, () => 'expired');
    expect(changes.map((c) => c.label)).toEqual(['行政处罚公示期满停止公示', '主体基础信息变更']);
    expect(changes[1]!.after).toContain('注销');
  });

  it('a subject new to the platform: its first record says it all', () => {
    const none = view([], { subject: null, tags: [] });
    expect(diffViews(none, view([rec('penalty', 1)])).map((c) => c.type)).toEqual(['新增处罚']);
    expect(diffViews(none, view([])).map((c) => c.label)).toEqual(['主体开始在平台公示']);
  });
});

describe('code lists', () => {
  it('splits typed text by line, 、 , and spaces, keeping line numbers', () => {
    expect(codesFromText('A、B\n\nC，D E\r\nF')).toEqual([
      { line: 1, code: 'A' },
      { line: 1, code: 'B' },
      { line: 3, code: 'C' },
      { line: 3, code: 'D' },
      { line: 3, code: 'E' },
      { line: 4, code: 'F' },
    ]);
  });

  it('checks every code, the check digit included, and removes repeats', () => {
    const r = checkCodes([
      { line: 1, code: '91410700174608534E' },
      { line: 2, code: '91410700174608534F' },
      { line: 3, code: '91410700174608534e' },
      { line: 4, code: '00000000000000000X' },
    ]);
    expect(r.codes).toEqual(['91410700174608534E']);
    expect(r.problems.map((p) => p.line)).toEqual([2, 4]);
    expect(problemMessages(r.problems)[0]).toMatch(/^第 2 行「91410700174608534F」：.*校验/);
    expect(problemMessages(Array.from({ length: 25 }, (_, i) => ({ line: i + 1, code: 'x', reason: '无效' })))).toHaveLength(21);
  });
});

describe('webhook signatures and targets', () => {
  it('signs the raw body with HMAC-SHA256 and verifies in constant time', () => {
    // RFC 4231 test case 2.
    expect(sign('Jefe', 'what do ya want for nothing?')).toBe('sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    expect(verify('Jefe', 'what do ya want for nothing?', 'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843')).toBe(true);
    expect(verify('Jefe', 'what do ya want for nothing!', 'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843')).toBe(false);
  });

  it('accepts http(s) URLs only, without credentials', () => {
    expect(urlProblem('https://example.gov.cn/hook')).toBeNull();
    expect(urlProblem('ftp://example.gov.cn/hook')).toMatch(/http/);
    expect(urlProblem('https://u:p@example.gov.cn/hook')).toMatch(/用户名/);
    expect(urlProblem('not a url')).toMatch(/格式/);
  });
});
