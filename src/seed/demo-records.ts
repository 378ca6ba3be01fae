/**
 * Deterministic 双公示 demo records in the national template's raw form (the strings a clerk would type or
 * a CSV would carry), so they go through the same record schema as real data. Used by the demo seed,
 * seed:scale and the import benchmark.
 */
import { Rng } from './demo-subjects.js';
import { CITY_DEPARTMENTS, COUNTY_DEPARTMENTS, DEPARTMENTS, type DepartmentRef } from '../domain/xinxiang.js';
import type { RecordKind } from '../domain/publicity/fields.js';

export interface DemoSubject {
  name: string;
  uscc: string | null;
  legalRepresentative: string | null;
  subjectType: 'organisation' | 'soleTrader';
}

export interface DemoPerson {
  name: string;
  docNumber: string;
}

export interface DemoRecord {
  departmentName: string;
  raw: Record<string, string>;
  /** working days between decision and report: mostly within the 7-day rule, some late */
  reportDelay: number;
  /** Position in `subjects` of the legal person named, or null when a natural person is. */
  subjectIndex: number | null;
  /** Position in `people` of the natural person named, or null. */
  personIndex: number | null;
}

interface Profile {
  department: string;
  abbr: string;
  permits: { name: string; content: string; category: string }[];
  penalties: { violation: string; basis: string; categories: string[]; fine: [number, number] }[];
}

const PROFILES: Profile[] = [
  {
    department: '新乡市市场监督管理局',
    abbr: '新市监',
    permits: [
      { name: '食品经营许可证', content: '预包装食品（含冷藏冷冻食品）销售；散装食品销售', category: '普通' },
      { name: '食品生产许可证', content: '糕点、速冻食品生产', category: '普通' },
      { name: '特种设备使用登记证', content: '电梯使用登记', category: '登记' },
    ],
    penalties: [
      {
        violation: '经营超过保质期的食品',
        basis: '《中华人民共和国食品安全法》第一百二十四条第一款第（五）项',
        categories: ['警告', '罚款', '没收违法所得'],
        fine: [0.5, 5],
      },
      { violation: '未按规定公示营业执照', basis: '《市场主体登记管理条例》第四十八条', categories: ['罚款'], fine: [0.1, 1] },
      { violation: '发布虚假广告', basis: '《中华人民共和国广告法》第五十五条', categories: ['罚款'], fine: [2, 20] },
    ],
  },
  {
    department: '新乡市生态环境局',
    abbr: '新环',
    permits: [{ name: '排污许可证', content: '废气、废水污染物排放', category: '普通' }],
    penalties: [
      { violation: '超标排放大气污染物', basis: '《中华人民共和国大气污染防治法》第九十九条', categories: ['罚款', '责令停产停业'], fine: [10, 100] },
      { violation: '未批先建', basis: '《中华人民共和国环境影响评价法》第三十一条', categories: ['罚款'], fine: [5, 50] },
    ],
  },
  {
    department: '新乡市住房和城乡建设局',
    abbr: '新建',
    permits: [{ name: '建筑工程施工许可证', content: '房屋建筑工程施工', category: '普通' }],
    penalties: [{ violation: '未取得施工许可证擅自施工', basis: '《建设工程质量管理条例》第五十七条', categories: ['罚款'], fine: [1, 10] }],
  },
  {
    department: '新乡市交通运输局',
    abbr: '新交',
    permits: [{ name: '道路运输经营许可证', content: '道路普通货物运输', category: '普通' }],
    penalties: [{ violation: '未按规定维护和检测运输车辆', basis: '《中华人民共和国道路运输条例》第七十条', categories: ['罚款'], fine: [0.1, 0.5] }],
  },
  {
    department: '新乡市卫生健康委员会',
    abbr: '新卫',
    permits: [{ name: '医疗机构执业许可证', content: '内科、外科、预防保健科', category: '普通' }],
    penalties: [{ violation: '使用非卫生技术人员从事医疗卫生技术工作', basis: '《医疗机构管理条例》第四十七条', categories: ['警告', '罚款'], fine: [1, 5] }],
  },
  {
    department: '新乡市应急管理局',
    abbr: '新应急',
    permits: [{ name: '安全生产许可证', content: '危险化学品经营', category: '特许' }],
    penalties: [{ violation: '未按规定开展安全生产教育和培训', basis: '《中华人民共和国安全生产法》第九十七条', categories: ['罚款'], fine: [1, 10] }],
  },
];

const USCC_OF = new Map(DEPARTMENTS.map((d) => [d.name, d.uscc]));

export const DEMO_RECORD_DEPARTMENTS: readonly string[] = PROFILES.map((p) => p.department);

