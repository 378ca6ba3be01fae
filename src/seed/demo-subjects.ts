/**
 * Deterministic, realistic-looking credit subjects of Xinxiang for demos and load tests.
 *
 * Row i depends only on (seed, i): a generator can start anywhere (seed:scale starts at
 * SCALE_FIRST_INDEX), stream any number of rows in constant memory, and a re-run reproduces the same
 * rows so that ON CONFLICT makes it a no-op. Identifiers are unique within a seed because their
 * serial part is a keyed permutation of i, not a random draw: no "seen" set is needed for 10^6 rows.
 *
 * Everything here is invented. Codes pass every check the portal applies, but any resemblance to a
 * real registration is coincidental.
 */
import { civilFromDays } from '../domain/workdays.js';
import { epochDay } from '../domain/dates.js';
import { USCC_ALPHABET, idCheckChar, orgCodeCheckChar, regNoCheckDigit, usccCheckChar } from '../domain/identifiers.js';
import { CITY_REGION_CODE, COUNTIES, type CountyRef } from '../domain/xinxiang.js';

export const DEMO_SEED = 410700;

/** seed:scale starts here so that its rows never coincide with seed:demo's, which start at 0. */
export const SCALE_FIRST_INDEX = 1_000_000;

export type DemoSubjectType = 'organisation' | 'soleTrader';
export type DemoStatus = 'active' | 'revoked' | 'cancelled' | 'movedOut';

export interface DemoLegalPerson {
  uscc: string;
  name: string;
  legalRepresentative: string;
  subjectType: DemoSubjectType;
  status: DemoStatus;
  address: string;
  /** YYYY-MM-DD */
  establishedOn: string;
  /** A code from COUNTIES (zones included), i.e. where the subject is located. */
  countyCode: string;
  orgCode: string | null;
  regNo: string | null;
}

export interface DemoNaturalPerson {
  docType: 'residentId';
  docNumber: string;
  name: string;
}

// ---------------------------------------------------------------------------------------------
// Hand-picked subjects that e2e tests and the demo script refer to by name or code.
// ---------------------------------------------------------------------------------------------

export const DEMO_SUBJECTS: readonly DemoLegalPerson[] = [
  {
    uscc: '91410700174608534E',
    name: '新乡市华兴食品有限公司',
    legalRepresentative: '王建国',
    subjectType: 'organisation',
    status: 'active',
    address: '河南省新乡市红旗区金穗大道266号',
    establishedOn: '2003-05-16',
    countyCode: '410702',
    orgCode: '174608534',
    regNo: '410700000012348',
  },
  {
    uscc: '914107006767352181',
    name: '河南豫北建设工程有限公司',
    legalRepresentative: '李振华',
    subjectType: 'organisation',
    status: 'active',
    address: '河南省新乡市卫滨区胜利路118号',
    establishedOn: '2008-09-03',
    countyCode: '410703',
    orgCode: '676735218',
    regNo: '410700000034569',
  },
  {
    uscc: '91410783MA40R2KM4P',
    name: '长垣市恒泰起重机械股份有限公司',
    legalRepresentative: '赵永刚',
    subjectType: 'organisation',
    status: 'active',
    address: '河南省新乡市长垣市起重工业园区纬三路18号',
    establishedOn: '2017-04-12',
    countyCode: '410783',
    orgCode: null,
    regNo: null,
  },
  {
    uscc: '92410711MA44HB7D13',
    name: '牧野区李记烩面馆',
    legalRepresentative: '李秀英',
    subjectType: 'soleTrader',
    status: 'active',
    address: '河南省新乡市牧野区荣校路58号',
    establishedOn: '2018-06-20',
    countyCode: '410711',
    orgCode: null,
    regNo: null,
  },
  {
    uscc: '93410725MA45UJ3P85',
    name: '原阳县金穗水稻种植专业合作社',
    legalRepresentative: '刘满仓',
    subjectType: 'organisation',
    status: 'active',
    address: '河南省新乡市原阳县福宁集镇后李庄村',
    establishedOn: '2016-03-08',
    countyCode: '410725',
    orgCode: null,
    regNo: null,
  },
  {
    // Revoked on purpose: lets tests check how a non-active subject is shown.
    uscc: '91410700569821479Q',
    name: '新乡市鑫达商贸有限公司',
    legalRepresentative: '孙红伟',
    subjectType: 'organisation',
    status: 'revoked',
    address: '河南省新乡市牧野区东干道39号',
    establishedOn: '2011-11-21',
    countyCode: '410711',
    orgCode: null,
    regNo: '410700011029389',
  },
];

