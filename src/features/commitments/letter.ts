import { ISSUER, cjkDocument } from '../reports/pdf.js';

/**
 * The blank 信用承诺书 a subject prints, fills in, signs and seals, then hands to the accepting department.
 * The standard undertakings follow the common national wording (true information, lawful operation, accept
 * supervision, accept 违诺 liability including listing and joint punishment); a variant adds the undertakings
 * of its 承诺类型.
 */
export interface LetterVariant {
  /** file name part and URL segment */
  slug: string;
  title: string;
  /** shown in the list of downloads */
  label: string;
  /** what the commitment is for, printed as a blank to fill in */
  purposeLabel: string;
  extra: readonly string[];
}

const STANDARD: readonly string[] = [
  '所提供的全部材料和信息真实、准确、完整、有效，不存在虚假记载、误导性陈述或者重大遗漏，并对其真实性承担法律责任。',
  '严格遵守国家法律、法规、规章和政策规定，依法依规诚信经营，自觉履行法定义务，不从事违法违规活动。',
  '自觉接受行政机关依法开展的监督检查和社会监督，如实提供有关情况，不拒绝、阻挠检查。',
  '如违背上述承诺，自愿承担违诺责任：接受行政机关依法作出的处理；违诺信息记入本承诺人的信用记录，并在“信用新乡”等平台依法公开；情节严重的，依法依规列入失信惩戒对象名单，接受相关部门的联合惩戒。',
  '同意将本承诺书及履行情况向社会公开，并纳入公共信用信息平台管理。',
];

export const LETTER_VARIANTS: readonly LetterVariant[] = [
  { slug: 'general', title: '信用承诺书', label: '通用', purposeLabel: '承诺事由', extra: [] },
  {
    slug: 'repair',
    title: '信用修复承诺书',
    label: '信用修复型',
    purposeLabel: '申请修复的失信信息（决定文书号）',
    extra: [
      '已经纠正失信行为、消除不良影响，并已履行行政处罚决定规定的全部义务（如缴纳罚款、没收违法所得等）。',
      '自申请信用修复之日起，不再发生同类违法失信行为；如再次发生，同意撤销信用修复决定，原失信信息重新公示，且三年内不再申请信用修复。',
    ],
  },
  {
    slug: 'tolerance',
    title: '容缺受理信用承诺书',
    label: '容缺受理型',
    purposeLabel: '申请办理的事项',
    extra: ['对容缺的申请材料，在受理单位规定的期限内补齐；逾期未补齐或者补交材料与承诺不符的，同意撤销已作出的决定，并承担由此产生的一切后果。'],
  },
];

export function letterVariant(slug: string): LetterVariant | undefined {
  return LETTER_VARIANTS.find((v) => v.slug === slug);
}

const cache = new Map<string, Promise<Buffer>>();

/** The letter as PDF (A4, real Chinese text in the report font); the same bytes are served for the process' life. */
export function renderLetter(variant: LetterVariant): Promise<Buffer> {
  let pdf = cache.get(variant.slug);
  if (!pdf) {
    pdf = draw(variant);
    cache.set(variant.slug, pdf);
    pdf.catch(() => cache.delete(variant.slug));
  }
  return pdf;
}

async function draw(variant: LetterVariant): Promise<Buffer> {
  const { doc, done } = cjkDocument({
    margins: { top: 64, bottom: 56, left: 64, right: 64 },
    info: { Title: variant.title, Author: ISSUER, Subject: '信用承诺书（空白，供承诺人填写签署）' },
  });
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;

  /** A label followed by a line to write on. */
  const blank = (label: string) => {
    doc.fontSize(12);
    const y = doc.y;
    doc.text(label, left, y, { lineBreak: false });
    const x = left + doc.widthOfString(label) + 4;
    doc
      .moveTo(x, y + 15)
      .lineTo(left + width, y + 15)
      .lineWidth(0.6)
      .stroke();
    doc.text('', left, y + 26);
  };

  doc.fontSize(22).text(variant.title, left, doc.y, { align: 'center', width, characterSpacing: 4 });
  doc.moveDown(1.2);
  blank('承诺人名称：');
  blank('统一社会信用代码（身份证号码）：');
  blank('法定代表人（负责人）：');
  blank(`${variant.purposeLabel}：`);
  blank('承诺受理单位：');
  doc.moveDown(0.6);
  doc.fontSize(12).text('为维护公平竞争的市场秩序，营造诚实守信的社会环境，本承诺人自愿作出如下承诺：', left, doc.y, { width, lineGap: 4, indent: 24 });
  doc.moveDown(0.4);
  [...STANDARD.slice(0, 3), ...variant.extra, ...STANDARD.slice(3)].forEach((text, i) => {
    doc.text(`${'一二三四五六七八九十'[i]}、${text}`, left, doc.y, { width, lineGap: 4, indent: 24, paragraphGap: 4 });
  });
  doc.moveDown(0.4);
  doc.text('本承诺书自签署之日起生效。', left, doc.y, { width, indent: 24 });
  doc.moveDown(2);
  const sign = (label: string) => {
    const y = doc.y;
    const x = left + width / 2 - 20;
    doc.fontSize(12).text(label, x, y, { lineBreak: false });
    doc
      .moveTo(x + doc.widthOfString(label) + 4, y + 15)
      .lineTo(left + width, y + 15)
      .lineWidth(0.6)
      .stroke();
    doc.text('', left, y + 34);
  };
  sign('承诺人（盖章）：');
  sign('法定代表人（签字）：');
  doc.fontSize(12).text('年        月        日', left + width / 2 - 20, doc.y, { width: width / 2 + 20, align: 'right' });
  doc.moveDown(2);
  doc
    .fontSize(9)
    .fillColor('#555555')
    .text(`本空白承诺书由${ISSUER}提供，承诺人填写、签字盖章后交承诺受理单位；承诺受理单位录入后生成承诺编码并依法公示。`, left, doc.y, { width });
  doc.end();
  return done;
}
