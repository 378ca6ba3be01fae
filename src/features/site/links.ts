/**
 * Every public column and page, in one list: the 网站地图 is generated from it and the tests walk it, so a page added
 * here is linked and checked at once (政府网站发展指引 asks for a site map covering every column).
 */
export interface SiteLink {
  href: string;
  text: string;
}

export interface SiteSection {
  title: string;
  links: readonly SiteLink[];
}

export const SITE_MAP: readonly SiteSection[] = [
  {
    title: '信用公示',
    links: [
      { href: '/publicity', text: '双公示' },
      { href: '/publicity/permits', text: '行政许可' },
      { href: '/publicity/penalties', text: '行政处罚' },
      { href: '/lists', text: '红黑榜' },
      { href: '/lists/red', text: '红名单（有效期内）' },
      { href: '/lists/black', text: '黑名单（有效期内）' },
      { href: '/commitments', text: '信用承诺' },
      { href: '/counties', text: '县市区信用' },
    ],
  },
  {
    title: '信用服务',
    links: [
      { href: '/search', text: '信用查询' },
      { href: '/search/person', text: '自然人信息查询' },
      { href: '/objections', text: '异议与修复' },
      { href: '/open-data', text: '开放数据' },
    ],
  },
  {
    title: '政策资讯',
    links: [
      { href: '/policies', text: '政策法规' },
      { href: '/policies?category=news', text: '信用动态' },
      { href: '/policies?category=notice', text: '通知公告' },
    ],
  },
  {
    title: '网站服务',
    links: [
      { href: '/', text: '首页' },
      { href: '/about', text: '关于本站' },
      { href: '/contact', text: '联系我们' },
      { href: '/feedback', text: '我为政府网站找错' },
      { href: '/feedback/status', text: '找错办理结果查询' },
      { href: '/accessibility', text: '无障碍说明' },
      { href: '/sitemap', text: '网站地图' },
    ],
  },
];

/** 友情链接: plain links to the national and provincial credit portals (nothing loaded from them). */
export const FRIEND_LINKS: readonly SiteLink[] = [
  { href: 'https://www.creditchina.gov.cn', text: '信用中国' },
  { href: 'https://www.xyhn.gov.cn', text: '信用河南' },
];