/**
 * What a department without a profile of its own reports: a county bureau reports like its city counterpart,
 * any other department a plain permit and penalty under its own name.
 */
function profileOf(d: DepartmentRef): Profile {
  const own = PROFILES.find((p) => p.department === d.name);
  if (own) return own;
  const like = PROFILES.find((p) => d.name.endsWith(p.department.replace('新乡市', '')));
  if (like) return { ...like, department: d.name, abbr: d.shortName };
  return {
    department: d.name,
    abbr: d.shortName,
    permits: [{ name: `${d.shortName}行政许可决定书`, content: '准予行政许可', category: '普通' }],
    penalties: [
      { violation: '违反有关行政管理规定', basis: '《中华人民共和国行政处罚法》第二十八条', categories: ['警告', '罚款'], fine: [0.1, 2] },
      { violation: '未按规定履行报告义务', basis: '《中华人民共和国行政处罚法》第三十二条', categories: ['警告'], fine: [0, 0] },
    ],
  };
}

/**
 * Every department in the order of how much it reports, busiest first: the profiled 市直 bureaus, the county
 * bureaus, then the other 市直 departments. Reporting is skewed as in real portals (a few bureaus report most
 * records), so rank r gets a share ∝ 1/(r+1) (Zipf, s = 1): the busiest ~22%, the quietest ~0.4% of records.
 */
const SCALE_PROFILES: readonly Profile[] = [
  ...PROFILES,
  ...COUNTY_DEPARTMENTS.map(profileOf),
  ...CITY_DEPARTMENTS.filter((d) => !PROFILES.some((p) => p.department === d.name)).map(profileOf),
];
const SCALE_CUMULATIVE: readonly number[] = (() => {
  const out: number[] = [];
  let sum = 0;
  for (let r = 0; r < SCALE_PROFILES.length; r++) out.push((sum += 1 / (r + 1)));
  return out.map((c) => c / sum);
})();

