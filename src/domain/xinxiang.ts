/**
 * Reference data of 新乡市: its county-level areas, the departments that report credit data (the
 * demo accounts live in src/seed/demo-users.ts). Seeded into the database by src/seed/subjects.ts; the tables are the source of
 * truth at run time, these constants only decide what a fresh database starts with.
 */
import { orgCodeCheckChar, usccCheckChar } from './identifiers.js';

export type CountyKind = 'district' | 'city' | 'county' | 'zone';

export interface CountyRef {
  /** GB/T 2260 code; zones have no GB/T 2260 code of their own, so they get 41077x (as the city's statistics use). */
  readonly code: string;
  readonly name: string;
  /** How people write it in running text (高新区, not 新乡高新技术产业开发区). */
  readonly shortName: string;
  readonly kind: CountyKind;
  readonly sortOrder: number;
  /**
   * The GB/T 2260 code found in the identifiers of subjects registered there. Equal to `code` except for
   * zones, whose registrations and residents carry the code of the administrative area hosting them.
   */
  readonly regionCode: string;
}

/** The city's own GB/T 2260 code, carried by bodies registered at city level (市本级). */
export const CITY_REGION_CODE = '410700';

export const COUNTIES: readonly CountyRef[] = [
  { code: '410702', name: '红旗区', shortName: '红旗区', kind: 'district', sortOrder: 1, regionCode: '410702' },
  { code: '410703', name: '卫滨区', shortName: '卫滨区', kind: 'district', sortOrder: 2, regionCode: '410703' },
  { code: '410704', name: '凤泉区', shortName: '凤泉区', kind: 'district', sortOrder: 3, regionCode: '410704' },
  { code: '410711', name: '牧野区', shortName: '牧野区', kind: 'district', sortOrder: 4, regionCode: '410711' },
  { code: '410721', name: '新乡县', shortName: '新乡县', kind: 'county', sortOrder: 5, regionCode: '410721' },
  { code: '410724', name: '获嘉县', shortName: '获嘉县', kind: 'county', sortOrder: 6, regionCode: '410724' },
  { code: '410725', name: '原阳县', shortName: '原阳县', kind: 'county', sortOrder: 7, regionCode: '410725' },
  { code: '410726', name: '延津县', shortName: '延津县', kind: 'county', sortOrder: 8, regionCode: '410726' },
  { code: '410727', name: '封丘县', shortName: '封丘县', kind: 'county', sortOrder: 9, regionCode: '410727' },
  { code: '410781', name: '卫辉市', shortName: '卫辉市', kind: 'city', sortOrder: 10, regionCode: '410781' },
  { code: '410782', name: '辉县市', shortName: '辉县市', kind: 'city', sortOrder: 11, regionCode: '410782' },
  { code: '410783', name: '长垣市', shortName: '长垣市', kind: 'city', sortOrder: 12, regionCode: '410783' },
  // Hosts: the high-tech zone lies in 红旗区, the economic-technological zone in 新乡县, and the 平原 zone was carved out of 原阳县.
  { code: '410771', name: '新乡高新技术产业开发区', shortName: '高新区', kind: 'zone', sortOrder: 13, regionCode: '410702' },
  { code: '410772', name: '新乡经济技术开发区', shortName: '经开区', kind: 'zone', sortOrder: 14, regionCode: '410721' },
  { code: '410773', name: '平原城乡一体化示范区', shortName: '平原示范区', kind: 'zone', sortOrder: 15, regionCode: '410725' },
];

export function countyByCode(code: string): CountyRef | undefined {
  return COUNTIES.find((c) => c.code === code);
}

// ---------------------------------------------------------------------------------------------
// Departments
// ---------------------------------------------------------------------------------------------

export type DepartmentLevel = 'city' | 'county';

export interface DepartmentRef {
  readonly name: string;
  readonly shortName: string;
  readonly level: DepartmentLevel;
  /** Null for 市直 departments. */
  readonly countyCode: string | null;
  /** 统一社会信用代码, 11 (机构编制 / 机关) + region; the portal prints it as 许可机关/处罚机关代码. */
  readonly uscc: string;
}