export const DEMO_NATURAL_PERSONS: readonly DemoNaturalPerson[] = [
  { docType: 'residentId', docNumber: '410702198503151235', name: '张伟' },
  { docType: 'residentId', docNumber: '410782199207080029', name: '李娜' },
];

// ---------------------------------------------------------------------------------------------
// Randomness
// ---------------------------------------------------------------------------------------------

/** Murmur3's finaliser over two words: turns (seed, index) into an unrelated 32-bit seed. */
function mix32(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b, 0xcc9e2d51);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** mulberry32: small and fast, and its output is the same on every platform, unlike Math.random. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }
}

class Weighted<T> {
  private readonly items: T[] = [];
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    let sum = 0;
    for (const [item, weight] of entries) {
      sum += weight;
      this.items.push(item);
      this.cumulative.push(sum);
    }
    this.total = sum;
  }

  pick(rng: Rng): T {
    const x = rng.next() * this.total;
    // Binary search for the first cumulative weight above x; the surname table is long.
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] ?? 0) <= x) lo = mid + 1;
      else hi = mid;
    }
    const item = this.items[lo];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }
}

/**
 * A keyed bijection of [0, size): an invertible multiply–xorshift mixer on `bits` bits, cycle-walked
 * until it lands inside the range. Being a permutation is what makes the derived codes unique.
 */
function permute(index: number, size: number, bits: number, key: number): number {
  const mask = 2 ** bits - 1;
  const half = bits >>> 1;
  let x = index;
  do {
    x = (x ^ (key & mask)) >>> 0;
    x = (Math.imul(x, 0x2c1b3c6d) & mask) >>> 0;
    x ^= x >>> half;
    x = (Math.imul(x, 0x297a2d39) & mask) >>> 0;
    x ^= x >>> (half + 1);
  } while (x >= size);
  return x;
}

// ---------------------------------------------------------------------------------------------
// Word lists. Invented but local: surnames by their frequency in Henan, the towns of each county,
// the industries each county is known for.
// ---------------------------------------------------------------------------------------------

const SURNAMES = new Weighted<string>([
  ...['王', '李', '张', '刘'].map((s) => [s, 10] as const),
  ...['陈', '杨', '赵', '郭', '马', '孙'].map((s) => [s, 4] as const),
  ...Array.from(
    '黄周吴徐胡朱何高罗宋郑梁谢韩唐冯于董程曹袁许邓傅沈彭吕苏卢蒋蔡贾丁魏薛叶闫潘杜戴夏田任姜范方石姚崔毛秦史侯邵孟段雷尹常武乔贺申牛翟焦靳司',
    (s) => [s, 1] as const,
  ),
]);

type Sex = 'male' | 'female';
type Era = 'old' | 'mid' | 'young';

// Given names follow fashions, so they are drawn from the era of the person's birth.
const GIVEN_NAMES: Record<Sex, Record<Era, readonly string[]>> = {
  male: {
    old: [
      '建国',
      '建军',
      '国庆',
      '国强',
      '志强',
      '卫东',
      '保国',
      '振华',
      '德胜',
      '金生',
      '新民',
      '学军',
      '满仓',
      '长顺',
      '玉成',
      '福林',
      '双喜',
      '书田',
      '军',
      '强',
      '刚',
      '平',
      '明',
      '林',
    ],
    mid: [
      '伟',
      '磊',
      '涛',
      '鹏',
      '超',
      '杰',
      '斌',
      '辉',
      '亮',
      '勇',
      '建伟',
      '海涛',
      '俊峰',
      '晓东',
      '振宇',
      '红伟',
      '永刚',
      '志刚',
      '卫华',
      '鹏飞',
      '宏伟',
      '新华',
      '利军',
      '文斌',
      '海军',
    ],
    young: [
      '浩然',
      '子轩',
      '宇航',
      '一鸣',
      '梓豪',
      '俊杰',
      '博文',
      '天佑',
      '浩宇',
      '子豪',
      '家乐',
      '思远',
      '晨阳',
      '皓轩',
      '昊天',
      '志远',
      '浩',
      '宇',
      '鑫',
      '昊',
      '帅',
      '博',
      '航',
      '阳',
    ],
  },
  female: {
    old: [
      '秀英',
      '桂英',
      '玉兰',
      '秀兰',
      '桂兰',
      '凤英',
      '素梅',
      '玉梅',
      '淑珍',
      '秀珍',
      '桂芳',
      '爱华',
      '春花',
      '翠英',
      '玉珍',
      '金凤',
      '素芳',
      '香梅',
      '芳',
      '英',
      '兰',
      '梅',
      '霞',
      '珍',
    ],
    mid: [
      '丽',
      '娟',
      '敏',
      '静',
      '艳',
      '霞',
      '燕',
      '红',
      '萍',
      '丽娜',
      '红霞',
      '丽娟',
      '晓燕',
      '海燕',
      '艳玲',
      '慧敏',
      '红梅',
      '雪梅',
      '晓丽',
      '春燕',
      '亚楠',
      '彩霞',
      '淑芬',
    ],
    young: [
      '婷',
      '雪',
      '颖',
      '琳',
      '倩',
      '璐',
      '欣',
      '悦',
      '梦瑶',
      '雨涵',
      '欣怡',
      '梓涵',
      '佳怡',
      '子涵',
      '诗涵',
      '思雨',
      '紫萱',
      '可馨',
      '一诺',
      '雨桐',
      '静怡',
      '佳琪',
      '雅琪',
      '心怡',
    ],
  },
};

