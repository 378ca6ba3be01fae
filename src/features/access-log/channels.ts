/** The channels of 条例 Art. 18/40 through which a subject's information is used, as the report names them. */
export const ACCESS_CHANNELS = ['portal', 'report', 'credit_check', 'api'] as const;
export type AccessChannel = (typeof ACCESS_CHANNELS)[number];

export const ACCESS_CHANNEL_LABELS: Record<AccessChannel, string> = {
  portal: '门户网站公开查询（信用信息页）',
  report: '公共信用信息报告出具',
  credit_check: '政府部门信用核查',
  api: '部门系统接口核查',
};
