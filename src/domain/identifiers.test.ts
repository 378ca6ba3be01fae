import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  PROVINCE_CODES,
  USCC_ALPHABET,
  USCC_DEPARTMENTS,
  USCC_NATIONAL_REGION,
  USCC_PLACEHOLDER,
  USCC_WEIGHTS,
  classifyCode,
  idCheckChar,
  maskIdNumber,
  orgCodeCheckChar,
  regNoCheckDigit,
  usccCheckChar,
  validateIdNumber,
  validateOrgCode,
  validateRegNo,
  validateUscc,
} from './identifiers.js';

// A fixed "today" keeps date rules deterministic.
const TODAY = new Date('2025-06-01T00:00:00+08:00');

/** Builds a valid USCC from its parts, computing both check characters. */
function makeUscc(deptCategory: string, region: string, orgBody: string): string {
  const first17 = deptCategory + region + orgBody + orgCodeCheckChar(orgBody);
  return first17 + usccCheckChar(first17);
}

function makeId(region: string, birth: string, sequence: string): string {
  const first17 = region + birth + sequence;
  return first17 + idCheckChar(first17);
}

function reasonOf(result: { ok: boolean; reason?: string }): string | undefined {
  return result.ok ? undefined : result.reason;
}

describe('constants', () => {
  it('USCC alphabet has 31 characters and none of I, O, Z, S, V', () => {
    expect(USCC_ALPHABET).toHaveLength(31);
    for (const ch of 'IOZSV') expect(USCC_ALPHABET).not.toContain(ch);
  });

  it('USCC weights are 3^(i-1) mod 31', () => {
    expect(USCC_WEIGHTS).toEqual(Array.from({ length: 17 }, (_, i) => 3 ** i % 31));
  });

  it('has the 34 province-level codes of GB/T 2260, Henan included', () => {
    expect(PROVINCE_CODES.size).toBe(34);
    expect(PROVINCE_CODES.get('41')).toBe('河南省');
    expect(PROVINCE_CODES.has('10')).toBe(false);
  });
});

describe('check characters', () => {
  it('match the examples published with the standards', () => {
    expect(usccCheckChar('91350100M000100Y4')).toBe('3'); // GB 32100-2015
    expect(orgCodeCheckChar('D2143569')).toBe('X'); // GB 11714-1997
    expect(idCheckChar('11010519491231002')).toBe('X'); // GB 11643-1999
    expect(regNoCheckDigit('11010800000001')).toBe('6'); // GS 15-2006
  });

  it('map org-code remainders 10 → X and 11 → 0', () => {
    expect(orgCodeCheckChar('00000000')).toBe('0');
    expect(orgCodeCheckChar('D2143569')).toBe('X');
  });

  it('throw on malformed input (a programming error, not data)', () => {
    expect(() => usccCheckChar('9135')).toThrow(RangeError);
    expect(() => usccCheckChar('91350100O000100Y4')).toThrow(RangeError);
    expect(() => orgCodeCheckChar('D214356#')).toThrow(RangeError);
    expect(() => idCheckChar('1101051949123100X')).toThrow(RangeError);
    expect(() => regNoCheckDigit('1101080000000')).toThrow(RangeError);
  });
});