function personName(rng: Rng, sex: Sex, era: Era): string {
  return SURNAMES.pick(rng) + rng.pick(GIVEN_NAMES[sex][era]);
}

function eraOf(birthYear: number): Era {
  return birthYear < 1970 ? 'old' : birthYear < 1988 ? 'mid' : 'young';
}

// Towns and sub-districts; used for rural addresses, co-operatives and village collectives.
const TOWNS: Readonly<Record<string, readonly string[]>> = {
  '410702': ['西街街道', '东街街道', '渠东街道', '向阳街道', '洪门镇', '小店镇'],
  '410703': ['胜利路街道', '中同街街道', '健康路街道', '铁西街道', '南桥街道', '平原镇'],
  '410704': ['宝西街道', '宝东街道', '大块镇', '耿黄镇', '潞王坟乡'],
  '410711': ['东干道街道', '花园街道', '卫北街道', '荣校路街道', '王村镇', '牧野乡'],
  '410721': ['七里营镇', '朗公庙镇', '翟坡镇', '古固寨镇', '大召营镇', '合河乡'],
  '410724': ['城关镇', '亢村镇', '中和镇', '徐营镇', '照镜镇', '黄堤镇', '史庄镇', '位庄乡'],
  '410725': ['城关镇', '福宁集镇', '太平镇', '齐街镇', '葛埠口乡', '阳阿乡', '路寨乡', '官厂乡'],
  '410726': ['城关镇', '东屯镇', '丰庄镇', '王楼镇', '石婆固镇', '小潭乡', '僧固乡', '司寨乡', '胙城乡'],
  '410727': ['城关镇', '黄陵镇', '陈固镇', '留光镇', '潘店镇', '赵岗镇', '尹岗镇', '应举镇', '荆隆宫乡', '曹岗乡'],
  '410781': ['汲水镇', '太公镇', '孙杏村镇', '后河镇', '李源屯镇', '唐庄镇', '上乐村镇', '安都乡', '柳庄乡', '城郊乡'],
  '410782': ['百泉镇', '薄壁镇', '峪河镇', '冀屯镇', '吴村镇', '南村镇', '上八里镇', '北云门镇', '占城镇', '高庄乡', '张村乡', '赵固乡'],
  '410783': ['蒲西街道', '蒲东街道', '南蒲街道', '魏庄街道', '丁栾镇', '佘家镇', '樊相镇', '恼里镇', '常村镇', '赵堤镇', '孟岗镇', '芦岗乡'],
  '410771': ['关堤乡'],
  '410772': ['小冀镇'],
  '410773': ['桥北乡', '韩董庄镇', '师寨镇', '原武镇'],
};

const URBAN_ROADS = [
  '人民路',
  '平原路',
  '胜利路',
  '金穗大道',
  '劳动路',
  '新中大道',
  '和平路',
  '自由路',
  '健康路',
  '向阳路',
  '宏力大道',
  '华兰大道',
  '牧野大道',
  '荣校路',
  '东干道',
  '卫河路',
  '新飞大道',
  '化工路',
  '东明大道',
  '建设路',
  '解放路',
  '文化路',
  '振中路',
  '中同街',
  '北环路',
  '南环路',
  '新二街',
  '新五街',
];
const TOWN_ROADS = [
  '人民路',
  '文化路',
  '解放路',
  '建设路',
  '朝阳路',
  '南环路',
  '北环路',
  '东环路',
  '西环路',
  '长兴路',
  '新华路',
  '中心街',
  '育才路',
  '迎宾大道',
  '工业路',
];
const VILLAGE_SUFFIXES = ['庄', '屯', '营', '寨', '村', '店', '集', '楼', '岗', '堤', '固', '桥'];
const VILLAGE_PREFIXES = ['', '', '', '东', '西', '南', '北', '前', '后', '大', '小'];

