/**
 * Validation and normalisation of the identifiers that key credit subjects:
 * 统一社会信用代码 (GB 32100-2015), 公民身份号码 (GB 11643-1999), 组织机构代码 (GB 11714-1997)
 * and 工商注册号 (GS 15-2006). The rules are in docs/domain.md, "Identifiers".
 *
 * Every validator returns a result instead of throwing, because the same functions serve form
 * validation (show the reason next to the field) and bulk imports (collect reasons per row).
 * Reasons are written for a clerk: they name the position and say what to do.
 */

import { beijingToday, compactDay } from './dates.js';

// ---------------------------------------------------------------------------------------------
// Registering departments and their category codes (GB 32100-2015, table A.1).
// Kept as one table so that a new category announced by a registering department is a one-line
// change. Deliberately the published table rather than "anything in 1/2/3/9": 司法行政 issues
// 34… (司法鉴定机构) and 35… (仲裁委员会), which a looser rule would reject.
// ---------------------------------------------------------------------------------------------

export interface UsccDepartment {
  readonly name: string;
  readonly categories: Readonly<Record<string, string>>;
}

export const USCC_DEPARTMENTS: Readonly<Record<string, UsccDepartment>> = Object.freeze({
  '1': { name: '机构编制', categories: { '1': '机关', '2': '事业单位', '3': '中央编办直接管理机构编制的群众团体', '9': '其他' } },
  '2': { name: '外交', categories: { '1': '外国常驻新闻机构', '9': '其他' } },
  '3': {
    name: '司法行政',
    categories: { '1': '律师执业机构', '2': '公证处', '3': '基层法律服务所', '4': '司法鉴定机构', '5': '仲裁委员会', '9': '其他' },
  },
  '4': { name: '文化', categories: { '1': '外国在华文化中心', '9': '其他' } },
  '5': { name: '民政', categories: { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' } },
  '6': {
    name: '旅游',
    categories: { '1': '外国旅游部门常驻代表机构', '2': '港澳台地区旅游部门常驻内地（大陆）代表机构', '9': '其他' },
  },
  '7': { name: '宗教', categories: { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' } },
  '8': { name: '工会', categories: { '1': '基层工会', '9': '其他' } },
  '9': { name: '工商（市场监管）', categories: { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' } },
  A: { name: '中央军委改革和编制办公室', categories: { '1': '军队事业单位', '9': '其他' } },
  N: { name: '农业', categories: { '1': '组级集体经济组织', '2': '村级集体经济组织', '3': '乡镇级集体经济组织', '9': '其他' } },
  Y: { name: '其他', categories: { '1': '其他' } },
});

/** Province-level codes of GB/T 2260 (the first two digits of a region code). */
export const PROVINCE_CODES: ReadonlyMap<string, string> = new Map([
  ['11', '北京市'],
  ['12', '天津市'],
  ['13', '河北省'],
  ['14', '山西省'],
  ['15', '内蒙古自治区'],
  ['21', '辽宁省'],
  ['22', '吉林省'],
  ['23', '黑龙江省'],
  ['31', '上海市'],
  ['32', '江苏省'],
  ['33', '浙江省'],
  ['34', '安徽省'],
  ['35', '福建省'],
  ['36', '江西省'],
  ['37', '山东省'],
  ['41', '河南省'],
  ['42', '湖北省'],
  ['43', '湖南省'],
  ['44', '广东省'],
  ['45', '广西壮族自治区'],
  ['46', '海南省'],
  ['50', '重庆市'],
  ['51', '四川省'],
  ['52', '贵州省'],
  ['53', '云南省'],
  ['54', '西藏自治区'],
  ['61', '陕西省'],
  ['62', '甘肃省'],
  ['63', '青海省'],
  ['64', '宁夏回族自治区'],
  ['65', '新疆维吾尔自治区'],
  ['71', '台湾省'],
  ['81', '香港特别行政区'],
  ['82', '澳门特别行政区'],
]);

/**
 * Bodies registered at national level carry 100000 as their region code (国发〔2015〕33号:
 * "国家用100000，北京用110000"), e.g. central ministries. It is not in GB/T 2260, so it is
 * accepted for USCCs only and never for ID numbers.
 */
export const USCC_NATIONAL_REGION = '100000';

export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Reported for a 个体工商户 that has no USCC; the caller must then require 工商注册号. */
export const USCC_PLACEHOLDER = '00000000000000000X';

// 3^(i−1) mod 31, written out so that it can be compared with the standard's table at a glance.
export const USCC_WEIGHTS: readonly number[] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

const ORG_CODE_WEIGHTS: readonly number[] = [3, 7, 9, 10, 5, 8, 4, 2];

export const ID_WEIGHTS: readonly number[] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = '10X98765432';

// Birth dates before this are impossible for anyone still in the records.
const ID_EARLIEST_BIRTH = '19000101';

// ---------------------------------------------------------------------------------------------
// Result types
// ---------------------------------------------------------------------------------------------

export interface Invalid {
  readonly ok: false;
  /** A Simplified Chinese sentence a clerk can act on. */
  readonly reason: string;
}

interface OkBase {
  readonly ok: true;
  /** The normalised form, which is what should be stored. */
  readonly value: string;
  /** Problems that do not make the code unusable (dirty legacy data); show them, do not block. */
  readonly warnings: string[];
}

export interface UsccOk extends OkBase {
  readonly placeholder: false;
  readonly department: string;
  readonly departmentName: string;
  readonly category: string;
  readonly categoryName: string;
  readonly regionCode: string;
  /** Positions 9–17: the embedded 组织机构代码, without hyphen. */
  readonly orgCode: string;
}

export interface UsccPlaceholder extends OkBase {
  readonly placeholder: true;
}

export type UsccResult = UsccOk | UsccPlaceholder | Invalid;

export type Sex = 'male' | 'female';

interface IdOkBase extends OkBase {
  readonly sex: Sex;
  /** YYYY-MM-DD */
  readonly birthDate: string;
  readonly regionCode: string;
}

export interface IdOk18 extends IdOkBase {
  readonly legacy15: false;
}

export interface IdOk15 extends IdOkBase {
  readonly legacy15: true;
  /** The equivalent 18-digit number ("19" inserted before the year, check digit appended). */
  readonly upgraded: string;
}

export type IdNumberResult = IdOk18 | IdOk15 | Invalid;

export type OrgCodeResult = OkBase | Invalid;

export type RegNoResult = OkBase | Invalid;

export type CodeKind = 'uscc' | 'orgCode' | 'regNo' | 'idNumber';

// ---------------------------------------------------------------------------------------------
// Normalisation
// ---------------------------------------------------------------------------------------------

/**
 * Codes arrive typed with a Chinese input method (full-width ９１Ａ), pasted from Word or PDF
 * (zero-width and non-breaking spaces, BOM) or split into groups for reading. None of that is
 * part of the code, so it is removed before any rule is applied.
 */
function normalise(input: string): string {
  return String(input ?? '')
    .replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u200B-\u200D\u2060]/g, '')
    .toUpperCase();
}

// Excel turns an all-digit code into a number and shows it as 9.13501E+17, losing digits for
// good; saying so sends the clerk to fix the spreadsheet instead of retyping one row.
const SCIENTIFIC_NOTATION = /^\d(\.\d+)?E\+?\d+$/;
const SPREADSHEET_REASON = '代码被表格软件当成了数字（科学计数法）而丢失了位数，请将该列设为“文本”格式后重新录入';

/** Splits by code point so that a stray Chinese character counts as one position. */
function chars(s: string): string[] {
  return Array.from(s);
}

function invalid(reason: string): Invalid {
  return { ok: false, reason };
}

function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}

// ---------------------------------------------------------------------------------------------
// Check characters. These throw on malformed input because a caller passing the wrong thing is a
// programming error, not a data problem; the validators never call them with unchecked input.
// ---------------------------------------------------------------------------------------------

export function usccCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError(`usccCheckChar needs 17 characters, got ${first17.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const index = USCC_ALPHABET.indexOf(first17.charAt(i));
    if (index < 0) throw new RangeError(`usccCheckChar: "${first17.charAt(i)}" is not in the USCC alphabet`);
    sum += index * (USCC_WEIGHTS[i] ?? 0);
  }
  return USCC_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/** GB 11714 values digits as themselves and every Latin letter A–Z as 10–35 (I and O included). */
function orgCodeCharValue(ch: string): number {
  if (isDigit(ch)) return ch.charCodeAt(0) - 48;
  if (ch >= 'A' && ch <= 'Z') return ch.charCodeAt(0) - 55;
  return -1;
}

export function orgCodeCheckChar(first8: string): string {
  if (first8.length !== 8) throw new RangeError(`orgCodeCheckChar needs 8 characters, got ${first8.length}`);
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const value = orgCodeCharValue(first8.charAt(i));
    if (value < 0) throw new RangeError(`orgCodeCheckChar: "${first8.charAt(i)}" is not a digit or A–Z`);
    sum += value * (ORG_CODE_WEIGHTS[i] ?? 0);
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

export function idCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('idCheckChar needs 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK_CHARS.charAt(sum % 11);
}

/** ISO 7064 MOD 11,10 as GS 15-2006 applies it to the 14 leading digits of a 工商注册号. */
export function regNoCheckDigit(first14: string): string {
  if (!/^\d{14}$/.test(first14)) throw new RangeError('regNoCheckDigit needs 14 digits');
  let p = 10;
  for (let i = 0; i < 14; i++) {
    const s = (p % 11) + (first14.charCodeAt(i) - 48);
    p = (s % 10 === 0 ? 10 : s % 10) * 2;
  }
  // The check digit makes the next running sum ≡ 1 (mod 10).
  return String((11 - (p % 11)) % 10);
}

// ---------------------------------------------------------------------------------------------
// 统一社会信用代码
// ---------------------------------------------------------------------------------------------

const USCC_EXCLUDED = 'IOZSV';

export function validateUscc(input: string): UsccResult {
  const value = normalise(input);
  if (value === '') return invalid('请填写统一社会信用代码');
  if (SCIENTIFIC_NOTATION.test(value)) return invalid(SPREADSHEET_REASON);
  // Checked before the general rules: the placeholder fails all of them by design.
  if (value === USCC_PLACEHOLDER) return { ok: true, value, warnings: [], placeholder: true };

  const cs = chars(value);
  if (cs.length !== 18) return invalid(`统一社会信用代码应为18位，当前为${cs.length}位`);

  for (let i = 0; i < 18; i++) {
    const ch = cs[i] ?? '';
    if (USCC_ALPHABET.includes(ch)) continue;
    return invalid(
      USCC_EXCLUDED.includes(ch)
        ? `第${i + 1}位字符“${ch}”不是有效字符（统一社会信用代码不使用 I、O、Z、S、V）`
        : `第${i + 1}位字符“${ch}”不是有效字符（统一社会信用代码只由数字和大写英文字母组成）`,
    );
  }

  const department = value.charAt(0);
  const dept = USCC_DEPARTMENTS[department];
  if (dept === undefined) {
    return invalid(`第1位登记管理部门代码“${department}”无效，应为 1–9、A、N、Y 之一`);
  }
  const category = value.charAt(1);
  const categoryName = dept.categories[category];
  if (categoryName === undefined) {
    const allowed = Object.keys(dept.categories).join('、');
    return invalid(`第2位机构类别代码“${category}”对登记管理部门“${department}”（${dept.name}）无效，应为 ${allowed} 之一`);
  }

  // Only positions 3–8 must be digits: the first two may be letters (A, N, Y departments).
  for (let i = 2; i < 8; i++) {
    const ch = value.charAt(i);
    if (!isDigit(ch)) return invalid(`第${i + 1}位字符“${ch}”应为数字（第3–8位是登记管理机关行政区划码）`);
  }
  const regionCode = value.slice(2, 8);
  const province = regionCode.slice(0, 2);
  if (regionCode !== USCC_NATIONAL_REGION && !PROVINCE_CODES.has(province)) {
    return invalid(`第3–8位行政区划码 ${regionCode} 的前两位 ${province} 不是有效的省级行政区划代码`);
  }

  const expected = usccCheckChar(value.slice(0, 17));
  const actual = value.charAt(17);
  if (expected !== actual) return invalid(`第18位校验码应为 ${expected}，当前为 ${actual}`);

  // Registration systems issued codes whose embedded organisation code fails GB 11714, and those
  // codes are on real licences; refusing them would lock real subjects out.
  const warnings: string[] = [];
  const orgCode = value.slice(8, 17);
  const orgExpected = orgCodeCheckChar(orgCode.slice(0, 8));
  if (orgExpected !== orgCode.charAt(8)) {
    warnings.push(`第17位（组织机构代码校验位）按 GB 11714 应为 ${orgExpected}，当前为 ${orgCode.charAt(8)}；历史数据中常见，已接受，请核对证照`);
  }

  return {
    ok: true,
    value,
    warnings,
    placeholder: false,
    department,
    departmentName: dept.name,
    category,
    categoryName,
    regionCode,
    orgCode,
  };
}

// ---------------------------------------------------------------------------------------------
// 公民身份号码
// ---------------------------------------------------------------------------------------------

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function isRealDate(yyyymmdd: string): boolean {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  if (m < 1 || m > 12 || d < 1) return false;
  const daysInMonth = [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
  return d <= daysInMonth;
}

function birthDateProblem(yyyymmdd: string, today: Date): string | null {
  if (!isRealDate(yyyymmdd)) return `出生日期 ${yyyymmdd} 不是有效日期`;
  if (yyyymmdd < ID_EARLIEST_BIRTH) return `出生日期 ${yyyymmdd} 早于1900年1月1日，请核对`;
  // "Today" in Beijing whatever the server's time zone: a baby born this morning in Xinxiang is not "in the future".
  if (yyyymmdd > compactDay(beijingToday(today))) return `出生日期 ${yyyymmdd} 晚于今天，请核对`;
  return null;
}

function isoDate(yyyymmdd: string): string {
  return `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
}

export function validateIdNumber(input: string, opts: { today?: Date } = {}): IdNumberResult {
  const today = opts.today ?? new Date();
  const value = normalise(input);
  if (value === '') return invalid('请填写证件号码');
  if (SCIENTIFIC_NOTATION.test(value)) return invalid(SPREADSHEET_REASON);

  const cs = chars(value);
  if (cs.length !== 18 && cs.length !== 15) {
    return invalid(`公民身份号码应为18位（旧号码为15位），当前为${cs.length}位`);
  }
  const legacy = cs.length === 15;

  for (let i = 0; i < cs.length; i++) {
    const ch = cs[i] ?? '';
    if (isDigit(ch)) continue;
    if (!legacy && i === 17 && ch === 'X') continue;
    if (legacy) return invalid(`第${i + 1}位字符“${ch}”不是有效字符（15位旧号码应全部为数字）`);
    return invalid(
      ch === 'X'
        ? `第${i + 1}位字符“X”不是有效字符（只有第18位校验码可以是 X）`
        : `第${i + 1}位字符“${ch}”不是有效字符（公民身份号码前17位应为数字，第18位为数字或 X）`,
    );
  }

  const province = value.slice(0, 2);
  if (!PROVINCE_CODES.has(province)) return invalid(`前两位 ${province} 不是有效的省级行政区划代码`);

  // First-generation numbers carry a two-digit year; they were all issued to people born in 19xx.
  const birth = legacy ? `19${value.slice(6, 12)}` : value.slice(6, 14);
  const dateProblem = birthDateProblem(birth, today);
  if (dateProblem !== null) return invalid(dateProblem);

  const sequenceLast = legacy ? value.charAt(14) : value.charAt(16);
  const sex: Sex = Number(sequenceLast) % 2 === 1 ? 'male' : 'female';
  const common = { value, sex, birthDate: isoDate(birth), regionCode: value.slice(0, 6) };

  if (legacy) {
    const first17 = `${value.slice(0, 6)}19${value.slice(6)}`;
    return {
      ok: true,
      ...common,
      warnings: ['这是15位旧身份证号码，建议改填18位号码'],
      legacy15: true,
      upgraded: first17 + idCheckChar(first17),
    };
  }

  const expected = idCheckChar(value.slice(0, 17));
  const actual = value.charAt(17);
  if (expected !== actual) return invalid(`第18位校验码应为 ${expected}，当前为 ${actual}`);

  // Region history (abolished or renamed counties) is not checked: a number stays valid for life
  // even after its county is merged away, so at most it could be a warning.
  return { ok: true, ...common, warnings: [], legacy15: false };
}

// ---------------------------------------------------------------------------------------------
// 组织机构代码
// ---------------------------------------------------------------------------------------------

export function validateOrgCode(input: string): OrgCodeResult {
  let value = normalise(input);
  if (value === '') return invalid('请填写组织机构代码');
  // The certificate prints it as XXXXXXXX-X; the hyphen is layout, not data, so it is not stored.
  const printed = /^(.{8})-(.)$/u.exec(value);
  if (printed !== null) value = `${printed[1] ?? ''}${printed[2] ?? ''}`;

  const cs = chars(value);
  if (cs.length !== 9) return invalid(`组织机构代码应为9位（格式 XXXXXXXX-X），当前为${cs.length}位`);
  for (let i = 0; i < 8; i++) {
    const ch = cs[i] ?? '';
    if (orgCodeCharValue(ch) < 0) {
      return invalid(`第${i + 1}位字符“${ch}”不是有效字符（组织机构代码由数字和大写英文字母组成）`);
    }
  }
  const actual = cs[8] ?? '';
  if (!isDigit(actual) && actual !== 'X') return invalid(`第9位校验码只能是数字或 X，当前为“${actual}”`);

  const expected = orgCodeCheckChar(value.slice(0, 8));
  if (expected !== actual) return invalid(`第9位校验码应为 ${expected}，当前为 ${actual}`);
  return { ok: true, value, warnings: [] };
}

// ---------------------------------------------------------------------------------------------
// 工商注册号
// ---------------------------------------------------------------------------------------------

export function validateRegNo(input: string): RegNoResult {
  const value = normalise(input);
  if (value === '') return invalid('请填写工商注册号');
  if (SCIENTIFIC_NOTATION.test(value)) return invalid(SPREADSHEET_REASON);

  const cs = chars(value);
  if (cs.length !== 15) return invalid(`工商注册号应为15位，当前为${cs.length}位`);
  for (let i = 0; i < 15; i++) {
    const ch = cs[i] ?? '';
    if (!isDigit(ch)) return invalid(`第${i + 1}位字符“${ch}”不是有效字符（工商注册号应全部为数字）`);
  }

  // Numbers issued before GS 15-2006 was enforced everywhere often fail the check, and they are
  // what old licences show; a wrong check digit is worth a look, not a rejection.
  const warnings: string[] = [];
  const expected = regNoCheckDigit(value.slice(0, 14));
  const actual = value.charAt(14);
  if (expected !== actual) {
    warnings.push(`工商注册号第15位校验位应为 ${expected}，当前为 ${actual}；历史数据中常见，已接受，请核对证照`);
  }
  return { ok: true, value, warnings };
}

// ---------------------------------------------------------------------------------------------
// Display and classification
// ---------------------------------------------------------------------------------------------

/**
 * Masks any 证件号码 (not only resident IDs) for public pages, as docs/domain.md "Privacy" requires:
 * first 6 and last 4 shown. Short numbers (passports, permits) keep only their first and last
 * character, and one or two characters are hidden entirely, so the full number never leaks.
 */
export function maskIdNumber(value: string): string {
  const cs = chars(String(value ?? '').trim());
  const n = cs.length;
  if (n >= 11) return cs.slice(0, 6).join('') + '*'.repeat(n - 10) + cs.slice(n - 4).join('');
  if (n >= 3) return (cs[0] ?? '') + '*'.repeat(n - 2) + (cs[n - 1] ?? '');
  return '*'.repeat(n);
}

/**
 * Guesses a code's kind from its shape only. An 18-character ID number has the shape of a USCC,
 * and a 15-digit one that of a 工商注册号, so this never answers 'idNumber': per docs/domain.md the
 * record's 类别 / 证件类型 field decides that, not the code. 'idNumber' stays in the return type
 * so callers can hold either decision in one variable.
 */
export function classifyCode(input: string): CodeKind | null {
  const value = normalise(input);
  if (/^[0-9A-Z]{18}$/.test(value)) return 'uscc';
  if (/^\d{15}$/.test(value)) return 'regNo';
  if (/^[0-9A-Z]{8}-?[0-9A-Z]$/.test(value)) return 'orgCode';
  return null;
}