describe('validateUscc', () => {
  it('accepts the GB 32100-2015 example and describes it', () => {
    const r = validateUscc('91350100M000100Y43');
    expect(r).toMatchObject({
      ok: true,
      value: '91350100M000100Y43',
      warnings: [],
      placeholder: false,
      department: '9',
      category: '1',
      categoryName: '企业',
      regionCode: '350100',
      orgCode: 'M000100Y4',
    });
  });

  it('normalises case, spaces, full-width characters and zero-width junk', () => {
    for (const input of [
      '  91350100m000100y43 ',
      '9135 0100 M000 100Y 43',
      '９１３５０１００Ｍ０００１００Ｙ４３',
      '\uFEFF91350100M000100Y43\u200B',
      '91350100M000100Y43\t\n',
    ]) {
      expect(validateUscc(input)).toMatchObject({ ok: true, value: '91350100M000100Y43' });
    }
  });

  it('accepts N-, A- and Y- codes (first two characters need not be digits)', () => {
    for (const prefix of ['N1', 'N2', 'N3', 'N9', 'A1', 'A9', 'Y1']) {
      const code = makeUscc(prefix, '410726', 'MA47TK2B');
      expect(validateUscc(code), code).toMatchObject({ ok: true, warnings: [] });
    }
  });

  it('accepts every category of the 司法行政 department, including 34 and 35', () => {
    for (const category of ['1', '2', '3', '4', '5', '9']) {
      expect(validateUscc(makeUscc(`3${category}`, '410700', '12345678')).ok).toBe(true);
    }
  });

  it('accepts a Xinxiang 个体工商户 and a 农民专业合作社', () => {
    expect(validateUscc(makeUscc('92', '410782', 'MA9F0K4L'))).toMatchObject({ ok: true, categoryName: '个体工商户' });
    expect(validateUscc(makeUscc('93', '410724', 'MA44XU8N'))).toMatchObject({ ok: true, categoryName: '农民专业合作社' });
  });

  it('accepts the national-level region code 100000 used by central bodies', () => {
    const code = makeUscc('11', USCC_NATIONAL_REGION, '00001312');
    expect(validateUscc(code)).toMatchObject({ ok: true, regionCode: '100000' });
    // …but not other 10xxxx regions, which are in no list.
    expect(reasonOf(validateUscc(makeUscc('11', '100100', '00001312')))).toBe('第3–8位行政区划码 100100 的前两位 10 不是有效的省级行政区划代码');
  });

  it('recognises the 个体工商户 placeholder 00000000000000000X', () => {
    expect(validateUscc(USCC_PLACEHOLDER)).toEqual({
      ok: true,
      value: '00000000000000000X',
      warnings: [],
      placeholder: true,
    });
    expect(validateUscc(' 00000000000000000x ')).toMatchObject({ ok: true, placeholder: true });
  });

  it('warns, but accepts, when the embedded organisation code fails GB 11714', () => {
    const first17 = '91350100M000100Y5'; // org check should be 4
    const code = first17 + usccCheckChar(first17);
    const r = validateUscc(code);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.warnings).toHaveLength(1);
      expect(r.warnings[0]).toContain('第17位（组织机构代码校验位）按 GB 11714 应为 4，当前为 5');
    }
  });

  describe('reasons', () => {
    it('empty input', () => {
      expect(reasonOf(validateUscc(''))).toBe('请填写统一社会信用代码');
      expect(reasonOf(validateUscc('   '))).toBe('请填写统一社会信用代码');
    });

    it('wrong length', () => {
      expect(reasonOf(validateUscc('91350100M000100Y4'))).toBe('统一社会信用代码应为18位，当前为17位');
      expect(reasonOf(validateUscc('91350100M000100Y431'))).toBe('统一社会信用代码应为18位，当前为19位');
    });

    it('a letter the alphabet leaves out', () => {
      expect(reasonOf(validateUscc('9135O100M000100Y43'))).toBe('第5位字符“O”不是有效字符（统一社会信用代码不使用 I、O、Z、S、V）');
      expect(reasonOf(validateUscc('91350100M000100I43'))).toBe('第16位字符“I”不是有效字符（统一社会信用代码不使用 I、O、Z、S、V）');
    });

    it('a character that is not a letter or digit', () => {
      expect(reasonOf(validateUscc('91350100M000100Y4#'))).toBe('第18位字符“#”不是有效字符（统一社会信用代码只由数字和大写英文字母组成）');
      expect(reasonOf(validateUscc('91350100M000100Y4码'))).toBe('第18位字符“码”不是有效字符（统一社会信用代码只由数字和大写英文字母组成）');
    });

    it('unknown registering department', () => {
      expect(reasonOf(validateUscc('B1350100M000100Y43'))).toBe('第1位登记管理部门代码“B”无效，应为 1–9、A、N、Y 之一');
      expect(reasonOf(validateUscc('01350100M000100Y43'))).toBe('第1位登记管理部门代码“0”无效，应为 1–9、A、N、Y 之一');
    });

    it('category not valid for the department', () => {
      expect(reasonOf(validateUscc('94350100M000100Y43'))).toBe('第2位机构类别代码“4”对登记管理部门“9”（工商（市场监管））无效，应为 1、2、3 之一');
      expect(reasonOf(validateUscc('Y2350100M000100Y43'))).toBe('第2位机构类别代码“2”对登记管理部门“Y”（其他）无效，应为 1 之一');
      expect(validateUscc('N4350100M000100Y43').ok).toBe(false);
      expect(validateUscc('99350100M000100Y43').ok).toBe(false);
    });

    it('non-digit in the region code', () => {
      expect(reasonOf(validateUscc('913A0100M000100Y43'))).toBe('第4位字符“A”应为数字（第3–8位是登记管理机关行政区划码）');
    });

    it('unknown province', () => {
      expect(reasonOf(validateUscc(makeUscc('91', '990100', 'M000100Y')))).toBe('第3–8位行政区划码 990100 的前两位 99 不是有效的省级行政区划代码');
    });

    it('wrong check character', () => {
      expect(reasonOf(validateUscc('91350100M000100Y44'))).toBe('第18位校验码应为 3，当前为 4');
      // Find a real-shaped Xinxiang code whose check character is L to match the documented wording.
      const first17 = [...USCC_ALPHABET]
        .map((ch) => `91410700MA44K${ch}P7`)
        .map((body) => body + orgCodeCheckChar(body.slice(8, 16)))
        .find((p) => usccCheckChar(p) === 'L');
      expect(first17).toBeDefined();
      expect(reasonOf(validateUscc(`${first17 ?? ''}K`))).toBe('第18位校验码应为 L，当前为 K');
    });

    it('a number mangled by a spreadsheet', () => {
      expect(reasonOf(validateUscc('9.13501E+17'))).toContain('科学计数法');
    });
  });
});