function villageName(rng: Rng): string {
  const v = rng.pick(VILLAGE_PREFIXES) + SURNAMES.pick(rng) + rng.pick(VILLAGE_SUFFIXES);
  return v.endsWith('村') ? v : v + '村';
}

function townOf(rng: Rng, county: CountyRef): string {
  return rng.pick(TOWNS[county.code] ?? ['城关镇']);
}

/** Where an address starts after 河南省新乡市: zones go by the name people use for them. */
function addressArea(county: CountyRef): string {
  return county.kind === 'zone' ? county.shortName : county.name;
}

function streetAddress(rng: Rng, county: CountyRef): string {
  const roads = county.kind === 'district' || county.kind === 'zone' ? URBAN_ROADS : TOWN_ROADS;
  return `河南省新乡市${addressArea(county)}${rng.pick(roads)}${1 + rng.int(rng.chance(0.8) ? 300 : 1200)}号`;
}

function ruralAddress(rng: Rng, county: CountyRef): string {
  return `河南省新乡市${addressArea(county)}${townOf(rng, county)}${villageName(rng)}`;
}

/** How local names begin: 红旗区张记面馆, 新乡高新区…, never the zone's full legal name. */
const LOCAL_PREFIX: Readonly<Record<string, string>> = { '410771': '新乡高新区', '410772': '新乡经开区', '410773': '平原示范区' };

function localPrefix(county: CountyRef): string {
  return LOCAL_PREFIX[county.code] ?? county.name;
}

const TRADE_NAMES = [
  '华兴',
  '金源',
  '鑫达',
  '恒泰',
  '宏图',
  '瑞丰',
  '博远',
  '中原',
  '豫北',
  '牧野',
  '太行',
  '卫河',
  '同创',
  '天成',
  '嘉禾',
  '永盛',
  '润达',
  '丰源',
  '汇通',
  '百川',
  '正阳',
  '东升',
  '鼎盛',
  '兴业',
  '凯瑞',
  '昌盛',
  '祥和',
  '诚信',
  '德润',
  '远航',
  '鸿运',
  '盛世',
  '华夏',
  '万和',
  '金穗',
  '银河',
  '绿源',
  '亿达',
  '立信',
  '金龙',
  '华冠',
  '明泰',
  '聚丰',
  '安泰',
  '利民',
  '金辉',
  '新华',
  '大地',
  '宏达',
  '顺通',
  '众诚',
  '恒信',
  '佳美',
  '欣悦',
  '锦程',
  '合力',
  '三力',
  '天盛',
  '久远',
  '晟源',
  '伟业',
  '泰丰',
  '鹏程',
  '隆盛',
  '海天',
  '嘉泰',
  '康达',
  '世纪',
  '同心',
  '百泉',
];

const INDUSTRIES = [
  '食品',
  '商贸',
  '建设工程',
  '建筑工程',
  '建筑劳务',
  '物流',
  '机械制造',
  '电子科技',
  '生物科技',
  '医药',
  '化工',
  '农业开发',
  '房地产开发',
  '物业服务',
  '餐饮管理',
  '纺织',
  '服饰',
  '环保科技',
  '新能源科技',
  '汽车销售服务',
  '建材',
  '装饰工程',
  '园林绿化工程',
  '信息技术',
  '文化传媒',
  '广告',
  '印刷',
  '粮油',
  '面业',
  '畜牧',
  '运输',
  '酒店管理',
  '钢结构工程',
  '电气设备',
  '家具',
  '包装材料',
  '网络科技',
  '教育咨询',
  '人力资源服务',
  '企业管理咨询',
  '供应链管理',
  '再生资源回收',
  '混凝土',
  '保温材料',
  '管业',
  '农资',
  '种业',
];