function scaleProfile(u: number): Profile {
  let lo = 0;
  let hi = SCALE_CUMULATIVE.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (SCALE_CUMULATIVE[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return SCALE_PROFILES[lo]!;
}

/**
 * Records (permits and penalties together) of the busiest subjects in the scale data, the first subjects of the
 * pool, so that a profile and a report of a subject with thousands of records can be measured.
 */
export const SCALE_HEAVY_SUBJECTS: readonly number[] = [5000, 4000, 3000, 2000, 1000];
/** Share of the heavy subjects' records that are penalties (as in the default 4:1 mix of the scale data). */
const HEAVY_PENALTY_SHARE = 0.8;
/**
 * Any other subject is drawn as floor(n · u^SKEW): subjects early in the pool are named far more often than late
 * ones (the first of a million gets ~100 of 4M penalties, most get a few or none), as a few subjects collect most
 * records in real data.
 */
const SKEW = 1.3;

// Days and years by day number, built once per day: seed:scale formats millions of dates over a few thousand days,
// where a Date, toISOString and a regex per call were a large part of generating a row
// (docs/performance.md#loading-the-scale-data).
const YMD = new Map<number, string>();
const YEAR = new Map<number, number>();

function ymd(day: number): string {
  let s = YMD.get(day);
  if (s === undefined) {
    s = new Date(day * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '/');
    YMD.set(day, s);
  }
  return s;
}

function yearOf(day: number): number {
  let y = YEAR.get(day);
  if (y === undefined) {
    y = new Date(day * 86_400_000).getUTCFullYear();
    YEAR.set(day, y);
  }
  return y;
}

type PenaltyProfile = Profile['penalties'][number];
/** The texts of a penalty profile that do not vary by record, joined once rather than per record. */
interface PenaltyTexts {
  facts: string;
  categories: string;
  listed: string;
  fined: boolean;
  confiscates: boolean;
}
const PENALTY_TEXTS = new WeakMap<PenaltyProfile, PenaltyTexts>();

function penaltyTexts(p: PenaltyProfile): PenaltyTexts {
  let t = PENALTY_TEXTS.get(p);
  if (t === undefined) {
    t = {
      facts: `经查，当事人存在${p.violation}的违法行为，事实清楚，证据确凿。`,
      categories: p.categories.join(';'),
      listed: p.categories.join('、'),
      fined: p.categories.includes('罚款'),
      confiscates: p.categories.includes('没收违法所得'),
    };
    PENALTY_TEXTS.set(p, t);
  }
  return t;
}

/**
 * `count` records of one kind over subjects and people, decisions spread over the `spanDays` before `endDay`
 * (days since 1970-01-01). Natural persons appear in about 1 penalty in 10, some under the simple procedure.
 */
export function* generateDemoRecords(
  kind: RecordKind,
  count: number,
  opts: {
    seed: number;
    subjects: readonly DemoSubject[];
    people: readonly DemoPerson[];
    endDay: number;
    spanDays: number;
    firstSerial?: number;
    /** The first records go to these subjects (and, for penalties, the next one to the first person), so demo journeys always find something. */
    pinned?: number;
    /**
     * Scale data: every department reports (Zipf-skewed), subjects are drawn skewed towards the start of the
     * pool, and the first SCALE_HEAVY_SUBJECTS.length subjects get thousands of records each.
     */
    skewed?: boolean;
  },
): Generator<DemoRecord> {
  const rng = new Rng(opts.seed * 31 + (kind === 'permit' ? 1 : 2));
  const first = opts.firstSerial ?? 1;
  const skewed = opts.skewed ?? false;
  const heavyShare = kind === 'penalty' ? HEAVY_PENALTY_SHARE : 1 - HEAVY_PENALTY_SHARE;
  // Chance of each heavy subject per record, at most half of all records together (small runs).
  const heavy = SCALE_HEAVY_SUBJECTS.slice(0, opts.subjects.length).map((n) => (n * heavyShare) / Math.max(count, 1));
  const heavyTotal = heavy.reduce((a, b) => a + b, 0);
  const heavyScale = heavyTotal > 0.5 ? 0.5 / heavyTotal : 1;
  const skewedIndex = (n: number): number => Math.min(n - 1, Math.floor(n * rng.next() ** SKEW));
  const pickSubject = (): number => {
    if (!skewed) return rng.int(opts.subjects.length);
    let u = rng.next();
    for (let h = 0; h < heavy.length; h++) {
      u -= heavy[h]! * heavyScale;
      if (u < 0) return h;
    }
    return skewedIndex(opts.subjects.length);
  };
  for (let i = 0; i < count; i++) {
    const profile = skewed ? scaleProfile(rng.next()) : PROFILES[rng.int(PROFILES.length)]!;
    const code = USCC_OF.get(profile.department) ?? '';
    const decisionDay = opts.endDay - Math.floor(opts.spanDays * rng.next() ** 1.5);
    const year = yearOf(decisionDay);
    const serial = first + i;
    const pinned = opts.pinned ?? 0;
    const pinnedPerson = kind === 'penalty' && i === pinned && opts.people.length > 0;
    const natural = pinnedPerson || (i > pinned && kind === 'penalty' && opts.people.length > 0 && rng.next() < 0.1);
    const subjectIndex = i < pinned ? i % opts.subjects.length : pickSubject();
    const subject = opts.subjects[subjectIndex]!;
    const personIndex = pinnedPerson ? 0 : natural ? (skewed ? skewedIndex(opts.people.length) : rng.int(opts.people.length)) : null;
    const person = personIndex === null ? null : opts.people[personIndex]!;
    const common: Record<string, string> = person
      ? { subjectName: person.name, subjectCategory: '自然人', docType: '身份证', docNumber: person.docNumber }
      : {
          subjectName: subject.name,
          subjectCategory: subject.subjectType === 'soleTrader' ? '个体工商户' : '法人及非法人组织',
          uscc: subject.uscc ?? '00000000000000000X',
          legalRepresentative: subject.legalRepresentative ?? '',
        };
    Object.assign(common, {
      authority: profile.department,
      authorityCode: code,
      sourceName: profile.department,
      sourceCode: code,
      decisionDate: ymd(decisionDay),
    });
    const reportDelay = rng.next() < 0.85 ? rng.int(6) + 1 : 8 + rng.int(20);
    if (kind === 'permit') {
      const p = profile.permits[rng.int(profile.permits.length)]!;
      const years = [3, 5, 5, 6][rng.int(4)]!;
      yield {
        departmentName: profile.department,
        reportDelay,
        subjectIndex: person ? null : subjectIndex,
        personIndex,
        // Object.assign, not a spread followed by more properties: V8 builds that many times slower (seed:scale).
        raw: Object.assign(common, {
          documentName: p.name,
          documentNo: `${profile.abbr}许〔${year}〕${serial}号`,
          permitCategory: p.category,
          certificateName: p.name,
          permitNo: `${profile.abbr}${year}${String(serial).padStart(7, '0')}`,
          validFrom: ymd(decisionDay),
          validTo: rng.next() < 0.1 ? '2099/12/31' : ymd(decisionDay + years * 365),
          content: p.content,
        }),
      };
    } else {
      const p = profile.penalties[rng.int(profile.penalties.length)]!;
      const texts = penaltyTexts(p);
      const fine = (p.fine[0] + (p.fine[1] - p.fine[0]) * rng.next()).toFixed(2);
      const confiscated = texts.confiscates ? (0.05 + rng.next()).toFixed(4) : '';
      yield {
        departmentName: profile.department,
        reportDelay,
        subjectIndex: person ? null : subjectIndex,
        personIndex,
        raw: Object.assign(common, {
          documentNo: `${profile.abbr}罚〔${year}〕${serial}号`,
          violationType: p.violation,
          facts: texts.facts,
          basis: p.basis,
          penaltyCategories: texts.categories,
          content: `${texts.listed}，罚款人民币 ${Math.round(Number(fine) * 10_000)} 元`,
          fineAmount: texts.fined ? fine : '',
          confiscatedAmount: confiscated,
          validUntil: ymd(decisionDay + 365),
          simpleProcedure: person && !pinnedPerson && rng.next() < 0.3 ? '是' : '否',
        }),
      };
    }
  }
}

/**
 * A few penalties that show every severity tier (docs/domain.md): 严重 by the rules and by a department's own choice,
 * 轻微 published because marked necessary and 轻微 not published, 一般 with the department's own 公示截止期, and one
 * 一般 decided over a year ago that has left publication at its maximum. Decision days are relative to endDay.
 */
export function tierShowcase(subjects: readonly DemoSubject[], endDay: number): DemoRecord[] {
  const market = PROFILES[0]!;
  const env = PROFILES[1]!;
  const make = (
    profile: Profile,
    n: number,
    subject: DemoSubject,
    daysAgo: number,
    own: { violation: string; basis: string; categories: string[]; content: string; fine?: string } & Record<string, string | string[] | undefined>,
  ): DemoRecord => {
    const decisionDay = endDay - daysAgo;
    const code = USCC_OF.get(profile.department) ?? '';
    const { violation, basis, categories, content, fine, ...rest } = own;
    return {
      departmentName: profile.department,
      reportDelay: 3,
      subjectIndex: null,
      personIndex: null,
      raw: {
        subjectName: subject.name,
        subjectCategory: subject.subjectType === 'soleTrader' ? '个体工商户' : '法人及非法人组织',
        uscc: subject.uscc ?? '00000000000000000X',
        legalRepresentative: subject.legalRepresentative ?? '',
        authority: profile.department,
        authorityCode: code,
        sourceName: profile.department,
        sourceCode: code,
        decisionDate: ymd(decisionDay),
        documentNo: `${profile.abbr}罚〔${new Date(decisionDay * 86_400_000).getUTCFullYear()}〕示${n}号`,
        violationType: violation,
        facts: `经查，当事人存在${violation}的违法行为，事实清楚，证据确凿。`,
        basis,
        penaltyCategories: categories.join(';'),
        content,
        fineAmount: fine ?? '',
        validUntil: ymd(decisionDay + 30),
        ...(rest as Record<string, string>),
      },
    };
  };
  const [a, b, c] = [subjects[0]!, subjects[1 % subjects.length]!, subjects[2 % subjects.length]!];
  return [
    make(market, 1, a, 200, {
      violation: '生产经营用非食品原料生产的食品',
      basis: '《中华人民共和国食品安全法》第一百二十三条',
      categories: ['罚款', '吊销许可证件'],
      fine: '15',
      content: '罚款人民币 15 万元，吊销食品生产许可证',
      licenceAffected: '食品生产许可证 SC10641070000001',
    }),
    // Old enough (more than a year) to be past every repair minimum and still public: the repair journey finds it.
    make(env, 2, b, 500, {
      violation: '通过暗管排放水污染物',
      basis: '《中华人民共和国水污染防治法》第八十三条',
      categories: ['罚款'],
      fine: '10',
      content: '罚款人民币 10 万元',
      tier: '严重',
      tierReason: '两年内第三次同类违法，情节严重',
    }),
    make(env, 3, c, 15, {
      violation: '未按规定设置危险废物识别标志',
      basis: '《中华人民共和国固体废物污染环境防治法》第一百一十二条',
      categories: ['通报批评'],
      content: '通报批评',
      publicityNecessary: '是',
    }),
    make(env, 4, c, 40, { violation: '未按规定公开环境信息', basis: '《企业环境信息依法披露管理办法》第二十七条', categories: ['警告'], content: '警告' }),
    make(market, 5, b, 30, {
      violation: '未按规定公示营业执照',
      basis: '《市场主体登记管理条例》第四十八条',
      categories: ['罚款'],
      fine: '0.3',
      content: '罚款人民币 3000 元',
      publicityEndDate: ymd(endDay - 30 + 183),
    }),
    make(env, 6, a, 420, {
      violation: '未批先建',
      basis: '《中华人民共和国环境影响评价法》第三十一条',
      categories: ['罚款'],
      fine: '8',
      content: '罚款人民币 8 万元',
    }),
  ];
}