describe('validateIdNumber', () => {
  it('accepts the GB 11643-1999 example and exposes sex and birth date', () => {
    expect(validateIdNumber('11010519491231002X', { today: TODAY })).toEqual({
      ok: true,
      value: '11010519491231002X',
      warnings: [],
      sex: 'female',
      birthDate: '1949-12-31',
      regionCode: '110105',
      legacy15: false,
    });
  });

  it('upper-cases x and trims', () => {
    expect(validateIdNumber(' 11010519491231002x ', { today: TODAY })).toMatchObject({
      ok: true,
      value: '11010519491231002X',
    });
  });

  it('reads sex from the sequence number: odd male, even female', () => {
    expect(validateIdNumber(makeId('410702', '19900101', '123'), { today: TODAY })).toMatchObject({ sex: 'male' });
    expect(validateIdNumber(makeId('410702', '19900101', '124'), { today: TODAY })).toMatchObject({ sex: 'female' });
  });

  it('rejects 19930229 and accepts 20000229', () => {
    expect(reasonOf(validateIdNumber(makeId('410702', '19930229', '123'), { today: TODAY }))).toBe('出生日期 19930229 不是有效日期');
    expect(validateIdNumber(makeId('410702', '20000229', '123'), { today: TODAY })).toMatchObject({
      ok: true,
      birthDate: '2000-02-29',
    });
    expect(validateIdNumber(makeId('410702', '19001231', '123'), { today: TODAY }).ok).toBe(true);
    expect(validateIdNumber(makeId('410702', '19000229', '123'), { today: TODAY }).ok).toBe(false);
    expect(validateIdNumber(makeId('410702', '19901301', '123'), { today: TODAY }).ok).toBe(false);
    expect(validateIdNumber(makeId('410702', '19900431', '123'), { today: TODAY }).ok).toBe(false);
    expect(validateIdNumber(makeId('410702', '19900100', '123'), { today: TODAY }).ok).toBe(false);
  });

  it('rejects birth dates in the future and before 1900', () => {
    expect(reasonOf(validateIdNumber(makeId('410702', '20250602', '123'), { today: TODAY }))).toBe('出生日期 20250602 晚于今天，请核对');
    expect(validateIdNumber(makeId('410702', '20250601', '123'), { today: TODAY }).ok).toBe(true);
    // The standard's own 1880 example is valid arithmetic but not a living person.
    expect(reasonOf(validateIdNumber('440524188001010014', { today: TODAY }))).toBe('出生日期 18800101 早于1900年1月1日，请核对');
  });

  it('takes "today" in China time, whatever the server time zone', () => {
    // 2025-06-01 16:30 UTC is already 2025-06-02 in Xinxiang.
    const lateUtc = new Date('2025-06-01T16:30:00Z');
    expect(validateIdNumber(makeId('410702', '20250602', '123'), { today: lateUtc }).ok).toBe(true);
  });

  it('upgrades 15-digit first-generation numbers', () => {
    const r = validateIdNumber('410702900101123', { today: TODAY });
    const first17 = '41070219900101123';
    expect(r).toMatchObject({
      ok: true,
      value: '410702900101123',
      legacy15: true,
      upgraded: first17 + idCheckChar(first17),
      sex: 'male',
      birthDate: '1990-01-01',
    });
    if (r.ok && r.legacy15) {
      expect(validateIdNumber(r.upgraded, { today: TODAY })).toMatchObject({ ok: true, birthDate: '1990-01-01' });
    }
    expect(reasonOf(validateIdNumber('410702930229123', { today: TODAY }))).toBe('出生日期 19930229 不是有效日期');
    expect(reasonOf(validateIdNumber('990702900101123', { today: TODAY }))).toBe('前两位 99 不是有效的省级行政区划代码');
    expect(reasonOf(validateIdNumber('41070290010112X', { today: TODAY }))).toBe('第15位字符“X”不是有效字符（15位旧号码应全部为数字）');
  });

  describe('reasons', () => {
    it('empty input', () => {
      expect(reasonOf(validateIdNumber(''))).toBe('请填写证件号码');
      expect(reasonOf(validateIdNumber(' \t'))).toBe('请填写证件号码');
    });

    it('wrong length', () => {
      expect(reasonOf(validateIdNumber('1101051949123100'))).toBe('公民身份号码应为18位（旧号码为15位），当前为16位');
    });

    it('bad characters', () => {
      expect(reasonOf(validateIdNumber('1101051949123A002X'))).toBe('第14位字符“A”不是有效字符（公民身份号码前17位应为数字，第18位为数字或 X）');
      expect(reasonOf(validateIdNumber('11010519491231X020'))).toBe('第15位字符“X”不是有效字符（只有第18位校验码可以是 X）');
    });

    it('unknown province', () => {
      expect(reasonOf(validateIdNumber(makeId('990702', '19900101', '123'), { today: TODAY }))).toBe('前两位 99 不是有效的省级行政区划代码');
      // 100000 is a USCC convention only; no resident ID starts with 10.
      expect(validateIdNumber(makeId('100000', '19900101', '123'), { today: TODAY }).ok).toBe(false);
    });

    it('wrong check digit', () => {
      expect(reasonOf(validateIdNumber('110105194912310021', { today: TODAY }))).toBe('第18位校验码应为 X，当前为 1');
    });

    it('a number mangled by a spreadsheet', () => {
      expect(reasonOf(validateIdNumber('4.10702E+17'))).toContain('科学计数法');
    });
  });
});