// What each area is known for, so that 长垣 makes cranes and 原阳 grows rice.
const LOCAL_INDUSTRIES: Readonly<Record<string, readonly string[]>> = {
  '410783': ['起重机械', '起重设备', '医疗器械', '卫生材料', '防腐工程', '厨具'],
  '410721': ['振动机械', '化纤', '过滤设备'],
  '410782': ['水泥', '旅游开发', '石材'],
  '410725': ['大米', '农业开发', '食品'],
  '410781': ['建材', '电力设备', '纸业'],
  '410727': ['金银花', '树莓', '农业科技'],
  '410771': ['电池', '生物医药', '电子科技', '新材料'],
  '410772': ['汽车零部件', '新材料', '振动机械'],
};

const COMPANY_SUFFIX = new Weighted<string>([
  ['有限公司', 75],
  ['有限责任公司', 15],
  ['股份有限公司', 5],
  ['集团有限公司', 2],
]);

const FOOD_SHOPS = [
  '烩面馆',
  '面馆',
  '胡辣汤馆',
  '羊肉汤馆',
  '包子铺',
  '饺子馆',
  '烧烤店',
  '小吃店',
  '卤肉店',
  '凉皮店',
  '早餐店',
  '饭店',
  '火锅店',
  '烧饼铺',
  '米线店',
  '熟食店',
];
const SHOPS = [
  '五金店',
  '超市',
  '便利店',
  '副食店',
  '理发店',
  '美发店',
  '服装店',
  '日用品店',
  '家电维修部',
  '汽车修理部',
  '蔬菜店',
  '水果店',
  '烟酒店',
  '电动车行',
  '手机店',
  '建材店',
  '粮油店',
  '门窗店',
  '农资店',
  '养殖场',
  '废品收购站',
  '装饰部',
  '灯具店',
  '床上用品店',
  '母婴店',
  '眼镜店',
  '干洗店',
  '照相馆',
  '家具店',
];

const FARMING = [
  '小麦种植',
  '水稻种植',
  '蔬菜种植',
  '花生种植',
  '果蔬',
  '食用菌',
  '中药材种植',
  '苗木花卉',
  '生猪养殖',
  '肉牛养殖',
  '肉羊养殖',
  '家禽养殖',
  '农机',
  '植保',
  '土地托管',
  '红薯种植',
  '山药种植',
  '金银花种植',
  '树莓种植',
];

const ASSOCIATIONS = [
  '餐饮行业协会',
  '物流协会',
  '建筑业协会',
  '个体劳动者协会',
  '企业家协会',
  '摄影家协会',
  '书法家协会',
  '老年人体育协会',
  '电子商务协会',
  '家政服务协会',
  '汽车维修行业协会',
  '慈善总会',
  '青年企业家商会',
  '民营企业商会',
  '浙江商会',
  '福建商会',
  '温州商会',
  '山东商会',
  '湖北商会',
];
const NON_PROFITS = ['幼儿园', '培训学校', '职业技能培训学校', '艺术培训学校', '养老服务中心', '社会工作服务中心', '康复中心', '颐养院', '托育中心'];
const TOWN_INSTITUTIONS = ['卫生院', '中心学校', '初级中学', '中心小学', '中心幼儿园', '综合文化站'];
const STREET_INSTITUTIONS = ['社区卫生服务中心', '综合文化站', '中心幼儿园'];

// ---------------------------------------------------------------------------------------------
// Legal persons
// ---------------------------------------------------------------------------------------------

