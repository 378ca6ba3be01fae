/**
 * The terms under which the open-data files and the public read API are offered (issue #17). Written for the lawful
 * reuse of public credit information: 《河南省社会信用条例》 Art. 18 (公开公示), Art. 42 (removal within one working day
 * of a revocation), Art. 46 (no private information), and PIPL's purpose limits; no re-identification of masked data.
 */
export const LICENCE = {
  name: '信用新乡公共信用信息开放数据使用协议（1.0 版）',
  url: '/open-data#licence',
  terms: [
    '本网站开放的数据均为依法向社会公开公示的公共信用信息，任何单位和个人均可免费获取、复制、传播和加工利用，无需另行申请。',
    '使用时应注明数据来源为“信用新乡”，并注明所用数据的日期（文件清单中的 date 字段）；不得歪曲、篡改数据的原意。',
    '信息可能被更正、撤销、信用修复或因公示期满而停止公示。使用者应当至少每个工作日更新一次数据（可通过每日数据文件或变更接口），并在本网站更新后 1 个工作日内同步更正或删除相应信息，不得继续公开、传播已停止公示的信息。',
    '不得利用本数据或将其与其他数据比对、关联，以重新识别已遮蔽的证件号码或其他个人信息；不得将本数据用于与公共信用信息公开目的无关的个人画像、营销或骚扰。',
    '除法律、法规和国家有关规定外，不得以本数据为依据对信用主体实施歧视性对待或超出法定范围的惩戒。',
    '数据按“现状”提供。对信息有异议的，可通过本网站的异议申诉渠道提出；以本网站公示页面为准。',
    '违反本协议使用数据的，本网站可采取限制访问等措施；构成违法的，依法承担法律责任。',
  ],
} as const;