describe('validateOrgCode', () => {
  it('accepts the GB 11714 example with or without hyphen, normalised to 9 characters', () => {
    for (const input of ['D2143569-X', 'D2143569X', ' d2143569-x ', 'Ｄ２１４３５６９－Ｘ']) {
      expect(validateOrgCode(input)).toEqual({ ok: true, value: 'D2143569X', warnings: [] });
    }
  });

  it('reasons', () => {
    expect(reasonOf(validateOrgCode(''))).toBe('请填写组织机构代码');
    expect(reasonOf(validateOrgCode('D214356-9X'))).toBe('组织机构代码应为9位（格式 XXXXXXXX-X），当前为10位');
    expect(reasonOf(validateOrgCode('D2143569'))).toBe('组织机构代码应为9位（格式 XXXXXXXX-X），当前为8位');
    expect(reasonOf(validateOrgCode('D21#3569X'))).toBe('第4位字符“#”不是有效字符（组织机构代码由数字和大写英文字母组成）');
    expect(reasonOf(validateOrgCode('D2143569-A'))).toBe('第9位校验码只能是数字或 X，当前为“A”');
    expect(reasonOf(validateOrgCode('D2143569-1'))).toBe('第9位校验码应为 X，当前为 1');
  });
});

describe('validateRegNo', () => {
  it('accepts the GS 15-2006 example', () => {
    expect(validateRegNo('110108000000016')).toEqual({ ok: true, value: '110108000000016', warnings: [] });
    expect(validateRegNo(' 110108 000000 016 ')).toMatchObject({ ok: true, value: '110108000000016' });
  });

  it('only warns on a wrong check digit (legacy data is dirty)', () => {
    const r = validateRegNo('110108000000017');
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.warnings).toEqual(['工商注册号第15位校验位应为 6，当前为 7；历史数据中常见，已接受，请核对证照']);
  });

  it('reasons', () => {
    expect(reasonOf(validateRegNo(''))).toBe('请填写工商注册号');
    expect(reasonOf(validateRegNo('11010800000001'))).toBe('工商注册号应为15位，当前为14位');
    expect(reasonOf(validateRegNo('11010800000001A'))).toBe('第15位字符“A”不是有效字符（工商注册号应全部为数字）');
    expect(reasonOf(validateRegNo('4.10702E+14'))).toContain('科学计数法');
  });
});