/**
 * A made-up but well-formed 机关 USCC. The organisation-code body is derived from the name rather
 * than from the position in the list, so reordering or inserting departments never changes the
 * code of an existing one (the seed would otherwise rewrite codes already printed on records).
 */
export function institutionUscc(regionCode: string, name: string): string {
  // FNV-1a: tiny, stable across runtimes, good enough to spread ~60 names over 10^5 bodies.
  let h = 0x811c9dc5;
  for (const ch of name) {
    h ^= ch.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  const body = '005' + String(h % 100_000).padStart(5, '0');
  const first17 = '11' + regionCode + body + orgCodeCheckChar(body);
  return first17 + usccCheckChar(first17);
}

function cityDepartment(name: string, shortName: string): DepartmentRef {
  return { name, shortName, level: 'city', countyCode: null, uscc: institutionUscc(CITY_REGION_CODE, name) };
}

function countyDepartment(countyCode: string, name: string, shortName: string): DepartmentRef {
  const county = countyByCode(countyCode);
  if (county === undefined) throw new Error(`unknown county code ${countyCode}`);
  return { name, shortName, level: 'county', countyCode, uscc: institutionUscc(county.regionCode, name) };
}

/** 市直 departments, in the order the back office lists them (the credit office's host first). */
export const CITY_DEPARTMENTS: readonly DepartmentRef[] = [
  cityDepartment('新乡市发展和改革委员会', '市发改委'),
  cityDepartment('新乡市人民政府办公室', '市政府办'),
  cityDepartment('新乡市精神文明建设委员会办公室', '市文明办'),
  cityDepartment('新乡市教育局', '市教育局'),
  cityDepartment('新乡市科学技术局', '市科技局'),
  cityDepartment('新乡市工业和信息化局', '市工信局'),
  cityDepartment('新乡市公安局', '市公安局'),
  cityDepartment('新乡市民政局', '市民政局'),
  cityDepartment('新乡市司法局', '市司法局'),
  cityDepartment('新乡市财政局', '市财政局'),
  cityDepartment('新乡市人力资源和社会保障局', '市人社局'),
  cityDepartment('新乡市自然资源和规划局', '市自然资源和规划局'),
  cityDepartment('新乡市生态环境局', '市生态环境局'),
  cityDepartment('新乡市住房和城乡建设局', '市住建局'),
  cityDepartment('新乡市城市管理局', '市城管局'),
  cityDepartment('新乡市交通运输局', '市交通运输局'),
  cityDepartment('新乡市水利局', '市水利局'),
  cityDepartment('新乡市农业农村局', '市农业农村局'),
  cityDepartment('新乡市林业局', '市林业局'),
  cityDepartment('新乡市商务局', '市商务局'),
  cityDepartment('新乡市文化广电体育和旅游局', '市文广体旅局'),
  cityDepartment('新乡市卫生健康委员会', '市卫健委'),
  cityDepartment('新乡市退役军人事务局', '市退役军人事务局'),
  cityDepartment('新乡市应急管理局', '市应急管理局'),
  cityDepartment('新乡市审计局', '市审计局'),
  cityDepartment('新乡市人民政府国有资产监督管理委员会', '市国资委'),
  cityDepartment('新乡市市场监督管理局', '市市场监管局'),
  cityDepartment('新乡市统计局', '市统计局'),
  cityDepartment('新乡市医疗保障局', '市医保局'),
  cityDepartment('新乡市行政审批和政务信息管理局', '市审批局'),
  cityDepartment('新乡市数据局', '市数据局'),
  cityDepartment('新乡市粮食和物资储备局', '市粮食和储备局'),
  cityDepartment('新乡市人民防空办公室', '市人防办'),
  cityDepartment('新乡市机关事务管理局', '市机关事务局'),
  cityDepartment('新乡市信访局', '市信访局'),
  cityDepartment('新乡市民族宗教事务局', '市民宗局'),
  cityDepartment('新乡市外事办公室', '市外办'),
  cityDepartment('新乡市中级人民法院', '市中院'),
  cityDepartment('新乡市人民检察院', '市检察院'),
  cityDepartment('国家税务总局新乡市税务局', '市税务局'),
  cityDepartment('中国人民银行新乡市分行', '人民银行新乡市分行'),
  cityDepartment('国家金融监督管理总局新乡监管分局', '新乡金融监管分局'),
  cityDepartment('新乡海关', '新乡海关'),
  cityDepartment('国家统计局新乡调查队', '新乡调查队'),
  cityDepartment('新乡市气象局', '市气象局'),
  cityDepartment('新乡市烟草专卖局', '市烟草专卖局'),
  cityDepartment('新乡市邮政管理局', '市邮政管理局'),
  cityDepartment('新乡市消防救援支队', '市消防救援支队'),
];

/** County-level departments of the counties that report directly in the demo. */
export const COUNTY_DEPARTMENTS: readonly DepartmentRef[] = [
  countyDepartment('410781', '卫辉市市场监督管理局', '卫辉市市场监管局'),
  countyDepartment('410782', '辉县市市场监督管理局', '辉县市市场监管局'),
  countyDepartment('410783', '长垣市市场监督管理局', '长垣市市场监管局'),
  countyDepartment('410702', '新乡市红旗区市场监督管理局', '红旗区市场监管局'),
  countyDepartment('410725', '原阳县市场监督管理局', '原阳县市场监管局'),
  countyDepartment('410782', '辉县市应急管理局', '辉县市应急管理局'),
  countyDepartment('410783', '长垣市发展和改革委员会', '长垣市发改委'),
  countyDepartment('410781', '卫辉市住房和城乡建设局', '卫辉市住建局'),
];

export const DEPARTMENTS: readonly DepartmentRef[] = [...CITY_DEPARTMENTS, ...COUNTY_DEPARTMENTS];

export function departmentByShortName(shortName: string): DepartmentRef | undefined {
  return DEPARTMENTS.find((d) => d.shortName === shortName);
}

/** An authority (许可机关 / 处罚机关) a department may report in the name of. */
export interface AuthorityRef {
  readonly name: string;
  readonly uscc: string;
  readonly permits: boolean;
  readonly penalties: boolean;
}

function countyAuthority(countyCode: string, name: string, kinds: { permits: boolean; penalties: boolean } = { permits: true, penalties: true }): AuthorityRef {
  const county = countyByCode(countyCode);
  if (county === undefined) throw new Error(`unknown county code ${countyCode}`);
  return { name, uscc: institutionUscc(county.regionCode, name), ...kinds };
}

/**
 * County-level authorities without an account of their own, whose decisions a 市直 department reports (demo data).
 * Since the vertical reform the county environment bureaus are branches of the city bureau; they decide penalties,
 * while 排污许可 stays with the city bureau.
 */
const REPORTED_FOR: Readonly<Record<string, readonly AuthorityRef[]>> = {
  新乡市市场监督管理局: [
    countyAuthority('410724', '获嘉县市场监督管理局'),
    countyAuthority('410726', '延津县市场监督管理局'),
    countyAuthority('410727', '封丘县市场监督管理局'),
  ],
  新乡市生态环境局: [
    countyAuthority('410782', '新乡市生态环境局辉县分局', { permits: false, penalties: true }),
    countyAuthority('410783', '新乡市生态环境局长垣分局', { permits: false, penalties: true }),
  ],
};

/** The authorities a department starts with: itself, and the county bureaus it reports for. */
export function authoritiesOf(d: DepartmentRef): readonly AuthorityRef[] {
  return [{ name: d.name, uscc: d.uscc, permits: true, penalties: true }, ...(REPORTED_FOR[d.name] ?? [])];
}