/** Days since 1970-01-01 to YYYY-MM-DD by integer arithmetic (Hinnant's civil_from_days): Date objects dominated the profile. */
function isoDay(day: number): string {
  const [y, m, d] = civilFromDays(day);
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

type Kind = 'enterprise' | 'soleTrader' | 'cooperative' | 'socialOrg' | 'nonProfit' | 'institution' | 'villageCollective';

interface KindSpec {
  /** USCC positions 1–2: registering department and category. */
  readonly code: string;
  /** The leading two characters of organisation-code bodies issued after the USCC reform (GB 32100). */
  readonly newBodyPrefix: string;
  /** Range of founding dates, as days since 1970-01-01. */
  readonly from: number;
  readonly to: number;
  /** >1 skews dates towards the present: more subjects were founded recently than survive from the 90s. */
  readonly recency: number;
}

const KINDS: Readonly<Record<Kind, KindSpec>> = {
  enterprise: { code: '91', newBodyPrefix: 'MA', from: epochDay('1995-01-01'), to: epochDay('2025-12-31'), recency: 1.33 },
  soleTrader: { code: '92', newBodyPrefix: 'MA', from: epochDay('1995-01-01'), to: epochDay('2025-12-31'), recency: 1.67 },
  // The 农民专业合作社法 took effect in July 2007.
  cooperative: { code: '93', newBodyPrefix: 'MA', from: epochDay('2008-01-01'), to: epochDay('2025-12-31'), recency: 1.2 },
  socialOrg: { code: '51', newBodyPrefix: 'MJ', from: epochDay('1995-01-01'), to: epochDay('2025-12-31'), recency: 1 },
  nonProfit: { code: '52', newBodyPrefix: 'MJ', from: epochDay('1998-01-01'), to: epochDay('2025-12-31'), recency: 1.2 },
  institution: { code: '12', newBodyPrefix: 'MB', from: epochDay('1995-01-01'), to: epochDay('2025-12-31'), recency: 0.8 },
  // Village collectives were registered in the 2018–2022 collective-property reform.
  villageCollective: { code: 'N2', newBodyPrefix: 'MF', from: epochDay('2018-01-01'), to: epochDay('2022-12-31'), recency: 1 },
};

const KIND_MIX = new Weighted<Kind>([
  ['enterprise', 48],
  ['soleTrader', 38],
  ['cooperative', 5],
  ['socialOrg', 2],
  ['nonProfit', 3],
  ['institution', 2],
  ['villageCollective', 2],
]);

const COUNTY_WEIGHT: Readonly<Record<string, number>> = {
  '410702': 14,
  '410703': 8,
  '410704': 3,
  '410711': 8,
  '410721': 5,
  '410724': 4,
  '410725': 5,
  '410726': 4,
  '410727': 5,
  '410781': 6,
  '410782': 8,
  '410783': 10,
  '410771': 6,
  '410772': 4,
  '410773': 3,
};
const ANY_COUNTY = new Weighted<CountyRef>(COUNTIES.map((c) => [c, COUNTY_WEIGHT[c.code] ?? 1] as const));
// Co-operatives and village collectives are rural; the urban districts have few of them.
const RURAL_COUNTY = new Weighted<CountyRef>(
  COUNTIES.map((c) => [c, (COUNTY_WEIGHT[c.code] ?? 1) * (c.kind === 'district' || c.code === '410771' ? 0.1 : 1)] as const),
);

const STATUS_MIX = new Weighted<DemoStatus>([
  ['active', 86],
  ['cancelled', 8],
  ['revoked', 5],
  ['movedOut', 1],
]);

/** Enterprises founded from here on got a USCC with a new organisation-code body, never a separate 组织机构代码. */
const USCC_REFORM = '2015-10-01';
/** 个体工商户 received USCCs (and stopped getting bare 注册号) from here on. */
const SOLE_TRADER_REFORM = '2016-10-01';

function dateBetween(rng: Rng, from: number, to: number, recency: number): string {
  return isoDay(from + Math.floor((to - from + 1) * rng.next() ** (1 / recency)));
}

// Identifier spaces. Each is a permutation domain: its size bounds how many unique rows one seed yields.
const NUMERIC_BODIES = 100_000_000; // 8 digits
const NEW_BODIES = 31 ** 6; // 6 characters of the USCC alphabet after the two-letter prefix
const REG_NO_SERIALS = 10_000_000; // 7 digits after the type digit

/** How many distinct legal persons one seed can produce. */
export const LEGAL_PERSON_CAPACITY = NUMERIC_BODIES;

interface Keys {
  row: number;
  numeric: number;
  fresh: number;
  regNo: number;
}

function legalKeys(seed: number): Keys {
  return { row: mix32(seed, 1), numeric: mix32(seed, 2), fresh: mix32(seed, 3), regNo: mix32(seed, 4) };
}

function numericBody(index: number, key: number): string {
  return String(permute(index, NUMERIC_BODIES, 27, key)).padStart(8, '0');
}

function newBody(prefix: string, index: number, key: number): string {
  let x = permute(index, NEW_BODIES, 30, key);
  let s = '';
  for (let i = 0; i < 6; i++) {
    s = USCC_ALPHABET.charAt(x % 31) + s;
    x = Math.floor(x / 31);
  }
  return prefix + s;
}

function enterpriseName(rng: Rng, county: CountyRef, cityLevel: boolean): string {
  const r = rng.next();
  let prefix: string;
  if (cityLevel || county.kind === 'zone') prefix = r < 0.75 ? '新乡市' : r < 0.88 ? '新乡' : '河南';
  else if (county.kind === 'district') prefix = r < 0.6 ? '新乡市' : r < 0.8 ? `新乡市${county.name}` : r < 0.9 ? '新乡' : '河南';
  else prefix = r < 0.7 ? county.name : r < 0.85 ? '新乡市' : r < 0.93 ? '新乡' : '河南';
  const local = LOCAL_INDUSTRIES[county.code];
  const industry = local !== undefined && rng.chance(0.35) ? rng.pick(local) : rng.pick(INDUSTRIES);
  return prefix + rng.pick(TRADE_NAMES) + industry + COMPANY_SUFFIX.pick(rng);
}

function soleTraderName(rng: Rng, county: CountyRef, owner: string): string {
  const prefix = localPrefix(county);
  const r = rng.next();
  const surname = owner.charAt(0);
  if (r < 0.25) return `${prefix}${surname}记${rng.pick(FOOD_SHOPS)}`;
  if (r < 0.35) return `${prefix}老${surname}家${rng.pick(FOOD_SHOPS)}`;
  if (r < 0.65) return `${prefix}${rng.pick(TRADE_NAMES)}${rng.pick(SHOPS)}`;
  if (r < 0.9) return `${prefix}${owner}${rng.pick(SHOPS)}`;
  return `${prefix}${rng.pick(TRADE_NAMES)}${rng.pick(FOOD_SHOPS)}`;
}

function legalPersonAt(index: number, keys: Keys): DemoLegalPerson {
  const rng = new Rng(mix32(keys.row, index));
  const kind = KIND_MIX.pick(rng);
  const spec = KINDS[kind];
  const county = (kind === 'cooperative' || kind === 'villageCollective' ? RURAL_COUNTY : ANY_COUNTY).pick(rng);
  const establishedOn = dateBetween(rng, spec.from, spec.to, spec.recency);
  // Founders are 22–56 years old, which keeps a 浩然 from founding a company in 1996.
  const founderBirthYear = Number(establishedOn.slice(0, 4)) - 22 - rng.int(35);
  const representative = personName(rng, rng.chance(0.75) ? 'male' : 'female', eraOf(founderBirthYear));

  // Registered by the city rather than the county: common for urban companies and city-wide bodies.
  const urban = county.kind === 'district' || county.kind === 'zone';
  const cityLevel = (kind === 'enterprise' && urban && rng.chance(0.2)) || ((kind === 'socialOrg' || kind === 'nonProfit') && rng.chance(0.4));
  const region = cityLevel ? CITY_REGION_CODE : county.regionCode;

  let name: string;
  let address = rng.chance(urban ? 0.05 : 0.4) ? ruralAddress(rng, county) : streetAddress(rng, county);
  const area = cityLevel ? '新乡市' : localPrefix(county);
  switch (kind) {
    case 'enterprise':
      name = enterpriseName(rng, county, cityLevel);
      break;
    case 'soleTrader':
      name = soleTraderName(rng, county, representative);
      break;
    case 'cooperative': {
      const town = townOf(rng, county);
      const village = villageName(rng);
      name = `${localPrefix(county)}${rng.chance(0.5) ? town : ''}${rng.pick(TRADE_NAMES)}${rng.pick(FARMING)}专业合作社`;
      address = `河南省新乡市${addressArea(county)}${town}${village}`;
      break;
    }
    case 'socialOrg':
      name = area + rng.pick(ASSOCIATIONS);
      break;
    case 'nonProfit':
      name = area + rng.pick(TRADE_NAMES) + rng.pick(NON_PROFITS);
      break;
    case 'institution': {
      const town = townOf(rng, county);
      name = localPrefix(county) + town + rng.pick(town.endsWith('街道') ? STREET_INSTITUTIONS : TOWN_INSTITUTIONS);
      address = `河南省新乡市${addressArea(county)}${town}${rng.pick(TOWN_ROADS)}${1 + rng.int(200)}号`;
      break;
    }
    case 'villageCollective': {
      const town = townOf(rng, county);
      const village = villageName(rng);
      name = `${localPrefix(county)}${town}${village}股份经济合作社`;
      address = `河南省新乡市${addressArea(county)}${town}${village}`;
      break;
    }
  }

  const legacy = kind !== 'soleTrader' && kind !== 'villageCollective' && establishedOn < USCC_REFORM;
  const body = legacy ? numericBody(index, keys.numeric) : newBody(spec.newBodyPrefix, index, keys.fresh);
  const orgBody = body + orgCodeCheckChar(body);
  const first17 = spec.code + region + orgBody;
  const uscc = first17 + usccCheckChar(first17);

  // Only bodies that existed before the reform quote the older identifiers.
  const orgCode = legacy && rng.chance(0.9) ? orgBody : null;
  const hadRegNo =
    (kind === 'enterprise' || kind === 'cooperative') && legacy
      ? rng.chance(0.6)
      : kind === 'soleTrader' && establishedOn < SOLE_TRADER_REFORM && rng.chance(0.6);
  let regNo: string | null = null;
  if (hadRegNo) {
    // GS 15-2006: the first serial digit is 0–3 for domestic enterprises and 6–9 for 个体工商户.
    const typeDigit = String(kind === 'soleTrader' ? 6 + rng.int(4) : rng.int(4));
    const serial = String(permute(index % REG_NO_SERIALS, REG_NO_SERIALS, 24, keys.regNo)).padStart(7, '0');
    const first14 = region + typeDigit + serial;
    regNo = first14 + regNoCheckDigit(first14);
  }

  return {
    uscc,
    name,
    legalRepresentative: representative,
    subjectType: kind === 'soleTrader' ? 'soleTrader' : 'organisation',
    status: STATUS_MIX.pick(rng),
    address,
    establishedOn,
    countyCode: county.code,
    orgCode,
    regNo,
  };
}

export interface GenerateOptions {
  /** Index of the first row; rows are a pure function of (seed, index). */
  firstIndex?: number;
}

function checkRange(count: number, firstIndex: number, capacity: number): void {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  if (!Number.isSafeInteger(firstIndex) || firstIndex < 0) throw new RangeError(`firstIndex must be a non-negative integer, got ${firstIndex}`);
  if (firstIndex + count > capacity) throw new RangeError(`at most ${capacity} unique rows per seed (asked for up to index ${firstIndex + count})`);
}

/**
 * Streams `count` legal persons. USCCs (and so organisation codes) are unique across all indexes of one
 * seed; registration numbers are unique below index 10^7.
 */
export function* generateLegalPersons(count: number, seed: number = DEMO_SEED, opts: GenerateOptions = {}): Generator<DemoLegalPerson, void, undefined> {
  const firstIndex = opts.firstIndex ?? 0;
  checkRange(count, firstIndex, LEGAL_PERSON_CAPACITY);
  const keys = legalKeys(seed);
  for (let i = firstIndex; i < firstIndex + count; i++) yield legalPersonAt(i, keys);
}

// ---------------------------------------------------------------------------------------------
// Natural persons
// ---------------------------------------------------------------------------------------------

// Residents' ID numbers carry the code of a real administrative area, never a zone's.
const ID_REGIONS = COUNTIES.filter((c) => c.kind !== 'zone').map((c) => c.code);
const BIRTH_FROM = epochDay('1950-01-01');
const BIRTH_DAYS = epochDay('2005-12-31') - BIRTH_FROM + 1;
const ID_SPACE = ID_REGIONS.length * BIRTH_DAYS * 1000;

/** How many distinct natural persons one seed can produce. */
export const NATURAL_PERSON_CAPACITY = ID_SPACE;

function naturalPersonAt(index: number, keys: { row: number; id: number }): DemoNaturalPerson {
  // The permuted index is split into (region, birth date, sequence), so every ID is distinct by construction.
  const k = permute(index, ID_SPACE, 28, keys.id);
  const sequence = k % 1000;
  const rest = Math.floor(k / 1000);
  const region = ID_REGIONS[Math.floor(rest / BIRTH_DAYS)] ?? CITY_REGION_CODE;
  const birth = isoDay(BIRTH_FROM + (rest % BIRTH_DAYS));
  const first17 = region + birth.replaceAll('-', '') + String(sequence).padStart(3, '0');
  const rng = new Rng(mix32(keys.row, index));
  const sex: Sex = sequence % 2 === 1 ? 'male' : 'female';
  return { docType: 'residentId', docNumber: first17 + idCheckChar(first17), name: personName(rng, sex, eraOf(Number(birth.slice(0, 4)))) };
}

/** Streams `count` residents with distinct 18-digit ID numbers, born 1950–2005 in Xinxiang. */
export function* generateNaturalPersons(count: number, seed: number = DEMO_SEED, opts: GenerateOptions = {}): Generator<DemoNaturalPerson, void, undefined> {
  const firstIndex = opts.firstIndex ?? 0;
  checkRange(count, firstIndex, NATURAL_PERSON_CAPACITY);
  const keys = { row: mix32(seed, 5), id: mix32(seed, 6) };
  for (let i = firstIndex; i < firstIndex + count; i++) yield naturalPersonAt(i, keys);
}