describe('maskIdNumber', () => {
  it('shows the first 6 and last 4 of an ID number', () => {
    expect(maskIdNumber('410702199001011235')).toBe('410702********1235');
    expect(maskIdNumber('410702900101123')).toBe('410702*****1123');
    expect(maskIdNumber('12345678901')).toBe('123456*8901');
  });

  it('shows only the first and last character of short document numbers', () => {
    expect(maskIdNumber('E12345678')).toBe('E*******8');
    expect(maskIdNumber('abc')).toBe('a*c');
    expect(maskIdNumber('ab')).toBe('**');
    expect(maskIdNumber('a')).toBe('*');
    expect(maskIdNumber('')).toBe('');
  });

  it('never returns the number it was given', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...'0123456789X'), { minLength: 1, maxLength: 30 }).map((a) => a.join('')),
        (s) => {
          const masked = maskIdNumber(s);
          expect(masked).not.toBe(s);
          expect(masked).toHaveLength(s.length);
        },
      ),
    );
  });
});

describe('classifyCode', () => {
  it('guesses by shape only', () => {
    expect(classifyCode('91350100M000100Y43')).toBe('uscc');
    expect(classifyCode(' 91350100m000100y43 ')).toBe('uscc');
    // An ID number has the shape of a USCC: the record's 类别 must decide.
    expect(classifyCode('11010519491231002X')).toBe('uscc');
    expect(classifyCode('D2143569-X')).toBe('orgCode');
    expect(classifyCode('D2143569X')).toBe('orgCode');
    expect(classifyCode('110108000000016')).toBe('regNo');
    expect(classifyCode('E12345678')).toBe('orgCode');
    expect(classifyCode('')).toBeNull();
    expect(classifyCode('9135010')).toBeNull();
    expect(classifyCode('91350100M000100Y4#')).toBeNull();
    expect(classifyCode('11010800000001A')).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const digits = (n: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: n, maxLength: n }).map((a) => a.join(''));

const deptCategory = fc.constantFrom(
  ...Object.entries(USCC_DEPARTMENTS).flatMap(([dept, { categories }]) => Object.keys(categories).map((category) => dept + category)),
);

const provinceCode = fc.constantFrom(...PROVINCE_CODES.keys());

const usccRegion = fc.oneof(
  fc.tuple(provinceCode, digits(4)).map(([p, rest]) => p + rest),
  fc.constant(USCC_NATIONAL_REGION),
);

const orgBody = fc.array(fc.constantFrom(...USCC_ALPHABET), { minLength: 8, maxLength: 8 }).map((a) => a.join(''));

const validUscc = fc.tuple(deptCategory, usccRegion, orgBody).map(([dc, region, body]) => makeUscc(dc, region, body));

const DAY_MS = 86_400_000;
const FIRST_DAY = Date.UTC(1900, 0, 1);
const LAST_DAY = Date.UTC(2025, 4, 31);

const birthDate = fc.integer({ min: 0, max: (LAST_DAY - FIRST_DAY) / DAY_MS }).map((k) => {
  const d = new Date(FIRST_DAY + k * DAY_MS);
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
});

const validId = fc.tuple(provinceCode, digits(4), birthDate, digits(3)).map(([p, rest, birth, seq]) => makeId(p + rest, birth, seq));

function substitute(s: string, position: number, ch: string): string {
  return s.slice(0, position) + ch + s.slice(position + 1);
}

describe('properties', () => {
  it('every generated valid USCC passes without warnings', () => {
    fc.assert(
      fc.property(validUscc, (code) => {
        const r = validateUscc(code);
        expect(r).toMatchObject({ ok: true, value: code, placeholder: false, warnings: [] });
      }),
      { numRuns: 1000 },
    );
  });

  it('every single-character substitution of a valid USCC fails', () => {
    fc.assert(
      fc.property(validUscc, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 30 }), (code, position, shift) => {
        const original = USCC_ALPHABET.indexOf(code.charAt(position));
        const replacement = USCC_ALPHABET.charAt((original + shift) % 31);
        expect(validateUscc(substitute(code, position, replacement)).ok).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('exhaustively: no substitution of the published example survives', () => {
    const code = '91350100M000100Y43';
    for (let position = 0; position < 18; position++) {
      for (const ch of USCC_ALPHABET) {
        if (ch === code.charAt(position)) continue;
        expect(validateUscc(substitute(code, position, ch)).ok, `${position}:${ch}`).toBe(false);
      }
    }
  });

  it('every generated valid 18-digit ID number passes', () => {
    fc.assert(
      fc.property(validId, (id) => {
        expect(validateIdNumber(id, { today: TODAY })).toMatchObject({ ok: true, value: id, legacy15: false });
      }),
      { numRuns: 1000 },
    );
  });

  it('every single-character substitution of a valid ID number fails', () => {
    const idChars = '0123456789X';
    fc.assert(
      fc.property(validId, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 10 }), (id, position, shift) => {
        const original = idChars.indexOf(id.charAt(position));
        const replacement = idChars.charAt((original + shift) % 11);
        expect(validateIdNumber(substitute(id, position, replacement), { today: TODAY }).ok).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('15-digit numbers upgrade to valid 18-digit numbers with the same person data', () => {
    const birth19xx = birthDate.filter((b) => b.startsWith('19'));
    fc.assert(
      fc.property(provinceCode, digits(4), birth19xx, digits(3), (p, rest, birth, seq) => {
        const legacy = p + rest + birth.slice(2) + seq;
        const r = validateIdNumber(legacy, { today: TODAY });
        expect(r.ok && r.legacy15).toBe(true);
        if (r.ok && r.legacy15) {
          const upgraded = validateIdNumber(r.upgraded, { today: TODAY });
          expect(upgraded).toMatchObject({ ok: true, legacy15: false, sex: r.sex, birthDate: r.birthDate });
        }
      }),
    );
  });

  it('generated organisation codes and registration numbers pass', () => {
    const bodyChars = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...bodyChars), { minLength: 8, maxLength: 8 }).map((a) => a.join('')),
        (body) => {
          const code = body + orgCodeCheckChar(body);
          expect(validateOrgCode(`${body}-${orgCodeCheckChar(body)}`)).toEqual({ ok: true, value: code, warnings: [] });
        },
      ),
    );
    fc.assert(
      fc.property(digits(14), (first14) => {
        expect(validateRegNo(first14 + regNoCheckDigit(first14))).toMatchObject({ ok: true, warnings: [] });
      }),
    );
  });

  it('a wrong 工商注册号 check digit always gives a warning', () => {
    fc.assert(
      fc.property(digits(14), fc.integer({ min: 1, max: 9 }), (first14, shift) => {
        const wrong = String((Number(regNoCheckDigit(first14)) + shift) % 10);
        const r = validateRegNo(first14 + wrong);
        expect(r.ok && r.warnings.length).toBe(1);
      }),
    );
  });
});
